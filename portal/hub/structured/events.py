"""Events as schema.org data: Event for one date, EventSeries for a series."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_territory_currencies

from portal.content import Event, Partner, Site
from portal.content.recurrence import WEEKDAYS, Occurrence
from portal.hub.structured.places import postal_address

SCHEMA = "https://schema.org/"
STATUSES = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "moved-online": "EventMovedOnline",
}
ATTENDANCE_MODES = {
    "in-person": "OfflineEventAttendanceMode",
    "online": "OnlineEventAttendanceMode",
    "mixed": "MixedEventAttendanceMode",
}
CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
FREQUENCY_LETTERS = {"day": "D", "week": "W", "month": "M", "year": "Y"}

_AMOUNT = re.compile(r"(\d+(?:[.,]\d{1,2})?)")
_CODE = re.compile(r"\b([A-Z]{3})\b")


@dataclass(frozen=True)
class EventLinks:
    """The absolute addresses an event's data points to."""

    page: str
    rsvp: str | None = None
    image: str | None = None
    venue: str | None = None


def event_data(
    site: Site,
    event: Event,
    occurrences: Sequence[Occurrence],
    links: EventLinks,
    *,
    bookable: bool,
) -> dict[str, Any]:
    """Return schema.org data for ``event``; a series lists ``occurrences`` as sub-events.

    ``bookable`` says whether visitors can still sign up, which makes the
    offer available.
    """
    common = _common(site, event, links, bookable)
    if event.repeat is None:
        return {
            "@type": "Event",
            "@id": f"{links.page}#event",
            **common,
            **_dates(Occurrence(event.start, event.end)),
        }

    data: dict[str, Any] = {
        "@type": "EventSeries",
        "@id": f"{links.page}#event",
        **common,
        "startDate": event.start.isoformat(),
    }
    last = event.last_occurrence()
    if last is not None:
        data["endDate"] = last.ends.isoformat()
    data["eventSchedule"] = schedule(event)
    data["subEvent"] = [{"@type": "Event", **common, **_dates(o)} for o in occurrences]
    return data


def schedule(event: Event) -> dict[str, Any]:
    """Return a series' rule as a schema.org Schedule."""
    repeat = event.repeat
    assert repeat is not None
    start = event.start
    data: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": f"P{repeat.interval}{FREQUENCY_LETTERS[repeat.unit]}",
        "startDate": start.date().isoformat(),
        "startTime": start.time().isoformat(),
    }
    if event.end is not None:
        data["endTime"] = event.end.time().isoformat()
    if repeat.unit == "week":
        data["byDay"] = [_day(day) for day in repeat.weekdays or (start.weekday(),)]
    elif repeat.unit == "month" and repeat.position is not None:
        data["byDay"] = _day(repeat.weekdays[0])
        data["byMonthWeek"] = repeat.position
    elif repeat.unit == "month":
        data["byMonthDay"] = repeat.monthday or start.day
    if repeat.until is not None:
        data["endDate"] = repeat.until.isoformat()
    if repeat.count is not None:
        data["repeatCount"] = repeat.count
    if repeat.excluded:
        data["exceptDate"] = [day.isoformat() for day in repeat.excluded]
    zone = getattr(start.tzinfo, "key", None)
    if zone:
        data["scheduleTimezone"] = zone
    return data


def offer(
    site: Site, event: Event, links: EventLinks, bookable: bool
) -> dict[str, Any]:
    """Return what taking part costs as a schema.org Offer (a free event costs 0)."""
    data: dict[str, Any] = {"@type": "Offer", "url": links.rsvp or links.page}
    amount = price_amount(event.price)
    currency = price_currency(event.price, site.settings.locale)
    if amount is not None and currency is not None:
        data["price"] = amount
        data["priceCurrency"] = currency
    if event.price:
        data["description"] = event.price
    if bookable:
        data["availability"] = f"{SCHEMA}InStock"
    return data


def price_amount(price: str | None) -> str | None:
    """Return the first amount in a price like "£10, members £5", or "0" when free."""
    if price is None or price.strip().casefold().startswith("free"):
        return "0"
    match = _AMOUNT.search(price)
    return match.group(1).replace(",", ".") if match else None


def price_currency(price: str | None, locale: str) -> str | None:
    """Return the ISO 4217 code of a price: from its symbol or code, else the locale's."""
    for symbol, code in CURRENCY_SYMBOLS.items():
        if price and symbol in price:
            return code
    match = _CODE.search(price or "")
    if match:
        return match.group(1)
    try:
        territory = Locale.parse(locale).territory
    except (ValueError, UnknownLocaleError):
        return None
    currencies = get_territory_currencies(territory) if territory else []
    return currencies[0] if currencies else None


def location(site: Site, event: Event, links: EventLinks) -> dict[str, Any] | list[Any]:
    """Return where an event happens: a Place, a VirtualLocation, or both."""
    virtual = {"@type": "VirtualLocation", "url": event.online_url or links.page}
    if event.mode == "online":
        return virtual
    venue = site.partners_by_slug.get(event.venue) if event.venue else None
    place = _venue(venue, links.venue) if venue else _place(event.location)
    return [place, virtual] if event.mode == "mixed" else place


def _common(
    site: Site, event: Event, links: EventLinks, bookable: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {"name": event.title, "url": links.page}
    if event.summary:
        data["description"] = event.summary
    if links.image:
        data["image"] = [links.image]
    data["eventStatus"] = f"{SCHEMA}{STATUSES[event.status]}"
    data["eventAttendanceMode"] = f"{SCHEMA}{ATTENDANCE_MODES[event.mode]}"
    data["location"] = location(site, event, links)
    data["organizer"] = {
        "@type": "Organization",
        "name": site.settings.name,
        "url": site.settings.base_url,
    }
    data["offers"] = offer(site, event, links, bookable)
    return data


def _dates(occurrence: Occurrence) -> dict[str, str]:
    dates = {"startDate": occurrence.start.isoformat()}
    if occurrence.end is not None:
        dates["endDate"] = occurrence.end.isoformat()
    return dates


def _venue(partner: Partner, url: str | None) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": partner.name}
    place["address"] = postal_address(partner) or partner.name
    if url:
        place["url"] = url
    if partner.latitude is not None and partner.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": partner.latitude,
            "longitude": partner.longitude,
        }
    return place


def _place(text: str | None) -> dict[str, Any]:
    name = text or "To be announced"
    return {"@type": "Place", "name": name, "address": name}


def _day(number: int) -> str:
    return f"{SCHEMA}{WEEKDAYS[number].title()}"
