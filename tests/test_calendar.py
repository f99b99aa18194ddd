"""Calendar files: one .ics per event and a calendar to subscribe to."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from portal.app import create_app
from portal.content import load_site

NOW = "2027-03-01T12:00"
LONDON = ZoneInfo("Europe/London")
NOW_LONDON = dt.datetime(2027, 3, 1, 12, 0, tzinfo=LONDON)

FILES = {
    "partners/corner-cafe.md": """
        ---
        name: The Corner Café
        category: Food and drink
        address: 1 Orchard Street
        locality: Bristol
        postcode: BS3 1PQ
        country: GB
        latitude: 51.4412
        longitude: -2.6003
        ---
        """,
    "events/club.md": """
        ---
        title: Book club
        start: 2027-03-11 18:30
        end: 2027-03-11 20:00
        repeat: {every: week, except: [2027-03-25]}
        summary: We read a few chapters a week.
        venue: corner-cafe
        tags: [books]
        ---
        """,
    "events/fair.md": """
        ---
        title: Spring fair
        start: 2027-04-10 10:00
        end: 2027-04-10 16:00
        location: Castle Park bandstand
        status: postponed
        ---
        """,
    "events/walk.md": """
        ---
        title: Lantern walk
        start: 2027-03-20 17:00
        status: cancelled
        ---
        """,
    "events/quiz.md": """
        ---
        title: Winter quiz
        start: 2027-01-10 19:00
        end: 2027-01-10 21:00
        online_url: https://meet.example.org/quiz
        ---
        """,
}
SLUGS = ("club", "fair", "walk", "quiz")


@pytest.fixture()
def events(write: Callable[[str, str], Path], content: Path) -> Path:
    """Return a content folder with a series, a postponed, a cancelled and a past event."""
    for relative, text in FILES.items():
        write(relative, text)
    return content


def _build(run_cli: Callable[..., object], output: str = "out") -> Path:
    result = run_cli("--now", NOW, "build", "--output", output)
    assert result.exit_code == 0, result.output
    return Path(output).resolve()


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _page_dates(html: str) -> list[dt.datetime]:
    """Return the dates an event page shows: its list of dates, or its one date."""
    listed = re.search(r'<ul class="plain occurrences">(.*?)</ul>', html, re.S)
    section = listed.group(1) if listed else html.split('<dl class="facts">')[1]
    found = re.findall(r'<time datetime="([^"]+)"', section)
    return [
        dt.datetime.fromisoformat(value) for value in (found if listed else found[:1])
    ]


def _expanded(calendar: icalendar.Calendar) -> list[tuple[dt.datetime, dt.datetime]]:
    window = recurring_ical_events.of(calendar).between(
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC)
    )
    pairs = [(e["DTSTART"].dt, (e.get("DTEND") or e["DTSTART"]).dt) for e in window]
    return sorted(pairs)


@pytest.mark.parametrize("slug", SLUGS)
def test_event_file_parses_and_its_dates_match_its_page(events, run_cli, slug):
    out = _build(run_cli)

    calendar = _calendar(out / "events" / f"{slug}.ics")
    shown = _page_dates(
        (out / "events" / slug / "index.html").read_text(encoding="utf-8")
    )

    dates = _expanded(calendar)
    if len(dates) > 1:
        dates = [(start, end) for start, end in dates if end >= NOW_LONDON]
    assert [start for start, _ in dates][: len(shown)] == shown
    assert shown


def test_series_keeps_its_local_time_when_the_clocks_change(events, run_cli):
    out = _build(run_cli)

    starts = [start for start, _ in _expanded(_calendar(out / "events" / "club.ics"))]
    shown = _page_dates(
        (out / "events" / "club" / "index.html").read_text(encoding="utf-8")
    )

    before, after = starts[1], starts[2]
    assert (before.date(), after.date()) == (dt.date(2027, 3, 18), dt.date(2027, 4, 1))
    assert before.strftime("%H:%M") == after.strftime("%H:%M") == "18:30"
    assert (before.utcoffset(), after.utcoffset()) == (
        dt.timedelta(0),
        dt.timedelta(hours=1),
    )
    assert dt.date(2027, 3, 25) not in [start.date() for start in starts]
    assert shown[:3] == starts[:3]
    assert len(shown) == 12


def test_series_file_carries_its_rule_exceptions_and_time_zone(events, run_cli):
    out = _build(run_cli)

    calendar = _calendar(out / "events" / "club.ics")
    event = calendar.events[0]

    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == dt.datetime(2027, 3, 11, 18, 30, tzinfo=LONDON)
    assert event["DTEND"].dt == dt.datetime(2027, 3, 11, 20, 0, tzinfo=LONDON)
    skipped = [moment.dt for moment in event["EXDATE"].dts]
    assert skipped == [dt.datetime(2027, 3, 25, 18, 30, tzinfo=LONDON)]
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_event_file_says_what_where_and_how_sure(events, run_cli):
    out = _build(run_cli)

    club = _calendar(out / "events" / "club.ics").events[0]
    fair = _calendar(out / "events" / "fair.ics").events[0]
    walk = _calendar(out / "events" / "walk.ics").events[0]
    quiz = _calendar(out / "events" / "quiz.ics").events[0]

    assert str(club["UID"]) == "club@hub.example.org"
    assert club["DTSTAMP"].dt == dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert str(club["SUMMARY"]) == "Book club"
    assert str(club["DESCRIPTION"]).startswith("We read a few chapters a week.")
    assert str(club["URL"]) == "https://hub.example.org/events/club/"
    assert (
        str(club["LOCATION"]) == "The Corner Café, 1 Orchard Street, Bristol, BS3 1PQ"
    )
    assert club["GEO"].latitude == pytest.approx(51.4412)
    assert [str(c) for c in club["CATEGORIES"].cats] == ["books"]
    assert (str(club["STATUS"]), str(fair["STATUS"]), str(walk["STATUS"])) == (
        "CONFIRMED",
        "TENTATIVE",
        "CANCELLED",
    )
    assert str(fair["LOCATION"]) == "Castle Park bandstand"
    assert str(quiz["LOCATION"]) == "https://meet.example.org/quiz"


def test_subscribable_calendar_names_itself_and_holds_upcoming_events(events, run_cli):
    out = _build(run_cli)

    calendar = _calendar(out / "calendar.ics")

    assert str(calendar["NAME"]) == "Test Hub: events"
    assert str(calendar["X-WR-CALNAME"]) == "Test Hub: events"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=12)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["SOURCE"]) == "https://hub.example.org/calendar.ics"
    assert [str(e["UID"]) for e in calendar.events] == [
        "club@hub.example.org",
        "walk@hub.example.org",
        "fair@hub.example.org",
    ]
    text = (out / "calendar.ics").read_bytes().decode("utf-8")
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT12H\r\n" in text


def test_same_content_and_time_build_identical_calendar_files(events, run_cli):
    first = _build(run_cli, "first")
    second = _build(run_cli, "second")

    names = sorted(str(p.relative_to(first)) for p in first.rglob("*.ics"))

    assert names == ["calendar.ics"] + [f"events/{slug}.ics" for slug in sorted(SLUGS)]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_calendar_files_are_sent_as_text_calendar(events):
    client = create_app(load_site(events, now=NOW_LONDON)).test_client()

    for path in ("/calendar.ics", "/events/club.ics"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_events_page_offers_subscription_by_webcal_and_https(events):
    client = create_app(load_site(events, now=NOW_LONDON)).test_client()

    html = client.get("/events/").get_data(as_text=True)

    assert 'href="webcal://hub.example.org/calendar.ics"' in html
    assert 'href="https://hub.example.org/calendar.ics"' in html
    assert ">Subscribe</a>" in html


@pytest.mark.parametrize("slug", SLUGS)
def test_every_event_page_links_to_its_calendar_file(events, slug):
    client = create_app(load_site(events, now=NOW_LONDON)).test_client()

    html = client.get(f"/events/{slug}/").get_data(as_text=True)

    assert f'href="/events/{slug}.ics"' in html
    assert "Add to calendar" in html
