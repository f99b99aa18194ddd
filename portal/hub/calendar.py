"""Events as iCalendar files: one per event, and one calendar to subscribe to.

Files are made with the icalendar library (RFC 5545, with the calendar
properties of RFC 7986). Every value comes from the content and from
``site.now``, so two builds of the same content with the same ``--now``
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vDuration, vRecur, vText
from icalendar import Event as VEvent

from portal.content import Event, Partner, Site

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODUCT_ID = "-//Townsquare//Community hub//EN"

# How often subscribed calendars should fetch again (RFC 7986 §5.7).
REFRESH = dt.timedelta(hours=12)

# Time zone definitions reach this many years past the build or the last date.
ZONE_YEARS_AHEAD = 2

# RFC 5545 §3.8.1.11 has no "postponed": tentative is the nearest.
STATUSES = {
    "scheduled": "CONFIRMED",
    "cancelled": "CANCELLED",
    "postponed": "TENTATIVE",
    "moved-online": "CONFIRMED",
}


def event_calendar(site: Site, event: Event, page_url: str) -> bytes:
    """Return one event, or one series with its rule, as an iCalendar file."""
    calendar = _calendar(event.title)
    calendar.add_component(event_component(site, event, page_url))
    _add_zones(calendar, site, [event])
    return bytes(calendar.to_ical())


def site_calendar(
    site: Site, page_url: Callable[[Event], str], *, events_url: str, source_url: str
) -> bytes:
    """Return every upcoming event as one calendar that apps can subscribe to."""
    name = site.settings.name
    calendar = _calendar(f"{name}: events")
    about = site.settings.tagline or f"Upcoming events at {name}"
    calendar.add("description", about)
    calendar.add("x-wr-caldesc", vText(about))
    calendar.add("url", events_url, parameters={"VALUE": "URI"})
    calendar.add("source", source_url, parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # Older clients (Outlook, Apple Calendar before RFC 7986) read this instead.
    calendar.add("x-published-ttl", vDuration(REFRESH))

    events = site.upcoming_events
    for event in events:
        calendar.add_component(event_component(site, event, page_url(event)))
    _add_zones(calendar, site, events)
    return bytes(calendar.to_ical())


def event_component(site: Site, event: Event, page_url: str) -> VEvent:
    """Return the VEVENT of one event: its dates, place, status and rule."""
    component = VEvent()
    component.add("uid", f"{event.slug}@{_host(site)}")
    component.add("dtstamp", site.now.astimezone(dt.UTC).replace(microsecond=0))
    component.add("dtstart", _zoned(event.start))
    if event.end is not None:
        component.add("dtend", _zoned(event.end))
    if event.repeat is not None:
        component.add("rrule", vRecur.from_ical(event.repeat.rule(event.start)))
        skipped = event.repeat.skipped_starts(event.start)
        if skipped:
            component.add("exdate", [_zoned(moment) for moment in skipped])

    component.add("summary", event.title)
    component.add("description", _description(event, page_url))
    component.add("url", page_url, parameters={"VALUE": "URI"})
    component.add("status", STATUSES[event.status])
    venue = site.partners_by_slug.get(event.venue) if event.venue else None
    component.add("location", where(event, venue))
    if venue is not None and event.mode != "online" and _has_geo(venue):
        component.add("geo", (venue.latitude, venue.longitude))
    if event.online_url and event.mode != "in-person":
        component.add("conference", event.online_url, parameters={"VALUE": "URI"})
    if event.tags:
        component.add("categories", list(event.tags))
    return component


def where(event: Event, venue: Partner | None) -> str:
    """Return the place of an event as one line: name and address, or online.

    A mixed event gives its place alone: calendar apps look LOCATION up on
    a map, and the link to join travels in CONFERENCE and the description.
    """
    if event.mode == "online":
        return event.online_url or "Online"
    if venue is not None:
        parts = (venue.name, venue.address, venue.locality, venue.postcode)
        return ", ".join(part for part in parts if part)
    return event.location or "To be announced"


def webcal_url(url: str) -> str:
    """Return ``url`` with the webcal scheme that calendar apps subscribe to."""
    return "webcal://" + url.split("://", 1)[-1]


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    # Unknown properties are TEXT (RFC 5545 §3.8.8.2), so escaped like one.
    calendar.add("x-wr-calname", vText(name))
    return calendar


def _description(event: Event, page_url: str) -> str:
    lines = [event.summary or event.title]
    if event.online_url and event.mode != "in-person":
        lines.append(f"Join online: {event.online_url}")
    lines.append(f"Details: {page_url}")
    return "\n\n".join(lines)


def _zoned(moment: dt.datetime) -> dt.datetime:
    # A TZID must name a zone; a bare offset from the file travels as UTC.
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    return moment.astimezone(dt.UTC)


def _add_zones(calendar: Calendar, site: Site, events: Iterable[Event]) -> None:
    """Add a VTIMEZONE for each zone used, covering every date the calendar holds."""
    events = list(events)
    if not events:
        return
    # From the first year's start, so that calendars of one year share a zone.
    first = dt.date(min(event.start.year for event in events), 1, 1)
    ends = [site.now.date()] + [
        final.ends.date()
        for event in events
        if (final := event.last_occurrence()) is not None
    ]
    until = dt.date(max(ends).year + ZONE_YEARS_AHEAD, 1, 1)
    # Sorted, so that every build writes the zones in the same order.
    zones = [
        zone
        for tzid in sorted(calendar.get_missing_tzids())
        if (zone := _zone(tzid, first, until)) is not None
    ]
    calendar.subcomponents = [*zones, *calendar.subcomponents]


@functools.lru_cache(maxsize=256)
def _zone(tzid: str, first: dt.date, last: dt.date) -> Timezone | None:
    """Return the VTIMEZONE of ``tzid`` over those dates, made once for many files.

    The component is shared by the calendars that need it and never
    changed once made.
    """
    try:
        return Timezone.from_tzid(tzid, first_date=first, last_date=last)
    except ValueError:
        # A zone icalendar does not know travels without its definition.
        return None


def _host(site: Site) -> str:
    return urlsplit(site.settings.base_url).hostname or "townsquare.invalid"


def _has_geo(partner: Partner) -> bool:
    return partner.latitude is not None and partner.longitude is not None
