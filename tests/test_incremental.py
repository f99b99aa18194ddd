"""Incremental builds: whatever was edited, they equal a clean build byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.app import create_app
from portal.build import BuildReport, build_site, cache_dir
from portal.build.freeze import freeze
from portal.content import load_site
from portal.content.cache import ContentCache, MarkdownCache
from portal.content.markdown import render_markdown
from tests.conftest import NOW, ROOT

LATER = dt.datetime(2027, 1, 20, 12, 0)

FILES = {
    "partners/moon-bakery.md": """
        ---
        name: Moon Bakery
        category: Food and drink
        address: 1 Crescent Row
        featured: true
        ---
        Bread at dawn.
        """,
    "partners/hall.md": """
        ---
        name: Parish Hall
        category: Venues
        ---
        A big room.
        """,
    "events/reading.md": """
        ---
        title: Winter reading
        start: 2027-01-14 18:30
        end: 2027-01-14 20:00
        venue: moon-bakery
        tags: [books]
        summary: Stories by the oven.
        ---
        Bring a book.
        """,
    "events/quiz.md": """
        ---
        title: Pub quiz
        start: 2027-02-10 19:00
        venue: hall
        tags: [games]
        ---
        Teams of four.
        """,
    "events/fair.md": """
        ---
        title: Summer fair
        start: 2026-07-04 11:00
        location: The green
        tags: [outdoors]
        ---
        Rained off.
        """,
    "showcases/teapot.md": """
        ---
        title: Blue teapot
        maker: Ada Okafor
        image: teapot.svg
        image_alt: A blue teapot
        partners: [moon-bakery]
        ---
        Thrown on a wheel.
        """,
    "pages/about.md": """
        ---
        title: About
        menu: 1
        ---
        Who we are.
        """,
}
TEAPOT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'


@dataclass
class Hub:
    """A small hub with its own copy of the theme, built into two places."""

    content: Path
    theme: Path
    output: Path
    clean_output: Path

    def build(self, now: dt.datetime = NOW) -> BuildReport:
        """Build incrementally into the output."""
        return build_site(
            self.content, self.output, now=now, theme_dir=self.theme, workers=1
        )

    def build_clean(self, now: dt.datetime = NOW) -> BuildReport:
        """Build everything anew into the second output."""
        return build_site(
            self.content,
            self.clean_output,
            now=now,
            theme_dir=self.theme,
            workers=1,
            clean=True,
        )

    def write(self, relative: str, text: str) -> Path:
        """Write a file of the content, dedented."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def edit(self, path: Path, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` in a file; fail if it is not there."""
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture()
def hub(content: Path, tmp_path: Path) -> Hub:
    """Return a small hub of every kind of content, with a theme of its own."""
    theme = Path(shutil.copytree(ROOT / "site", tmp_path / "theme"))
    made = Hub(
        content, theme, tmp_path / "out" / "public", tmp_path / "clean" / "public"
    )
    for relative, text in FILES.items():
        made.write(relative, text)
    (content / "media" / "teapot.svg").write_text(TEAPOT, encoding="utf-8")
    return made


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` by relative path, with its bytes."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def assert_same_tree(built: Path, expected: Path) -> None:
    """Fail unless both folders hold the same files with the same bytes."""
    got, want = tree(built), tree(expected)
    assert sorted(got) == sorted(want)
    different = [name for name in want if got[name] != want[name]]
    assert different == []


def reused(before: Path, after: Path, relative: str) -> bool:
    """Tell whether a file of the new generation is the previous one, linked."""
    return (before / relative).stat().st_ino == (after / relative).stat().st_ino


def edit_event_body(hub: Hub) -> None:
    hub.edit(hub.content / "events/reading.md", "Bring a book.", "Bring two books.")


def edit_event_listing(hub: Hub) -> None:
    path = hub.content / "events/reading.md"
    hub.edit(path, "Winter reading", "Winter stories")
    hub.edit(path, "2027-01-14 18:30", "2027-02-20 18:30")
    hub.edit(path, "2027-01-14 20:00", "2027-02-20 20:00")
    hub.edit(path, "tags: [books]", "tags: [books, games]")


def add_event(hub: Hub) -> None:
    hub.write(
        "events/swap.md",
        """
        ---
        title: Seed swap
        start: 2027-03-01 10:00
        venue: hall
        tags: [garden]
        ---
        Bring seeds.
        """,
    )


def delete_event(hub: Hub) -> None:
    (hub.content / "events/quiz.md").unlink()


def edit_partner(hub: Hub) -> None:
    hub.edit(hub.content / "partners/moon-bakery.md", "Moon Bakery", "Half Moon Bakery")


def edit_every_page_template(hub: Hub) -> None:
    hub.edit(hub.theme / "templates/base.html", "<body>", '<body class="edited">')


def edit_showcase_template(hub: Hub) -> None:
    hub.edit(
        hub.theme / "templates/showcase.html", "<article", '<article data-edited="yes"'
    )


def edit_settings(hub: Hub) -> None:
    hub.edit(hub.content / "site.toml", 'name = "Test Hub"', 'name = "Edited Hub"')


def edit_stylesheet(hub: Hub) -> None:
    path = hub.theme / "static/site.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n.edited { color: red; }\n")


def add_draft(hub: Hub) -> None:
    hub.write(
        "events/secret.md",
        """
        ---
        title: Surprise party
        start: 2027-01-30 20:00
        venue: moon-bakery
        tags: [books]
        draft: true
        ---
        Shh.
        """,
    )


EDITS: list[tuple[str, Callable[[Hub], None]]] = [
    ("event-body", edit_event_body),
    ("event-title-date-tags", edit_event_listing),
    ("add-file", add_event),
    ("delete-file", delete_event),
    ("partner-named-by-events", edit_partner),
    ("template-of-every-page", edit_every_page_template),
    ("template-of-one-kind", edit_showcase_template),
    ("site-toml", edit_settings),
    ("static-asset", edit_stylesheet),
    ("draft", add_draft),
]


@pytest.mark.parametrize(("name", "edit"), EDITS, ids=[name for name, _ in EDITS])
def test_incremental_build_after_edit_equals_clean_build(
    hub: Hub, name: str, edit: Callable[[Hub], None]
) -> None:
    first = hub.build()
    edit(hub)

    incremental = hub.build()
    clean = hub.build_clean()

    assert_same_tree(hub.output, hub.clean_output)
    assert clean.reused == 0
    assert incremental.rendered + incremental.reused == clean.rendered
    if name == "site-toml":
        assert incremental.reused == 0
        assert incremental.full_reason is not None
    else:
        assert incremental.rendered < clean.rendered
        assert incremental.full_reason is None
    assert first.generation != incremental.generation


@pytest.mark.parametrize(("name", "edit"), EDITS, ids=[name for name, _ in EDITS])
def test_incremental_build_with_a_sharded_search_index_equals_clean_build(
    hub: Hub, name: str, edit: Callable[[Hub], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("portal.build.shards.PAGES_PER_SHARD", 1)
    hub.build()
    edit(hub)

    hub.build()
    hub.build_clean()

    assert (hub.output / "pagefind/shards/1/pagefind-entry.json").is_file()
    assert_same_tree(hub.output, hub.clean_output)


def test_chain_of_incremental_builds_equals_clean_builds_and_keeps_old_ones(
    hub: Hub,
) -> None:
    hub.build()
    for _, edit in EDITS:
        live = hub.build().generation
        published = tree(live)
        edit(hub)

        hub.build()
        hub.build_clean()

        assert_same_tree(hub.output, hub.clean_output)
        assert tree(live) == published


def test_incremental_build_after_time_passes_equals_clean_build(hub: Hub) -> None:
    hub.build(now=NOW)

    incremental = hub.build(now=LATER)
    clean = hub.build_clean(now=LATER)

    assert_same_tree(hub.output, hub.clean_output)
    events = (hub.output / "events/index.html").read_text(encoding="utf-8")
    assert events.index("Winter reading") > events.index("Past")
    assert 0 < incremental.rendered < clean.rendered


def test_rebuild_with_nothing_changed_renders_nothing(hub: Hub) -> None:
    first = hub.build()
    second = hub.build()

    assert second.rendered == 0
    assert second.reused == first.rendered
    assert_same_tree(second.generation, first.generation)


def test_edited_event_body_renders_its_page_but_not_the_listings(hub: Hub) -> None:
    before = hub.build().generation
    edit_event_body(hub)
    after = hub.build().generation

    assert not reused(before, after, "events/reading/index.html")
    assert "Bring two books." in (after / "events/reading/index.html").read_text()
    for listing in ("events/index.html", "index.html", "tags/books/index.html"):
        assert reused(before, after, listing), listing


def test_edited_event_title_renders_the_pages_that_list_it(hub: Hub) -> None:
    before = hub.build().generation
    edit_event_listing(hub)
    after = hub.build().generation

    for page in (
        "events/reading/index.html",
        "events/index.html",
        "index.html",
        "tags/books/index.html",
        "partners/moon-bakery/index.html",
    ):
        assert not reused(before, after, page), page
    assert "Winter stories" in (after / "tags/games/index.html").read_text()
    assert reused(before, after, "events/fair/index.html")
    assert reused(before, after, "showcases/teapot/index.html")


def test_edited_partner_renders_the_events_it_hosts(hub: Hub) -> None:
    before = hub.build().generation
    edit_partner(hub)
    after = hub.build().generation

    assert "Half Moon Bakery" in (after / "events/reading/index.html").read_text()
    assert not reused(before, after, "partners/index.html")
    assert reused(before, after, "events/quiz/index.html")


def test_edited_template_renders_only_the_pages_that_use_it(hub: Hub) -> None:
    before = hub.build().generation
    edit_showcase_template(hub)
    after = hub.build().generation

    assert not reused(before, after, "showcases/teapot/index.html")
    assert reused(before, after, "showcases/index.html")
    assert reused(before, after, "events/reading/index.html")


def test_edited_stylesheet_is_copied_again_and_pages_are_reused(hub: Hub) -> None:
    before = hub.build().generation
    edit_stylesheet(hub)
    report = hub.build()

    assert report.rendered == 1
    assert b".edited" in (report.generation / "static/site.css").read_bytes()
    assert reused(before, report.generation, "index.html")


def test_deleted_event_leaves_no_page_behind(hub: Hub) -> None:
    hub.build()
    delete_event(hub)
    after = hub.build().generation

    assert not (after / "events/quiz/index.html").exists()
    assert "Pub quiz" not in (after / "events/index.html").read_text()


def test_clean_option_renders_everything(
    hub: Hub, run_cli: Callable[..., object]
) -> None:
    hub.build()
    result = run_cli(
        "--content",
        str(hub.content),
        "--now",
        "2027-01-01T12:00",
        "build",
        "--output",
        str(hub.output),
        "--clean",
    )

    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "0 unchanged" in result.output  # type: ignore[attr-defined]


def test_build_record_stays_outside_the_published_folder(hub: Hub) -> None:
    report = hub.build()

    assert not [name for name in tree(hub.output) if "manifest" in name]
    assert report.generation.with_name(
        report.generation.name + ".manifest.json"
    ).is_file()


def test_page_reading_a_record_kept_from_elsewhere_is_rendered_every_time(
    hub: Hub, tmp_path: Path
) -> None:
    site = load_site(hub.content, now=NOW)
    kept = site.events[0]
    app = create_app(site, theme_dir=hub.theme)

    @app.route("/kept/")
    def kept_page() -> str:
        return kept.title

    pages = freeze(app, site, ["/kept/", "/events/"], tmp_path / "frozen", workers=1)

    always = {page.url: page.always for page in pages}
    assert always == {"/kept/": True, "/events/": False}


def test_markdown_rendered_once_is_reused_by_later_builds(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = MarkdownCache(folder)
    html = first.render("Some *words*.")
    later = MarkdownCache(folder)

    assert later.render("Some *words*.") == html == render_markdown("Some *words*.")
    assert (first.misses, later.misses, later.hits) == (1, 0, 1)


def test_build_takes_markdown_from_the_cache(hub: Hub) -> None:
    hub.build()
    cache = ContentCache(cache_dir(hub.content))
    assert cache.markdown.render("Bring a book.\n") == "<p>Bring a book.</p>\n"
    assert (cache.markdown.hits, cache.markdown.misses) == (1, 0)
    cache.markdown.keep("Bring a book.\n", "<p>From the cache.</p>")
    hub.edit(
        hub.content / "events/reading.md",
        "title: Winter reading",
        "title: Winter readings",
    )

    hub.build()

    assert "From the cache." in (hub.output / "events/reading/index.html").read_text()


def test_file_edited_without_changing_its_size_is_read_again(hub: Hub) -> None:
    cache = ContentCache(cache_dir(hub.content))
    path = hub.content / "events/quiz.md"
    assert (
        load_site(hub.content, now=NOW, cache=cache).index["event"]["quiz"].title
        == "Pub quiz"
    )
    stat = path.stat()
    hub.edit(path, "Pub quiz", "Pub game")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    site = load_site(hub.content, now=NOW, cache=ContentCache(cache_dir(hub.content)))

    assert site.index["event"]["quiz"].title == "Pub game"


@pytest.mark.slow
def test_incremental_build_in_parallel_equals_clean_build(tmp_path: Path) -> None:
    from bench.generate import generate

    content = tmp_path / "content"
    generate(120, content, seed=3)
    theme = Path(shutil.copytree(ROOT / "site", tmp_path / "theme"))
    hub = Hub(
        content, theme, tmp_path / "out" / "public", tmp_path / "clean" / "public"
    )

    def build(clean: bool = False) -> BuildReport:
        output = hub.clean_output if clean else hub.output
        return build_site(
            content, output, now=NOW, theme_dir=theme, workers=2, clean=clean
        )

    build()
    edit_every_page_template(hub)
    event = sorted((content / "events").glob("*.md"))[0]
    hub.edit(event, "title: ", "title: Renamed ")

    incremental = build()
    clean = build(clean=True)

    assert_same_tree(hub.output, hub.clean_output)
    assert 150 < incremental.rendered < clean.rendered
