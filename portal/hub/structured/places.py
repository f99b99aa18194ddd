"""Partners as places: schema.org LocalBusiness data and opening hours in words."""

from __future__ import annotations

from typing import Any

from portal.content import Partner
from portal.content.fields import OpeningHours

DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# Categories whose schema.org type is beyond doubt; any other partner with
# an address is a LocalBusiness, and one without is an Organization.
CATEGORY_TYPES = {
    "bakeries": "Bakery",
    "bakery": "Bakery",
    "bookshops": "BookStore",
    "bookshop": "BookStore",
    "cafes": "CafeOrCoffeeShop",
    "cafés": "CafeOrCoffeeShop",
    "food and drink": "FoodEstablishment",
    "libraries": "Library",
    "library": "Library",
    "pubs": "BarOrPub",
    "pubs and bars": "BarOrPub",
    "restaurants": "Restaurant",
    "shops": "Store",
}


def partner_type(partner: Partner) -> str:
    """Return the schema.org type that describes ``partner`` best."""
    chosen = CATEGORY_TYPES.get(partner.category.casefold())
    if chosen:
        return chosen
    return "LocalBusiness" if partner.address or partner.locality else "Organization"


def partner_data(
    partner: Partner, page_url: str, logo_url: str | None = None
) -> dict[str, Any]:
    """Return schema.org data for ``partner``, whose hub page is at ``page_url``."""
    data: dict[str, Any] = {
        "@type": partner_type(partner),
        "@id": f"{page_url}#partner",
        "name": partner.name,
        "url": partner.website or page_url,
        "mainEntityOfPage": page_url,
    }
    if partner.summary:
        data["description"] = partner.summary
    if logo_url:
        data["logo"] = logo_url
        data["image"] = logo_url
    if partner.phone:
        data["telephone"] = partner.phone
    if partner.email:
        data["email"] = partner.email
    address = postal_address(partner)
    if address:
        data["address"] = address
    if partner.latitude is not None and partner.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": partner.latitude,
            "longitude": partner.longitude,
        }
    if partner.opening_hours and data["@type"] != "Organization":
        data["openingHoursSpecification"] = [
            spec for line in partner.opening_hours for spec in hours_specification(line)
        ]
    return data


def postal_address(partner: Partner) -> dict[str, str] | None:
    """Return the partner's address as a schema.org PostalAddress, if it has one."""
    parts = {
        "streetAddress": partner.address,
        "addressLocality": partner.locality,
        "postalCode": partner.postcode,
        "addressCountry": partner.country,
    }
    present = {name: value for name, value in parts.items() if value}
    if not present:
        return None
    return {"@type": "PostalAddress", **present}


def hours_specification(hours: OpeningHours) -> list[dict[str, Any]]:
    """Return one line of opening hours as schema.org OpeningHoursSpecifications."""
    days = [f"https://schema.org/{DAY_NAMES[day]}" for day in hours.weekdays]
    # Google's guidelines for structured data mark a day closed with
    # opens and closes both at 00:00, and a whole day open as 00:00-23:59.
    spans = hours.spans or (("00:00", "00:00"),)
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": opens,
            "closes": "23:59"
            if (opens, closes) == ("00:00", "24:00")
            else _clock(closes),
        }
        for opens, closes in spans
    ]


def describe_hours(hours: OpeningHours) -> str:
    """Return one line of opening hours in words: "Monday to Friday, 08:00–18:00"."""
    days = _join([_day_range_words(first, last) for first, last in hours.days])
    if not hours.spans:
        return f"{days}: closed"
    times = _join([f"{opens}–{closes}" for opens, closes in hours.spans])
    return f"{days}, {times}"


def _day_range_words(first: int, last: int) -> str:
    if first == last:
        return DAY_NAMES[first]
    if (first + 1) % 7 == last:
        return f"{DAY_NAMES[first]} and {DAY_NAMES[last]}"
    return f"{DAY_NAMES[first]} to {DAY_NAMES[last]}"


def _join(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _clock(value: str) -> str:
    return "00:00" if value == "24:00" else value
