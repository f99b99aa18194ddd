"""The Atom feed of events and showcases: valid, linked, and the same on every build."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from portal.app import create_app
from portal.build import build_site
from portal.content import load_site
from tests.conftest import NOW

BASE = "https://hub.example.org/"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'


@pytest.fixture()
def hub(write: Callable[[str, str], Path], content: Path) -> Path:
    """Write a partner, three events (one a draft) and two showcases."""
    write("media/quilt.svg", SVG)
    write("partners/mill.md", "---\nname: The Mill\ncategory: Food\n---\n")
    write(
        "events/book-club.md",
        """
        ---
        title: Book club
        start: 2027-01-14 18:30
        summary: We read The Tide Clock.
        venue: mill
        tags: [books, Reading Group]
        ---
        Bring the book. Ask at [the Mill](/partners/mill/).
        """,
    )
    write(
        "events/lantern-walk.md",
        """
        ---
        title: Lantern walk
        start: 2026-12-12 17:00
        location: Castle Park
        status: cancelled
        ---
        """,
    )
    write(
        "events/secret.md",
        "---\ntitle: Secret party\nstart: 2027-02-01 20:00\ndraft: true\n---\n",
    )
    write(
        "showcases/quilt.md",
        """
        ---
        title: Orchard quilt
        maker: Ada Okafor
        image: quilt.svg
        image_alt: A quilt of apple-green squares
        date: 2026-11-02
        ---
        Pieced from shirts.
        """,
    )
    write(
        "showcases/bowls.md",
        "---\ntitle: Storm bowls\nmaker: Ben Ito\nimage: quilt.svg\nimage_alt: Two bowls\n---\n",
    )
    return content


def build(content: Path, tmp_path: Path, now: dt.datetime = NOW) -> Path:
    """Build ``content`` and return the folder of the published site."""
    return build_site(content, tmp_path / "public", now=now, workers=1).generation


def parse(built: Path) -> feedparser.FeedParserDict:
    """Parse the built feed with feedparser, which must find nothing wrong."""
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_feed_parses_with_an_entry_per_published_event_and_showcase(
    hub: Path, tmp_path: Path
) -> None:
    feed = parse(build(hub, tmp_path))

    assert feed.version == "atom10"
    assert feed.feed.title == "Test Hub"
    assert {entry.title for entry in feed.entries} == {
        "Book club",
        "Cancelled: Lantern walk",
        "Orchard quilt",
        "Storm bowls",
    }
    dates = [entry.updated_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True), "newest entries come first"


def test_feed_entries_link_to_their_pages_with_absolute_addresses(
    hub: Path, tmp_path: Path
) -> None:
    built = build(hub, tmp_path)
    feed = parse(built)

    links = {entry.title: entry.link for entry in feed.entries}
    assert links["Book club"] == f"{BASE}events/book-club/"
    assert links["Orchard quilt"] == f"{BASE}showcases/quilt/"
    for entry in feed.entries:
        assert entry.id == entry.link
        path = entry.link.removeprefix(BASE)
        assert (built / path / "index.html").is_file(), f"{entry.link} was not built"
    assert feed.feed.links[0].href == f"{BASE}feed.xml"
    assert feed.feed.links[0].rel == "self"


def test_feed_dates_come_from_the_content(hub: Path, tmp_path: Path) -> None:
    feed = parse(build(hub, tmp_path))

    updated = {entry.title: entry.updated_parsed[:5] for entry in feed.entries}
    # Book club starts 18:30 London time in January, which is UTC.
    assert updated["Book club"] == (2027, 1, 14, 18, 30)
    assert updated["Orchard quilt"] == (2026, 11, 2, 0, 0)
    # A showcase without a date takes the newest date the content gives.
    assert updated["Storm bowls"] == updated["Book club"]
    assert feed.feed.updated_parsed[:5] == (2027, 1, 14, 18, 30)


def test_feed_is_the_same_whenever_it_is_built(hub: Path, tmp_path: Path) -> None:
    first = (build(hub, tmp_path / "a") / "feed.xml").read_bytes()
    later = NOW + dt.timedelta(days=40, hours=3)
    second = (build(hub, tmp_path / "b", now=later) / "feed.xml").read_bytes()

    assert first == second


def test_feed_entries_carry_summary_content_author_and_tags(
    hub: Path, tmp_path: Path
) -> None:
    feed = parse(build(hub, tmp_path))
    entries = {entry.title: entry for entry in feed.entries}

    club = entries["Book club"]
    assert (
        club.summary
        == "Thursday, 14 January 2027, 18:30, at The Mill. We read The Tide Clock."
    )
    assert 'href="https://hub.example.org/partners/mill/"' in club.content[0].value
    assert [(tag.term, tag.label) for tag in club.tags] == [
        ("books", "books"),
        ("reading-group", "Reading Group"),
    ]
    assert entries["Orchard quilt"].author == "Ada Okafor"
    assert entries["Storm bowls"].summary == "Storm bowls, by Ben Ito."
    assert feed.feed.author == "Test Hub"


def test_drafts_stay_out_of_the_feed(hub: Path, tmp_path: Path) -> None:
    feed = parse(build(hub, tmp_path))

    assert "Secret party" not in {entry.title for entry in feed.entries}


def test_every_page_names_the_feed_in_its_head(hub: Path, tmp_path: Path) -> None:
    built = build(hub, tmp_path)

    for page in ("index.html", "events/index.html", "showcases/quilt/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        link = re.search(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*>', head
        )
        assert link is not None, f"{page} has no feed link"
        assert 'href="/feed.xml"' in link.group(0)


def test_feed_is_served_live_as_atom(hub: Path) -> None:
    client = create_app(load_site(hub, now=NOW)).test_client()

    response = client.get("/feed.xml")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert len(feedparser.parse(response.data).entries) == 4


def test_empty_hub_has_a_valid_feed_without_entries(
    content: Path, tmp_path: Path
) -> None:
    feed = parse(build(content, tmp_path))

    assert feed.entries == []
    assert feed.feed.updated_parsed[:3] == (1970, 1, 1)
