"""`build.py new` writes a file listing every field of its kind, ready to build."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
import yaml

from portal.content import KINDS as BUILT_IN_KINDS
from portal.content import Event, load_site, read_record, specs_of
from portal.content.fields import TEXT, spec
from portal.content.frontmatter import parse
from portal.plugins.discovery import PLUGINS_DIR_ENV
from portal.scaffold import PLACEHOLDER_PICTURE, scaffold

KINDS = sorted((record_type.kind, record_type) for record_type in BUILT_IN_KINDS)
KIND_IDS = [name for name, _ in KINDS]
FOLDERS = {name: record_type.folder for name, record_type in KINDS}
LONDON = ZoneInfo("Europe/London")


def _new(
    run_cli: Callable[..., Any], kind: str, title: str = "Harvest Supper", *args: str
) -> Any:
    return run_cli("--now", "2027-01-14T18:10", "new", kind, title, *args)


def _notes(text: str) -> str:
    """Return the file's comments joined into one line, as an owner reads them."""
    return " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))


@pytest.mark.parametrize("kind", KIND_IDS)
def test_new_file_of_each_kind_passes_a_strict_check(
    run_cli: Callable[..., Any], content: Path, kind: str
) -> None:
    made = _new(run_cli, kind)

    assert made.exit_code == 0, made.output
    assert (
        made.output.splitlines()[0]
        == f"Wrote content/{FOLDERS[kind]}/harvest-supper.md"
    )
    checked = run_cli("--strict", "check")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(("kind", "record_type"), KINDS, ids=KIND_IDS)
def test_new_file_names_and_explains_every_field_of_its_kind(
    run_cli: Callable[..., Any], content: Path, kind: str, record_type: type
) -> None:
    _new(run_cli, kind)
    text = (content / FOLDERS[kind] / "harvest-supper.md").read_text(encoding="utf-8")
    notes = _notes(text)

    for name, field in specs_of(record_type).items():
        assert re.search(rf"^(# )?{name}: ", text, re.MULTILINE), f"{name} is missing"
        assert field.help in notes, f"{name} is not explained"
        assert ("Required" if field.required else "Optional") in notes
        if field.choices:
            assert "one of: " + ", ".join(field.choices) in notes


@pytest.mark.parametrize(("kind", "record_type"), KINDS, ids=KIND_IDS)
def test_required_fields_are_set_and_optional_ones_are_commented_out(
    run_cli: Callable[..., Any], content: Path, kind: str, record_type: type
) -> None:
    _new(run_cli, kind)
    parsed = parse(
        (content / FOLDERS[kind] / "harvest-supper.md").read_text(encoding="utf-8")
    )

    required = {name for name, field in specs_of(record_type).items() if field.required}
    drafted = {"draft"} if parsed.fields.get("draft") is True else set()
    assert set(parsed.fields) == required | drafted
    assert parsed.body.strip()


@pytest.mark.parametrize(("kind", "record_type"), KINDS, ids=KIND_IDS)
def test_every_commented_example_is_a_value_its_field_accepts(
    run_cli: Callable[..., Any], content: Path, kind: str, record_type: type
) -> None:
    _new(run_cli, kind)
    text = (content / FOLDERS[kind] / "harvest-supper.md").read_text(encoding="utf-8")
    specs = specs_of(record_type)

    examples = re.findall(r"^# (\w+): (.+)$", text, re.MULTILINE)
    optional = {name for name, field in specs.items() if not field.required}
    assert {name for name, _ in examples} == optional - set(parse(text).fields)
    for name, value in examples:
        specs[name].convert(yaml.safe_load(value))


def test_event_starts_at_the_next_full_hour_in_the_sites_time_zone(
    run_cli: Callable[..., Any], content: Path
) -> None:
    made = _new(run_cli, "event", "Quiz Night")

    assert "start: 2027-01-14 19:00\n" in (content / "events/quiz-night.md").read_text(
        "utf-8"
    )
    assert "Replace the stand-in values of: start." in made.output
    site = load_site(content, now=dt.datetime(2027, 1, 1, tzinfo=LONDON), strict=True)
    assert site.events[0].start == dt.datetime(2027, 1, 14, 19, 0, tzinfo=LONDON)


def test_start_option_sets_when_the_event_starts(
    run_cli: Callable[..., Any], content: Path
) -> None:
    made = _new(run_cli, "event", "Quiz Night", "--start", "2027-03-05T19:30")

    assert made.exit_code == 0, made.output
    assert "start: 2027-03-05 19:30\n" in (content / "events/quiz-night.md").read_text(
        "utf-8"
    )
    assert "stand-in" not in made.output


def test_date_option_switches_on_the_showcase_date(
    run_cli: Callable[..., Any], content: Path
) -> None:
    _new(run_cli, "showcase", "Blue Jug", "--date", "2026-11-30")

    parsed = parse((content / "showcases/blue-jug.md").read_text(encoding="utf-8"))
    assert parsed.fields["date"] == dt.date(2026, 11, 30)


def test_an_option_for_a_field_the_kind_lacks_is_a_usage_error(
    run_cli: Callable[..., Any], content: Path
) -> None:
    made = _new(run_cli, "page", "Visit us", "--start", "2027-03-05T19:30")

    assert made.exit_code == 2
    assert "--start does not fit a page" in made.output
    assert not (content / "pages/visit-us.md").exists()


def test_showcase_starts_as_a_draft_with_a_stand_in_picture(
    run_cli: Callable[..., Any], content: Path
) -> None:
    made = _new(run_cli, "showcase", "Blue Jug")

    assert made.exit_code == 0, made.output
    assert "It starts as a draft" in made.output
    assert (
        f"Wrote the stand-in picture content/media/{PLACEHOLDER_PICTURE}" in made.output
    )
    parsed = parse((content / "showcases/blue-jug.md").read_text(encoding="utf-8"))
    assert parsed.fields["draft"] is True
    assert parsed.fields["image"] == PLACEHOLDER_PICTURE
    assert load_site(content, strict=True).showcases == ()
    assert [s.slug for s in load_site(content, include_drafts=True).showcases] == [
        "blue-jug"
    ]


def test_showcase_uses_a_picture_already_named_after_it(
    run_cli: Callable[..., Any], content: Path
) -> None:
    (content / "media/blue-jug.svg").write_text("<svg/>", encoding="utf-8")

    made = _new(run_cli, "showcase", "Blue Jug")

    parsed = parse((content / "showcases/blue-jug.md").read_text(encoding="utf-8"))
    assert parsed.fields["image"] == "blue-jug.svg"
    assert "draft" not in parsed.fields
    assert "draft" not in made.output
    assert not (content / "media" / PLACEHOLDER_PICTURE).exists()


def test_new_refuses_to_overwrite_an_existing_file(
    run_cli: Callable[..., Any], content: Path
) -> None:
    existing = content / "events/quiz-night.md"
    existing.write_text(
        "---\ntitle: Mine\nstart: 2027-01-14 18:30\n---\n", encoding="utf-8"
    )

    made = _new(run_cli, "event", "Quiz Night")

    assert made.exit_code == 1
    assert "Error: content/events/quiz-night.md already exists" in made.output
    assert existing.read_text(encoding="utf-8").startswith("---\ntitle: Mine\n")


def test_new_refuses_a_name_taken_in_a_sub_folder(
    run_cli: Callable[..., Any], content: Path
) -> None:
    older = content / "events/2026/quiz-night.md"
    older.parent.mkdir()
    older.write_text(
        "---\ntitle: Mine\nstart: 2026-01-14 18:30\n---\n", encoding="utf-8"
    )

    made = _new(run_cli, "event", "Quiz night")

    assert made.exit_code == 1
    assert "content/events/2026/quiz-night.md already exists" in made.output
    assert not (content / "events/quiz-night.md").exists()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Events", "a page cannot be called 'events'"),
        ("!?!", "the title '!?!' needs a letter or digit"),
    ],
    ids=["kept-address", "no-letters"],
)
def test_new_refuses_a_title_that_makes_no_usable_address(
    run_cli: Callable[..., Any], content: Path, title: str, message: str
) -> None:
    made = _new(run_cli, "page", title)

    assert made.exit_code == 1
    assert message in made.output
    assert list((content / "pages").iterdir()) == []


def test_an_unknown_kind_is_a_usage_error_listing_the_kinds(
    run_cli: Callable[..., Any], content: Path
) -> None:
    made = _new(run_cli, "venue", "Moon Bakery")

    assert made.exit_code == 2
    assert "expected one of page, event, showcase, partner" in made.output


def test_title_is_kept_as_written_and_the_file_name_is_plain(
    run_cli: Callable[..., Any], content: Path
) -> None:
    _new(run_cli, "page", 'Café "Crème": Night #1')

    site = load_site(content, strict=True)
    assert [(page.slug, page.title) for page in site.pages] == [
        ("cafe-creme-night-1", 'Café "Crème": Night #1')
    ]


@dataclass(frozen=True, kw_only=True)
class Workshop(Event):
    """A kind declared outside the core, as a plugin would declare one."""

    kind: ClassVar[str] = "workshop"
    folder: ClassVar[str] = "workshops"

    materials: str | None = spec(TEXT, "What to bring along.", example='"An apron"')
    level: str = spec(
        TEXT, "Who it suits.", required=True, choices=("beginner", "advanced")
    )


def test_a_kind_declared_in_code_gets_its_own_fields_in_new_files(
    content: Path,
) -> None:
    written = scaffold(
        content, Workshop, "Glaze Lab", now=dt.datetime(2027, 1, 14, 18, 10)
    )

    text = written.path.read_text(encoding="utf-8")
    assert written.path == content / "workshops/glaze-lab.md"
    assert '# materials: "An apron"\n' in text
    assert "level: beginner\n" in text
    assert "What to bring along." in _notes(text)
    record, errors, warnings, _ = read_record(
        Workshop, written.path, "glaze-lab.md", LONDON, content / "media"
    )
    assert (errors, warnings) == ([], [])
    assert record is not None and record.level == "beginner"


RECIPE_PLUGIN = """
from dataclasses import dataclass
from typing import ClassVar

from portal.content import Record
from portal.content.fields import INTEGER, TEXT, spec
from portal.plugins import hookimpl


@dataclass(frozen=True, kw_only=True)
class Recipe(Record):
    kind: ClassVar[str] = "recipe"
    folder: ClassVar[str] = "recipes"

    title: str = spec(TEXT, "The dish.", required=True)
    serves: int | None = spec(INTEGER, "How many it feeds.")


@hookimpl
def townsquare_content_kinds():
    return [Recipe]
"""


def test_a_kind_a_plugin_adds_can_be_scaffolded_from_the_command_line(
    run_cli: Callable[..., Any],
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "recipes.py").write_text(RECIPE_PLUGIN, encoding="utf-8")
    monkeypatch.setenv(PLUGINS_DIR_ENV, str(plugins))
    with (content / "site.toml").open("a", encoding="utf-8") as settings:
        settings.write('plugins = ["recipes"]\n')

    made = _new(run_cli, "recipe", "Cheese scones")

    assert made.output.splitlines()[0] == "Wrote content/recipes/cheese-scones.md"
    text = (content / "recipes/cheese-scones.md").read_text(encoding="utf-8")
    assert 'title: "Cheese scones"\n' in text
    assert "# serves: 40\n" in text
    assert "How many it feeds." in _notes(text)
    assert run_cli("--strict", "check").exit_code == 0
