"""The build indexes each new generation for search before publishing it."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portal.build import build_site
from portal.errors import BuildError
from tests.conftest import NOW

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'


@pytest.fixture()
def small_hub(content: Path, write: Callable[[str, str], Path]) -> Path:
    """Return a content folder with one record of each kind."""
    (content / "media" / "jug.svg").write_text(SVG, encoding="utf-8")
    write(
        "showcases/salt-glazed-jug.md",
        """
        ---
        title: Salt-Glazed Jug
        maker: Ada Okafor
        image: jug.svg
        image_alt: A grey jug with an orange-peel glaze
        ---
        Fired for three days in a wood kiln above the quarry.
        """,
    )
    write(
        "events/book-club.md",
        """
        ---
        title: Book Club
        start: 2027-01-14 18:30
        ---
        We read a novel about lighthouse keepers.
        """,
    )
    write("pages/about.md", "---\ntitle: About\n---\nA café with a reading room.\n")
    return content


def indexed_documents(folder: Path) -> dict[str, dict[str, Any]]:
    """Return what Pagefind stored in ``folder`` about each page, by address."""
    documents = {}
    # The first shard's fragments, then those of every other shard.
    for fragment in (folder / "pagefind").glob("**/fragment/*"):
        data = gzip.decompress(fragment.read_bytes())
        # Each fragment is a signature followed by one JSON document.
        document = json.loads(data[data.index(b"{") :])
        documents[document["url"]] = document
    return documents


def indexed_pages(folder: Path) -> dict[str, str]:
    """Return the text Pagefind indexed in ``folder``, by page address."""
    return {
        url: document["content"] for url, document in indexed_documents(folder).items()
    }


def test_build_publishes_the_search_index_inside_the_new_generation(
    small_hub: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"

    report = build_site(small_hub, output, now=NOW)

    bundle = report.generation / "pagefind"
    assert (bundle / "pagefind-entry.json").is_file()
    assert (bundle / "pagefind-ui.js").is_file()
    assert (output / "pagefind" / "pagefind-entry.json").is_file()
    assert output.resolve() == report.generation.resolve()


def test_only_the_main_content_of_record_pages_is_indexed(
    small_hub: Path, tmp_path: Path
) -> None:
    report = build_site(small_hub, tmp_path / "public", now=NOW)

    pages = indexed_pages(report.generation)

    assert set(pages) == {
        "/showcases/salt-glazed-jug/",
        "/events/book-club/",
        "/about/",
    }
    assert "wood kiln above the quarry" in pages["/showcases/salt-glazed-jug/"]
    for text in pages.values():
        assert "Skip to main content" not in text
        assert "All tags" not in text


def test_search_results_show_a_records_own_picture_or_none(
    small_hub: Path, tmp_path: Path
) -> None:
    report = build_site(small_hub, tmp_path / "public", now=NOW)

    documents = indexed_documents(report.generation)

    jug = documents["/showcases/salt-glazed-jug/"]["meta"]
    assert jug["title"] == "Salt-Glazed Jug"
    assert jug["image"] == "/media/jug.svg"
    assert jug["image_alt"] == "A grey jug with an orange-peel glaze"
    assert documents["/about/"]["meta"]["image"] == ""


def test_each_build_indexes_the_pages_it_publishes(
    small_hub: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    output = tmp_path / "public"
    first = build_site(small_hub, output, now=NOW)
    write("pages/opening-hours.md", "---\ntitle: Opening hours\n---\nOpen every day.\n")
    (small_hub / "events" / "book-club.md").unlink()

    second = build_site(small_hub, output, now=NOW)

    assert set(indexed_pages(second.generation)) == {
        "/showcases/salt-glazed-jug/",
        "/about/",
        "/opening-hours/",
    }
    assert "/events/book-club/" in indexed_pages(first.generation)


def test_build_fails_and_keeps_the_live_site_when_search_cannot_be_indexed(
    small_hub: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[str, str], Path],
) -> None:
    output = tmp_path / "public"
    live = build_site(small_hub, output, now=NOW).generation
    # A new page changes what there is to index, so the index is made again.
    write("pages/opening-hours.md", "---\ntitle: Opening hours\n---\nOpen every day.\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))

    with pytest.raises(BuildError, match="Pagefind could not index"):
        build_site(small_hub, output, now=NOW)

    assert output.resolve() == live.resolve()
    assert [p for p in live.parent.iterdir() if p.is_dir()] == [live]


def test_search_page_loads_pagefind_from_the_site_itself(
    small_hub: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    build_site(small_hub, output, now=NOW)

    html = (output / "search" / "index.html").read_text(encoding="utf-8")

    assert 'src="/pagefind/pagefind-ui.js"' in html
    assert 'href="/pagefind/pagefind-ui.css"' in html
    assert 'src="/static/search.js"' in html
    assert "//" not in "".join(line for line in html.splitlines() if "<script" in line)
    assert (output / "static" / "search.js").is_file()


def test_every_page_has_a_search_form_that_works_without_javascript(
    small_hub: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    build_site(small_hub, output, now=NOW)

    for name in ("index.html", "events/book-club/index.html", "about/index.html"):
        html = (output / name).read_text(encoding="utf-8")
        assert (
            '<form class="site-search" role="search" action="/search/" method="get">'
            in html
        )
        assert 'name="q" type="search"' in html


def test_a_hub_under_a_path_finds_its_search_files_there(
    small_hub: Path, tmp_path: Path
) -> None:
    toml = small_hub / "site.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "https://hub.example.org/", "https://example.org/hub/"
        ),
        encoding="utf-8",
    )
    output = tmp_path / "public"
    build_site(small_hub, output, now=NOW)

    html = (output / "search" / "index.html").read_text(encoding="utf-8")

    assert 'src="/hub/pagefind/pagefind-ui.js"' in html
    assert 'data-base="/hub/"' in html
    assert os.path.isfile(output / "pagefind" / "pagefind.js")


def shard_documents(folder: Path) -> dict[str, set[str]]:
    """Return the pages each shard's bundle holds, by bundle folder."""
    bundles: dict[str, set[str]] = {}
    for entry in sorted((folder / "pagefind").glob("**/pagefind-entry.json")):
        bundle = entry.parent
        bundles[bundle.relative_to(folder).as_posix()] = {
            json.loads(data[data.index(b"{") :])["url"]
            for data in (
                gzip.decompress(f.read_bytes()) for f in (bundle / "fragment").iterdir()
            )
        }
    return bundles


@pytest.fixture()
def sharded_hub(
    small_hub: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[str, str], Path],
) -> Path:
    """Return the small hub with more pages, indexed a page or two per shard."""
    for number in range(8):
        write(f"pages/note-{number}.md", f"---\ntitle: Note {number}\n---\nNote.\n")
    monkeypatch.setattr("portal.build.shards.PAGES_PER_SHARD", 1)
    return small_hub


NOTES = [f"/note-{number}/" for number in range(8)]


def test_large_hub_is_indexed_in_shards_that_hold_each_page_once(
    sharded_hub: Path, tmp_path: Path
) -> None:

    report = build_site(sharded_hub, tmp_path / "public", now=NOW)

    bundles = shard_documents(report.generation)
    listing = json.loads((report.generation / "pagefind/shards.json").read_text())
    assert len(bundles) > 1
    assert sorted(bundles) == [
        "pagefind",
        *(f"pagefind/{p}".rstrip("/") for p in listing["merge"]),
    ]
    pages = [url for urls in bundles.values() for url in urls]
    assert sorted(pages) == sorted(
        ["/showcases/salt-glazed-jug/", "/events/book-club/", "/about/", *NOTES]
    )
    assert all(bundles.values())
    assert (report.generation / "pagefind/pagefind-ui.js").is_file()


def test_rebuild_indexes_again_only_the_shard_of_the_edited_page(
    sharded_hub: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    first = build_site(sharded_hub, output, now=NOW).generation
    about = sharded_hub / "pages" / "about.md"
    about.write_text(about.read_text().replace("reading room", "garden"))

    second = build_site(sharded_hub, output, now=NOW).generation

    assert len(shard_documents(second)) > 1

    edited = next(
        bundle for bundle, urls in shard_documents(second).items() if "/about/" in urls
    )
    for bundle in shard_documents(second):
        entry = f"{bundle}/pagefind-entry.json"
        linked = (first / entry).stat().st_ino == (second / entry).stat().st_ino
        assert linked == (bundle != edited), bundle
    assert "garden" in indexed_pages(second)["/about/"]


def bundle_files(folder: Path) -> dict[str, int]:
    """Return the search index's files in ``folder`` with their inodes."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_ino
        for path in (folder / "pagefind").rglob("*")
        if path.is_file()
    }


def test_unchanged_rebuild_takes_the_whole_index_from_the_live_site(
    small_hub: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    first = bundle_files(build_site(small_hub, output, now=NOW).generation)
    second = bundle_files(build_site(small_hub, output, now=NOW).generation)
    # The third build takes the first generation's folder over.
    third = bundle_files(build_site(small_hub, output, now=NOW).generation)

    listing = "pagefind/shards.json"
    for older, newer in ((first, second), (second, third)):
        assert sorted(newer) == sorted(older)
        linked = {path for path in older if older[path] == newer[path]}
        assert linked == set(older) - {listing}
