"""The sitemap lists every page the build writes, with full addresses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from portal.app import create_app
from portal.build import build_site
from portal.content import load_site
from tests.conftest import NOW

NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'


def write_hub(write: Callable[[str, str], Path]) -> None:
    """Write one file of each kind, with tags and an image."""
    write("media/jug.svg", SVG)
    write("pages/about.md", "---\ntitle: About us\nmenu: 1\n---\nHello.\n")
    write("partners/mill.md", "---\nname: The Mill\ncategory: Food & drink\n---\n")
    write(
        "events/market.md",
        "---\ntitle: Market\nstart: 2027-03-01 10:00\ntags: [food]\n---\n",
    )
    write(
        "showcases/jug.md",
        "---\ntitle: Jug\nmaker: Hana\nimage: jug.svg\nimage_alt: A jug\ntags: [clay]\n---\n",
    )


def locations(xml: bytes | str) -> list[str]:
    """Return the addresses a sitemap lists, in order."""
    root = ET.fromstring(xml)
    assert root.tag == f"{NAMESPACE}urlset"
    return [loc.text or "" for loc in root.iter(f"{NAMESPACE}loc")]


def built_pages(folder: Path, base_url: str) -> set[str]:
    """Return the address of every HTML file in a built site, the 404 page aside."""
    found = set()
    for path in folder.rglob("*.html"):
        relative = path.relative_to(folder).as_posix()
        if relative == "404.html":
            continue
        found.add(base_url + relative.removesuffix("index.html"))
    return found


def test_sitemap_lists_every_built_html_page_except_404(
    content: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write_hub(write)

    built = build_site(content, tmp_path / "public", now=NOW, workers=1).generation

    listed = locations((built / "sitemap.xml").read_bytes())
    assert len(listed) == len(set(listed)), "an address is listed twice"
    assert set(listed) == built_pages(built, "https://hub.example.org/")
    assert "https://hub.example.org/about/" in listed
    assert not any(address.endswith(("404.html", ".xml", ".svg")) for address in listed)


def test_sitemap_addresses_start_with_a_base_url_that_has_a_path(
    content: Path, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write_hub(write)
    settings = content / "site.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "https://hub.example.org/", "https://example.org/corner/"
        ),
        encoding="utf-8",
    )

    built = build_site(content, tmp_path / "public", now=NOW, workers=1).generation

    listed = locations((built / "sitemap.xml").read_bytes())
    assert "https://example.org/corner/" in listed
    assert "https://example.org/corner/events/market/" in listed
    assert all(address.startswith("https://example.org/corner/") for address in listed)


def test_sitemap_is_served_live_as_xml(
    content: Path, write: Callable[[str, str], Path]
) -> None:
    write_hub(write)
    client = create_app(load_site(content, now=NOW)).test_client()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert "https://hub.example.org/showcases/jug/" in locations(response.data)
