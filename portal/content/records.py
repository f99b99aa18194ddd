"""The typed, immutable records that content files become.

Each class below is also the declaration of its front-matter fields:
a field made with :func:`spec` is one the owner writes; the others are
filled in by the loader (slug, source, body).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from portal.content.fields import (
    BOOLEAN,
    DATE,
    DATETIME,
    EMAIL,
    INTEGER,
    MEDIA,
    NUMBER,
    OPENING_HOURS,
    PARTNER,
    PARTNERS,
    TEXT,
    TEXT_LIST,
    TIMEZONE,
    URL,
    OpeningHours,
    spec,
)
from portal.content.recurrence import MAX_OCCURRENCES, REPEAT, Occurrence, Repeat

EVENT_STATUSES = ("scheduled", "cancelled", "postponed", "moved-online")
ATTENDANCE_MODES = ("in-person", "online", "mixed")


@dataclass(frozen=True, kw_only=True)
class Record:
    """What every content file has, whatever its kind."""

    kind: ClassVar[str] = ""
    folder: ClassVar[str] = ""

    slug: str
    source: str
    body: str = ""
    html: str = ""
    tags: tuple[str, ...] = spec(
        TEXT_LIST, "Words that group this with related content.", default=()
    )
    draft: bool = spec(
        BOOLEAN, "true keeps the file out of the public build.", default=False
    )
    publish_at: dt.datetime | None = spec(
        DATETIME, "Keep the file out of the public build until this time.", default=None
    )


@dataclass(frozen=True, kw_only=True)
class Page(Record):
    """A page of the owner's own: about, code of conduct, privacy."""

    kind: ClassVar[str] = "page"
    folder: ClassVar[str] = "pages"

    title: str = spec(
        TEXT, "The page's heading and the name of its link.", required=True
    )
    summary: str | None = spec(TEXT, "One sentence for listings and share cards.")
    menu: int | None = spec(
        INTEGER, "Show the page in the site menu, in this order (1 first).", example="1"
    )


@dataclass(frozen=True, kw_only=True)
class Partner(Record):
    """A local business or organisation the community works with."""

    kind: ClassVar[str] = "partner"
    folder: ClassVar[str] = "partners"

    name: str = spec(
        TEXT, "The business's name as its customers know it.", required=True
    )
    category: str = spec(
        TEXT,
        "What kind of place it is; the directory groups by it.",
        required=True,
        example='"Food and drink"',
    )
    summary: str | None = spec(TEXT, "One sentence for the directory.")
    address: str | None = spec(TEXT, "Street and number.", example='"12 Mill Lane"')
    locality: str | None = spec(TEXT, "Town or city.", example="Bristol")
    postcode: str | None = spec(TEXT, "Postal code.", example='"BS1 4AB"')
    country: str | None = spec(TEXT, "Country code or name.", example="GB")
    latitude: float | None = spec(
        NUMBER, "Latitude of the entrance, for maps.", example="51.4545"
    )
    longitude: float | None = spec(
        NUMBER, "Longitude of the entrance, for maps.", example="-2.5879"
    )
    website: str | None = spec(URL, "The partner's own website.")
    email: str | None = spec(EMAIL, "A public contact address.")
    phone: str | None = spec(
        TEXT, "A public phone number.", example='"+44 117 496 0000"'
    )
    opening_hours: tuple[OpeningHours, ...] = spec(
        OPENING_HOURS,
        "Opening hours, one entry per line of the sign: days (Mo Tu We Th Fr Sa Su), "
        "then times or closed.",
        example='["Mo-Fr 08:00-18:00", "Sa 09:00-17:00", "Su closed"]',
        default=(),
    )
    offer: str | None = spec(
        TEXT, "What members get there.", example='"10% off for members"'
    )
    featured: bool = spec(
        BOOLEAN, "true shows the partner on the home page.", default=False
    )
    logo: str | None = spec(
        MEDIA, "A logo in content/media/.", example="moon-bakery.svg"
    )
    logo_alt: str | None = spec(
        TEXT, "Text that describes the logo for screen readers."
    )

    @property
    def title(self) -> str:
        """Return the partner's name."""
        return self.name


@dataclass(frozen=True, kw_only=True)
class Event(Record):
    """Something happening at a time: a reading, a workshop, a market."""

    kind: ClassVar[str] = "event"
    folder: ClassVar[str] = "events"

    title: str = spec(TEXT, "The event's name.", required=True)
    start: dt.datetime = spec(
        DATETIME, "When it starts, in the event's time zone.", required=True
    )
    end: dt.datetime | None = spec(
        DATETIME, "When it ends.", example="2027-01-14 20:00"
    )
    timezone: ZoneInfo | None = spec(
        TIMEZONE, "The time zone of start and end, if not the site's."
    )
    summary: str | None = spec(TEXT, "One sentence for listings and share cards.")
    venue: str | None = spec(
        PARTNER, "The partner whose place hosts it (its file name)."
    )
    location: str | None = spec(
        TEXT,
        "Where it happens, when the venue is not a partner.",
        example='"Castle Park bandstand"',
    )
    online_url: str | None = spec(
        URL, "Where to join online.", example="https://meet.example.org/club"
    )
    status: str = spec(
        TEXT, "Whether it goes ahead.", choices=EVENT_STATUSES, default="scheduled"
    )
    attendance: str | None = spec(
        TEXT,
        "How people take part; guessed from venue and online_url when left out.",
        choices=ATTENDANCE_MODES,
    )
    capacity: int | None = spec(INTEGER, "How many people fit.")
    price: str | None = spec(
        TEXT, "What it costs; leave out for a free event.", example='"£5"'
    )
    partners: tuple[str, ...] = spec(
        PARTNERS, "Partners who run or support it.", default=()
    )
    image: str | None = spec(
        MEDIA, "A picture in content/media/.", example="book-club.svg"
    )
    image_alt: str | None = spec(
        TEXT, "Text that describes the picture for screen readers."
    )
    repeat: Repeat | None = spec(
        REPEAT,
        "Make the event a series that meets again and again; see Events.",
        example="weekly",
    )

    @property
    def mode(self) -> str:
        """Return the attendance mode, declared or guessed."""
        if self.attendance:
            return self.attendance
        if self.status == "moved-online":
            return "online"
        if self.online_url and (self.venue or self.location):
            return "mixed"
        return "online" if self.online_url else "in-person"

    @property
    def ends(self) -> dt.datetime:
        """Return when the event is over (its start when no end is given)."""
        return self.end or self.start

    def occurrences(
        self, *, after: dt.datetime | None = None, limit: int = MAX_OCCURRENCES
    ) -> tuple[Occurrence, ...]:
        """Return the event's dates not over by ``after``, soonest first.

        A single event has one date; a series has up to ``limit``.
        """
        length = self.end - self.start if self.end else None
        if self.repeat is None:
            starts = [self.start]
        else:
            # Start the search one length early to keep a date in progress.
            since = after - length if after and length else after
            starts = self.repeat.starts(self.start, after=since, limit=limit + 1)
        found = (
            Occurrence(start, start + length if length else None) for start in starts
        )
        return tuple(o for o in found if after is None or o.ends >= after)[:limit]

    def last_occurrence(self) -> Occurrence | None:
        """Return the event's last date, or None for a series with no end."""
        if self.repeat is None:
            return Occurrence(self.start, self.end)
        last = self.repeat.last_start(self.start)
        if last is None:
            return None
        return Occurrence(last, last + (self.end - self.start) if self.end else None)


@dataclass(frozen=True, kw_only=True)
class Showcase(Record):
    """A piece of work by a member or a local maker."""

    kind: ClassVar[str] = "showcase"
    folder: ClassVar[str] = "showcases"

    title: str = spec(TEXT, "The work's title.", required=True)
    maker: str = spec(TEXT, "Who made it.", required=True, example='"Ada Okafor"')
    image: str = spec(MEDIA, "A picture of the work in content/media/.", required=True)
    image_alt: str = spec(
        TEXT,
        "Text that describes the picture for screen readers.",
        required=True,
        example='"A blue and white quilt hung on a brick wall"',
    )
    summary: str | None = spec(TEXT, "One sentence for the gallery and share cards.")
    date: dt.date | None = spec(DATE, "When the work was made or shown.")
    medium: str | None = spec(
        TEXT, "What it is made of or with.", example='"Hand-dyed cotton"'
    )
    maker_url: str | None = spec(URL, "The maker's own page.")
    partners: tuple[str, ...] = spec(
        PARTNERS, "Partners who sell or show the work.", default=()
    )


KINDS: tuple[type[Record], ...] = (Page, Event, Showcase, Partner)
