"""The README documents every command, setting, field and hook."""

from __future__ import annotations

from portal import docs
from portal.cli import cli
from portal.content import KINDS, Settings, specs_of
from tests.conftest import ROOT

README = ROOT / "README.md"


def test_readme_has_a_generated_region_for_every_reference_table() -> None:
    expected = {"commands", "settings", *(f"fields-{kind.kind}" for kind in KINDS)}

    assert expected <= set(docs.region_names(README.read_text(encoding="utf-8")))


def test_readme_tables_match_the_code() -> None:
    text = README.read_text(encoding="utf-8")

    assert docs.update(text, docs.regions(cli)) == text, "run: python build.py docs"


def test_every_field_and_setting_appears_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")

    for record_type in (Settings, *KINDS):
        for name in specs_of(record_type):
            assert f"| `{name}` |" in text, (
                f"{record_type.__name__}.{name} is not documented"
            )


def test_every_command_appears_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")

    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"`python build.py {name}`" in text, (
            f"the {name} command is not documented"
        )


def test_a_field_added_in_code_makes_the_readme_stale() -> None:
    text = README.read_text(encoding="utf-8")
    generated = docs.regions(cli)
    generated["fields-event"] += "| `colour` | | some text | `red` | A new field. |\n"

    assert docs.update(text, generated) != text
