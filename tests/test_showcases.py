"""Showcase pages: credits for makers and partners, and VisualArtwork data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from portal.app import create_app
from portal.build import build_site
from portal.content import load_site

NOW = dt.datetime(2027, 1, 1, 12, 0)
BASE = "https://hub.example.org"

JUGS = """
---
title: "Tidewater Jugs"
maker: "Hana Whitlock"
maker_url: https://clayandkiln.example.com/hana
image: jugs.jpg
image_alt: "Three green jugs on a shelf"
summary: "Three thrown stoneware jugs."
date: 2026-09-12
medium: "Thrown stoneware with wood-ash glaze"
partners: [clay-and-kiln, corner-cafe]
tags: [ceramics, making]
---
Made from the café's ash.
"""

QUILT = """
---
title: "The Quilt"
maker: "The Thursday Stitchers"
image: quilt.svg
image_alt: "A patchwork quilt"
---
"""


def _partner(name: str, category: str) -> str:
    return f'---\nname: "{name}"\ncategory: "{category}"\n---\n'


@pytest.fixture()
def works(write: Callable[[str, str], Path], content: Path) -> Path:
    """Return content with two showcases and the partners that show them."""
    Image.new("RGB", (1800, 1200), (120, 170, 150)).save(content / "media" / "jugs.jpg")
    (content / "media" / "quilt.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"></svg>',
        encoding="utf-8",
    )
    write("showcases/tidewater-jugs.md", JUGS)
    write("showcases/the-quilt.md", QUILT)
    write("partners/clay-and-kiln.md", _partner("Clay & Kiln", "Makers"))
    write("partners/corner-cafe.md", _partner("The Corner Café", "Food and drink"))
    return content


@pytest.fixture()
def client(works: Path) -> FlaskClient:
    """Return a test client of the hub built from the showcases' content."""
    return create_app(load_site(works, now=NOW)).test_client()


def _artwork(html: str) -> dict[str, Any]:
    head = html.split("</head>", 1)[0]
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', head, re.S
    )
    found = [
        data
        for data in map(json.loads, scripts)
        if data.get("@type") == "VisualArtwork"
    ]
    assert len(found) == 1, scripts
    return found[0]


def test_showcase_page_carries_visual_artwork_json_ld(client: FlaskClient) -> None:
    data = _artwork(client.get("/showcases/tidewater-jugs/").get_data(as_text=True))

    page = f"{BASE}/showcases/tidewater-jugs/"
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == f"{page}#work"
    assert data["url"] == page
    assert data["name"] == "Tidewater Jugs"
    assert data["creator"] == {
        "@type": "Person",
        "name": "Hana Whitlock",
        "url": "https://clayandkiln.example.com/hana",
    }
    assert data["image"] == f"{BASE}/media/jugs.jpg"
    assert data["dateCreated"] == "2026-09-12"
    assert data["artMedium"] == "Thrown stoneware with wood-ash glaze"
    assert data["description"] == "Three thrown stoneware jugs."


def test_showcase_json_ld_points_at_the_widest_variant_once_built(
    works: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    build_site(works, output, now=NOW)

    data = _artwork(
        (output / "showcases" / "tidewater-jugs" / "index.html").read_text()
    )

    image = data["image"]
    assert re.fullmatch(rf"{BASE}/images/jugs-1600\.[0-9a-f]{{16}}\.jpg", image)
    assert (output / image.removeprefix(f"{BASE}/")).is_file()


def test_showcase_without_details_leaves_them_out(client: FlaskClient) -> None:
    data = _artwork(client.get("/showcases/the-quilt/").get_data(as_text=True))

    assert data["creator"] == {"@type": "Person", "name": "The Thursday Stitchers"}
    assert data["image"] == f"{BASE}/media/quilt.svg"
    assert not {"dateCreated", "artMedium", "description"} & set(data)


def test_showcase_page_credits_maker_and_partners(client: FlaskClient) -> None:
    html = client.get("/showcases/tidewater-jugs/").get_data(as_text=True)
    credits = html.split('class="facts credits"', 1)[1].split("</dl>", 1)[0]

    assert '<a href="https://clayandkiln.example.com/hana">Hana Whitlock</a>' in credits
    assert "Sold or shown at" in credits
    assert re.findall(r'<a href="(/partners/[^"]+)">', credits) == [
        "/partners/clay-and-kiln/",
        "/partners/corner-cafe/",
    ]
    assert '<a href="/partners/clay-and-kiln/">Clay &amp; Kiln</a> and ' in credits


def test_maker_without_a_page_is_named_without_a_link(client: FlaskClient) -> None:
    html = client.get("/showcases/the-quilt/").get_data(as_text=True)
    credits = html.split('class="facts credits"', 1)[1].split("</dl>", 1)[0]

    assert "<dd>The Thursday Stitchers</dd>" in credits
    assert "Sold or shown at" not in credits


def test_partner_page_lists_the_work_it_shows(client: FlaskClient) -> None:
    html = client.get("/partners/corner-cafe/").get_data(as_text=True)

    assert 'href="/showcases/tidewater-jugs/"' in html
    assert "/showcases/the-quilt/" not in html
