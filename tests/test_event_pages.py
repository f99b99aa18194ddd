"""Event pages: what visitors need to decide, RSVP, and schema.org data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from portal.app import create_app
from portal.content import load_site

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=LONDON)
SCHEMA = "https://schema.org/"
PORTAL = 'portal_url = "https://portal.example.org/"\n'

CAFE = """
    ---
    name: The Corner Café
    category: Food and drink
    address: 1 Orchard Street
    locality: Bristol
    postcode: BS3 1PQ
    country: GB
    ---
    """


def _event(write: Callable[[str, str], Path], slug: str, *fields: str) -> None:
    lines = "\n".join(("---", f"title: {slug.title()}", *fields, "---", ""))
    write(f"events/{slug}.md", lines)


def _get(content: Path, path: str, now: dt.datetime = NOW) -> str:
    client = create_app(load_site(content, now=now)).test_client()
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _data(html: str) -> dict[str, Any]:
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0])
    return data


def _with_portal(content: Path) -> None:
    settings = content / "site.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + PORTAL, encoding="utf-8")


def test_single_event_data_describes_when_where_who_and_cost(content, write):
    write("partners/corner-cafe.md", CAFE)
    write(
        "media/poster.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>',
    )
    _event(
        write,
        "reading",
        "start: 2027-04-08 19:00",
        "end: 2027-04-08 20:30",
        "venue: corner-cafe",
        'price: "£5"',
        "summary: An author reads.",
        "image: poster.svg",
        "image_alt: A poster",
    )

    data = _data(_get(content, "/events/reading/"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Reading"
    assert data["description"] == "An author reads."
    assert data["url"] == "https://hub.example.org/events/reading/"
    assert data["startDate"] == "2027-04-08T19:00:00+01:00"
    assert data["endDate"] == "2027-04-08T20:30:00+01:00"
    assert data["eventStatus"] == f"{SCHEMA}EventScheduled"
    assert data["eventAttendanceMode"] == f"{SCHEMA}OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "The Corner Café"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 Orchard Street",
        "addressLocality": "Bristol",
        "postalCode": "BS3 1PQ",
        "addressCountry": "GB",
    }
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Test Hub",
        "url": "https://hub.example.org/",
    }
    assert data["offers"]["@type"] == "Offer"
    assert (data["offers"]["price"], data["offers"]["priceCurrency"]) == ("5", "GBP")
    assert data["offers"]["availability"] == f"{SCHEMA}InStock"
    assert data["image"] == ["https://hub.example.org/media/poster.svg"]


def test_series_data_is_an_event_series_whose_sub_events_are_the_dates_shown(
    content, write
):
    write("partners/corner-cafe.md", CAFE)
    _event(
        write,
        "club",
        "start: 2027-03-11 18:30",
        "end: 2027-03-11 20:00",
        "venue: corner-cafe",
        "repeat: {every: week, until: 2027-04-29, except: [2027-04-01]}",
    )

    html = _get(content, "/events/club/")
    data = _data(html)

    listed = re.search(r'<ul class="plain occurrences">(.*?)</ul>', html, re.S)
    shown = re.findall(r'<time datetime="([^"]+)"', listed.group(1))
    assert data["@type"] == "EventSeries"
    assert [sub["startDate"] for sub in data["subEvent"]] == shown
    assert shown[2:4] == ["2027-03-25T18:30:00+00:00", "2027-04-08T18:30:00+01:00"]
    assert {sub["@type"] for sub in data["subEvent"]} == {"Event"}
    assert data["subEvent"][0]["location"]["address"]["postalCode"] == "BS3 1PQ"
    assert data["eventSchedule"] == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "startDate": "2027-03-11",
        "startTime": "18:30:00",
        "endTime": "20:00:00",
        "byDay": [f"{SCHEMA}Thursday"],
        "endDate": "2027-04-29",
        "exceptDate": ["2027-04-01"],
        "scheduleTimezone": "Europe/London",
    }
    assert data["startDate"] == "2027-03-11T18:30:00+00:00"
    assert data["endDate"] == "2027-04-29T20:00:00+01:00"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("scheduled", "EventScheduled"),
        ("cancelled", "EventCancelled"),
        ("postponed", "EventPostponed"),
        ("moved-online", "EventMovedOnline"),
    ],
    ids=["scheduled", "cancelled", "postponed", "moved-online"],
)
def test_event_data_carries_its_status(content, write, status, expected):
    _event(
        write,
        "talk",
        "start: 2027-04-08 19:00",
        f"status: {status}",
        "location: The hall",
    )

    assert _data(_get(content, "/events/talk/"))["eventStatus"] == f"{SCHEMA}{expected}"


@pytest.mark.parametrize(
    ("fields", "mode", "location_types"),
    [
        (("location: The hall",), "Offline", ["Place"]),
        (("online_url: https://meet.example.org/a",), "Online", ["VirtualLocation"]),
        (
            ("location: The hall", "online_url: https://meet.example.org/a"),
            "Mixed",
            ["Place", "VirtualLocation"],
        ),
        (
            (
                "location: The hall",
                "online_url: https://meet.example.org/a",
                "status: moved-online",
            ),
            "Online",
            ["VirtualLocation"],
        ),
    ],
    ids=["in-person", "online", "mixed", "moved-online"],
)
def test_event_data_says_how_people_take_part(
    content, write, fields, mode, location_types
):
    _event(write, "talk", "start: 2027-04-08 19:00", *fields)

    data = _data(_get(content, "/events/talk/"))

    location = (
        data["location"] if isinstance(data["location"], list) else [data["location"]]
    )
    assert data["eventAttendanceMode"] == f"{SCHEMA}{mode}EventAttendanceMode"
    assert [place["@type"] for place in location] == location_types
    virtual = [place for place in location if place["@type"] == "VirtualLocation"]
    assert all(place["url"] == "https://meet.example.org/a" for place in virtual)


@pytest.mark.parametrize(
    ("price", "amount", "currency"),
    [
        (None, "0", "GBP"),
        ('"Free; donations welcome"', "0", "GBP"),
        ('"£10, members £5"', "10", "GBP"),
        ('"€12,50"', "12.50", "EUR"),
        ('"$7"', "7", "USD"),
        ('"8 CHF at the door"', "8", "CHF"),
    ],
    ids=["none", "free-text", "pounds", "euros-comma", "dollars", "code"],
)
def test_offer_reads_amount_and_currency_from_the_price(
    content, write, price, amount, currency
):
    fields = ["start: 2027-04-08 19:00", "location: The hall"]
    if price:
        fields.append(f"price: {price}")
    _event(write, "talk", *fields)

    html = _get(content, "/events/talk/")
    offer = _data(html)["offers"]

    assert (offer["price"], offer["priceCurrency"]) == (amount, currency)
    assert ("<strong>Free</strong>" in html) == (price is None)


def test_rsvp_button_links_to_the_portal(content, write):
    _with_portal(content)
    _event(
        write, "talk", "start: 2027-04-08 19:00", "location: The hall", "capacity: 30"
    )

    html = _get(content, "/events/talk/")

    rsvp = "https://portal.example.org/events/talk/rsvp"
    assert f'<a class="button rsvp" href="{rsvp}">RSVP</a>' in html
    assert "rsvp-note" not in html
    assert _data(html)["offers"]["url"] == rsvp
    assert "<dt>Places</dt>\n    <dd>30</dd>" in html


def test_without_a_portal_a_note_replaces_the_rsvp_button(content, write):
    _event(write, "talk", "start: 2027-04-08 19:00", "location: The hall")

    html = _get(content, "/events/talk/")

    assert "RSVP online is not available" in html
    assert 'class="button rsvp"' not in html
    assert _data(html)["offers"]["url"] == "https://hub.example.org/events/talk/"


@pytest.mark.parametrize(
    ("fields", "now"),
    [
        (("start: 2027-04-08 19:00", "status: cancelled"), NOW),
        (("start: 2027-02-08 19:00", "end: 2027-02-08 21:00"), NOW),
        (("start: 2027-01-07 19:00", "repeat: {every: week, count: 4}"), NOW),
    ],
    ids=["cancelled", "past", "series-over"],
)
def test_cancelled_or_past_events_offer_no_rsvp(content, write, fields, now):
    _with_portal(content)
    _event(write, "talk", "location: The hall", *fields)

    html = _get(content, "/events/talk/", now)

    assert "/rsvp" not in html
    assert 'class="button rsvp"' not in html
    assert "RSVP online is not available" not in html
    assert "availability" not in _data(html)["offers"]


def test_events_list_shows_a_series_once_at_its_next_date(content, write):
    _event(
        write, "club", "start: 2027-01-07 18:30", "repeat: weekly", "location: The café"
    )
    _event(
        write, "fair", "start: 2027-03-06 10:00", 'price: "£2"', "location: The park"
    )

    html = _get(content, "/events/")

    upcoming = html.split('id="upcoming-heading"')[1].split("</section>")[0]
    assert upcoming.count('href="/events/club/"') == 1
    assert '<p class="repeat">Every Thursday</p>' in upcoming
    assert 'Next: <time datetime="2027-03-04T18:30:00+00:00">' in upcoming
    assert upcoming.index("/events/club/") < upcoming.index("/events/fair/")
    assert '<p class="price">Free</p>' in upcoming
    assert '<p class="price">£2</p>' in upcoming
    assert 'id="past-heading"' not in html


def test_event_page_lists_coming_dates_without_except_dates(content, write):
    _event(
        write,
        "club",
        "start: 2027-03-04 18:30",
        "location: The café",
        "repeat: {every: week, except: [2027-03-11]}",
    )

    html = _get(content, "/events/club/", dt.datetime(2027, 3, 5, tzinfo=LONDON))

    listed = re.search(r'<ul class="plain occurrences">(.*?)</ul>', html, re.S).group(1)
    shown = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)', listed)
    assert shown[:3] == ["2027-03-18", "2027-03-25", "2027-04-01"]
    assert len(shown) == 12
    assert "<dt>Next</dt>" in html
    assert '<dd class="repeat">Every Thursday</dd>' in html
    assert "(GMT)" in listed and "(BST)" in listed
