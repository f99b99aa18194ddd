"""Shared links show a card (Open Graph, Twitter), and robots.txt names the sitemap."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from portal.build import build_site
from tests.conftest import NOW

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"></svg>\n'


class _MetaReader(HTMLParser):
    """Collect a page's ``<meta>`` properties and names."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get(
                "content", ""
            )
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]


def read_meta(path: Path) -> _MetaReader:
    """Return the meta tags and canonical link of a built page."""
    reader = _MetaReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture()
def built(content: Path, write: Callable[[str, str], Path], tmp_path: Path) -> Path:
    """Build a hub with a showcase, an event, a partner and a page; return its output."""
    (content / "media" / "quilt.svg").write_text(SVG, encoding="utf-8")
    write(
        "showcases/orchard-quilt.md",
        """
        ---
        title: Orchard Quilt
        maker: Ada Okafor
        image: quilt.svg
        image_alt: A green and white quilt on a washing line
        summary: A quilt of apple-tree greens, pieced over one winter.
        ---
        Hand-dyed cotton.
        """,
    )
    write(
        "events/repair-cafe.md",
        """
        ---
        title: Repair Café
        start: 2027-03-13 10:00
        summary: Bring what is broken; leave with it mended.
        ---
        Tools and tea provided.
        """,
    )
    write(
        "partners/kiln.md",
        """
        ---
        name: Clay & Kiln
        category: Makers
        ---
        A pottery studio.
        """,
    )
    write("pages/about.md", "---\ntitle: About us\n---\nWho we are.\n")
    output = tmp_path / "public"
    build_site(content, output, now=NOW)
    return output


def test_showcase_card_has_an_absolute_image_and_its_own_address(built: Path) -> None:
    page = read_meta(built / "showcases" / "orchard-quilt" / "index.html")

    assert page.meta["og:url"] == page.canonical
    assert page.canonical == "https://hub.example.org/showcases/orchard-quilt/"
    assert page.meta["og:title"] == "Orchard Quilt"
    assert (
        page.meta["og:description"]
        == "A quilt of apple-tree greens, pieced over one winter."
    )
    assert page.meta["og:type"] == "article"
    assert page.meta["og:site_name"] == "Test Hub"
    assert page.meta["og:image"] == "https://hub.example.org/media/quilt.svg"
    assert page.meta["og:image:width"] == "1200"
    assert page.meta["og:image:height"] == "630"
    assert page.meta["og:image:alt"] == "A green and white quilt on a washing line"
    assert page.meta["twitter:card"] == "summary_large_image"


def test_photo_card_uses_a_prepared_copy_that_the_build_publishes(
    content: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    Image.new("RGB", (1800, 1200), (120, 90, 60)).save(content / "media" / "bowl.jpg")
    write(
        "showcases/bowl.md",
        """
        ---
        title: Ash Bowl
        maker: Gareth Price
        image: bowl.jpg
        image_alt: A pale wooden bowl
        ---
        Turned from storm-felled ash.
        """,
    )
    output = tmp_path / "public"
    build_site(content, output, now=NOW)

    page = read_meta(output / "showcases" / "bowl" / "index.html")

    image = page.meta["og:image"]
    assert image.startswith("https://hub.example.org/images/bowl-")
    with Image.open(output / image.removeprefix("https://hub.example.org/")) as shared:
        assert shared.size == (
            int(page.meta["og:image:width"]),
            int(page.meta["og:image:height"]),
        )
    assert 1000 <= shared.size[0] <= 1800


@pytest.mark.parametrize(
    ("path", "title", "kind"),
    [
        ("events/repair-cafe/index.html", "Repair Café", "article"),
        ("partners/kiln/index.html", "Clay & Kiln", "website"),
        ("about/index.html", "About us", "article"),
        ("index.html", "Home", "website"),
        ("events/index.html", "Events", "website"),
    ],
    ids=["event", "partner", "page", "home", "listing"],
)
def test_pages_without_a_picture_share_a_summary_card(
    built: Path, path: str, title: str, kind: str
) -> None:
    page = read_meta(built / path)

    assert page.meta["og:url"] == page.canonical
    assert page.meta["og:url"].startswith("https://hub.example.org/")
    assert page.meta["og:title"] == title
    assert page.meta["og:description"] == page.meta["description"]
    assert page.meta["og:type"] == kind
    assert page.meta["twitter:card"] == "summary"
    assert "og:image" not in page.meta


def test_event_card_describes_the_event(built: Path) -> None:
    page = read_meta(built / "events" / "repair-cafe" / "index.html")

    assert page.meta["og:description"] == "Bring what is broken; leave with it mended."


def test_not_found_page_has_no_card(built: Path) -> None:
    page = read_meta(built / "404.html")

    assert "og:url" not in page.meta
    assert page.canonical == ""


def test_robots_txt_lets_crawlers_in_and_points_at_the_sitemap(built: Path) -> None:
    text = (built / "robots.txt").read_text(encoding="utf-8")

    assert text.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://hub.example.org/sitemap.xml",
    ]
