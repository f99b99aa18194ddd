"""Partners: structured data, opening hours, vCards, categories and offers."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.app import create_app
from portal.build import build_site
from portal.content import load_site
from portal.hub.vcard import fold

NOW = dt.datetime(2027, 1, 1, 12, 0)
BASE = "https://hub.example.org"

KILN = """
---
name: "Clay, Kiln & Co; Studio"
category: "Makers and crafts"
summary: "A shared pottery studio."
address: "Unit 7, Ropewalk Yard"
locality: Bristol
postcode: "BS3 1LW"
country: GB
latitude: 51.4423
longitude: -2.5965
website: https://clayandkiln.example.com/
email: hello@clayandkiln.example.com
phone: "+44 117 496 0318"
opening_hours: ["Mo-Fr 08:00-18:00", "Sa 09:00-17:00", "Su closed"]
offer: "10% off taster sessions"
logo: kiln.svg
logo_alt: "A kiln"
---
Come and throw a pot.
"""

BAKERY = """
---
name: "Rise & Crumb"
category: "Food and drink"
address: "5 Orchard Street"
locality: Bristol
opening_hours: ["Tu-Fr 07:00-15:00"]
offer: "A free day-old loaf"
---
Bread.
"""

PUB = """
---
name: "The Lamplighter"
category: "Food and drink"
address: "48 Vale Road"
locality: Bristol
opening_hours: ["Mo-Th 16:00-23:00", "Fr-Sa 12:00-00:00"]
---
Beer.
"""

ONLINE = """
---
name: "Vale Zine Collective"
category: "Books and print"
website: https://zines.example.org/
---
Zines by post.
"""

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"></svg>'


@pytest.fixture()
def partners(write: Callable[[str, str], Path], content: Path) -> Path:
    """Return a content folder with four partners in three categories."""
    write("partners/clay-and-kiln.md", KILN)
    write("partners/rise-and-crumb.md", BAKERY)
    write("partners/the-lamplighter.md", PUB)
    write("partners/zine-collective.md", ONLINE)
    (content / "media" / "kiln.svg").write_text(LOGO, encoding="utf-8")
    return content


@pytest.fixture()
def client(partners: Path) -> FlaskClient:
    """Return a test client of the hub built from the partners' content."""
    return create_app(load_site(partners, now=NOW)).test_client()


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _json_ld(html: str, id_suffix: str) -> dict[str, Any]:
    head = html.split("</head>", 1)[0]
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', head, re.S
    )
    found = [
        data
        for data in map(json.loads, scripts)
        if data.get("@id", "").endswith(id_suffix)
    ]
    assert len(found) == 1, scripts
    return found[0]


def _vcard_lines(card: bytes) -> list[str]:
    """Unfold a vCard and return its content lines, checking the line rules."""
    text = card.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_partner_page_carries_local_business_json_ld(client: FlaskClient) -> None:
    data = _json_ld(_page(client, "/partners/clay-and-kiln/"), "#partner")

    page = f"{BASE}/partners/clay-and-kiln/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert data["@id"] == f"{page}#partner"
    assert data["mainEntityOfPage"] == page
    assert data["name"] == "Clay, Kiln & Co; Studio"
    assert data["url"] == "https://clayandkiln.example.com/"
    assert data["telephone"] == "+44 117 496 0318"
    assert data["email"] == "hello@clayandkiln.example.com"
    assert data["logo"] == data["image"] == f"{BASE}/media/kiln.svg"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Unit 7, Ropewalk Yard",
        "addressLocality": "Bristol",
        "postalCode": "BS3 1LW",
        "addressCountry": "GB",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 51.4423,
        "longitude": -2.5965,
    }
    weekdays = [
        f"https://schema.org/{day}" for day in ("Monday", "Tuesday", "Wednesday")
    ]
    weekdays += ["https://schema.org/Thursday", "https://schema.org/Friday"]
    assert data["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "08:00",
         "closes": "18:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Saturday"],
         "opens": "09:00", "closes": "17:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Sunday"],
         "opens": "00:00", "closes": "00:00"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("rise-and-crumb", "FoodEstablishment"),
        ("zine-collective", "Organization"),
    ],
    ids=["category-food-and-drink", "no-address"],
)
def test_partner_type_follows_category_and_address(
    client: FlaskClient, slug: str, expected: str
) -> None:
    data = _json_ld(_page(client, f"/partners/{slug}/"), "#partner")

    assert data["@type"] == expected
    assert data["url"] == (
        "https://zines.example.org/"
        if slug == "zine-collective"
        else f"{BASE}/partners/{slug}/"
    )


def test_opening_hours_show_in_words(client: FlaskClient) -> None:
    html = _page(client, "/partners/clay-and-kiln/")

    assert "<li>Monday to Friday, 08:00–18:00</li>" in html
    assert "<li>Saturday, 09:00–17:00</li>" in html
    assert "<li>Sunday: closed</li>" in html


def test_opening_hours_past_midnight_close_the_next_day(client: FlaskClient) -> None:
    html = _page(client, "/partners/the-lamplighter/")
    data = _json_ld(html, "#partner")

    assert "<li>Friday and Saturday, 12:00–00:00</li>" in html
    assert data["openingHoursSpecification"][1]["opens"] == "12:00"
    assert data["openingHoursSpecification"][1]["closes"] == "00:00"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            '["Mo-Fri 08:00-18:00"]',
            "expected days written Mo, Tu, We, Th, Fr, Sa or Su, got 'Fri' in 'Mo-Fri 08:00-18:00'",
        ),
        (
            '["Mo-Fr 8am-6pm"]',
            "expected times like 08:00-18:00, got '8am-6pm' in 'Mo-Fr 8am-6pm'",
        ),
        (
            '["Monday 9 to 5"]',
            'expected opening hours like "Mo-Fr 08:00-18:00" or "Su closed", got \'Monday 9 to 5\'',
        ),
        (
            '["Sa 09:00-25:00"]',
            "expected times between 00:00 and 24:00, got '09:00-25:00' in 'Sa 09:00-25:00'",
        ),
        (
            '["Su 10:00-10:00"]',
            "expected a closing time different from the opening time, "
            "got '10:00-10:00' in 'Su 10:00-10:00'",
        ),
    ],
    ids=[
        "unknown-day",
        "twelve-hour-times",
        "words",
        "hour-out-of-range",
        "empty-span",
    ],
)
def test_malformed_opening_hours_give_one_line_problem(
    write: Callable[[str, str], Path],
    run_cli: Callable[..., Any],
    hours: str,
    message: str,
) -> None:
    write(
        "partners/bad-hours.md",
        f"""
        ---
        name: "Bad Hours Café"
        category: "Food and drink"
        opening_hours: {hours}
        ---
        """,
    )

    result = run_cli("check")

    assert result.exit_code == 1
    assert (
        f"content/partners/bad-hours.md:4: opening_hours: {message}\n" in result.output
    )
    assert "Traceback" not in result.output


def test_vcard_follows_rfc_6350(client: FlaskClient) -> None:
    response = client.get("/partners/clay-and-kiln.vcf")

    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    lines = _vcard_lines(response.data)
    assert lines[0] == "BEGIN:VCARD"
    assert lines[1] == "VERSION:4.0"
    assert lines[-1] == "END:VCARD"
    properties: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        properties[name] = value
    assert _unescape(properties["FN"]) == "Clay, Kiln & Co; Studio"
    assert properties["FN"] == "Clay\\, Kiln & Co\\; Studio"
    assert properties["ORG"] == properties["FN"]
    assert properties["KIND"] == "org"
    assert (
        properties["ADR;TYPE=work"] == ";;Unit 7\\, Ropewalk Yard;Bristol;;BS3 1LW;GB"
    )
    assert properties["TEL;VALUE=uri;TYPE=work,voice"] == "tel:+44-117-496-0318"
    assert properties["EMAIL;TYPE=work"] == "hello@clayandkiln.example.com"
    assert properties["URL;TYPE=work"] == "https://clayandkiln.example.com/"
    assert properties["GEO"] == "geo:51.4423,-2.5965"
    assert properties["UID"].startswith("urn:uuid:")


def test_vcard_is_the_same_on_every_build(partners: Path) -> None:
    first = create_app(load_site(partners, now=NOW)).test_client()
    second = create_app(
        load_site(partners, now=NOW + dt.timedelta(days=30))
    ).test_client()

    card = first.get("/partners/clay-and-kiln.vcf").data
    assert card == second.get("/partners/clay-and-kiln.vcf").data
    assert card == first.get("/partners/clay-and-kiln.vcf").data


def test_long_vcard_lines_fold_without_cutting_characters() -> None:
    line = "NOTE:" + "café " * 30

    pieces = fold(line)

    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line


def test_partner_page_offers_save_contact_link(client: FlaskClient) -> None:
    html = _page(client, "/partners/clay-and-kiln/")

    link = re.search(r'<a href="([^"]+)"[^>]*>Save contact</a>', html)
    assert link is not None
    assert link.group(1) == "/partners/clay-and-kiln.vcf"


def test_category_pages_list_exactly_their_partners(client: FlaskClient) -> None:
    html = _page(client, "/partners/category/food-and-drink/")
    main = html.split("<main", 1)[1]
    listed = re.findall(r'<h3><a href="/partners/([^/]+)/">', main)

    assert sorted(listed) == ["rise-and-crumb", "the-lamplighter"]
    assert "<h1>Food and drink</h1>" in html
    assert client.get("/partners/category/no-such-category/").status_code == 404


def test_directory_category_links_lead_to_category_pages(client: FlaskClient) -> None:
    html = _page(client, "/partners/")
    nav = html.split('aria-label="Categories"', 1)[1].split("</nav>", 1)[0]

    links = re.findall(r'href="([^"]+)"', nav)
    assert links == [
        "/partners/category/books-and-print/",
        "/partners/category/food-and-drink/",
        "/partners/category/makers-and-crafts/",
    ]
    for link in links:
        assert client.get(link).status_code == 200


def test_member_offers_show_on_directory_and_partner_page(client: FlaskClient) -> None:
    directory = _page(client, "/partners/")
    page = _page(client, "/partners/rise-and-crumb/")

    assert "Offers for members" in directory
    assert "A free day-old loaf" in directory
    assert "10% off taster sessions" in directory
    assert "<strong>For members:</strong> A free day-old loaf" in page


def test_build_publishes_vcards_and_category_pages(
    partners: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"

    build_site(partners, output, now=NOW)

    card = (output / "partners" / "clay-and-kiln.vcf").read_bytes()
    assert _vcard_lines(card)[1] == "VERSION:4.0"
    for category in ("books-and-print", "food-and-drink", "makers-and-crafts"):
        assert (output / "partners" / "category" / category / "index.html").is_file()
