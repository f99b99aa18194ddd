"""Series: events that repeat, and the occurrences they expand into.

An event with a ``repeat`` field is a series. The field takes one word
(``weekly``) or a few fields::

    repeat:
      every: 2 weeks          # day, week, month or year, or a number of them
      on: second thursday     # months: 14, "last friday"; weeks: [tuesday, thursday]
      until: 2027-06-24       # or count: 10; leave both out for a series with no end
      except: [2027-04-08]    # dates the series skips

The rule is kept as an RFC 5545 RRULE. That one text is what calendars
receive and what is expanded here (with dateutil), so the hub's pages and
its ``.ics`` files cannot disagree about the dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dateutil.rrule import rrule, rrulestr

from portal.content.fields import FieldType, FieldValueError
from portal.errors import Problem

# Any one expansion stops here, so an open-ended series stays bounded.
MAX_OCCURRENCES = 500
MAX_COUNT = 1000

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
POSITIONS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
SHORTHANDS = {
    "daily": ("day", 1),
    "weekly": ("week", 1),
    "fortnightly": ("week", 2),
    "monthly": ("month", 1),
    "yearly": ("year", 1),
}
KEYS = ("every", "on", "until", "count", "except")

_EVERY = re.compile(r"^(?:(\d+)\s+)?(day|week|fortnight|month|year)s?$")
_MONTHDAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_SHAPES = (
    "daily, weekly, fortnightly, monthly or yearly, "
    "or fields like {every: 2 weeks, until: 2027-06-24}"
)


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: when it starts and, if known, when it ends."""

    start: dt.datetime
    end: dt.datetime | None = None

    @property
    def ends(self) -> dt.datetime:
        """Return when the occurrence is over (its start when no end is given)."""
        return self.end or self.start


@dataclass(frozen=True)
class Repeat:
    """How a series repeats: its rule, where it stops, the dates it skips."""

    unit: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    position: int | None = None
    monthday: int | None = None
    until: dt.date | None = None
    count: int | None = None
    excluded: tuple[dt.date, ...] = ()

    @property
    def bounded(self) -> bool:
        """Tell whether the series has a last date."""
        return self.until is not None or self.count is not None

    def rule(self, first: dt.datetime) -> str:
        """Return the RFC 5545 RRULE value of a series starting at ``first``."""
        parts = [f"FREQ={FREQUENCIES[self.unit]}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.position is not None:
            parts.append(f"BYDAY={self.position}{ICAL_DAYS[self.weekdays[0]]}")
        elif self.weekdays:
            parts.append("BYDAY=" + ",".join(ICAL_DAYS[day] for day in self.weekdays))
        if self.monthday is not None:
            parts.append(f"BYMONTHDAY={self.monthday}")
        if self.until is not None:
            # With a zoned DTSTART, UNTIL must be in UTC (RFC 5545 §3.3.10);
            # the owner's date means "up to the end of that day, locally".
            last = dt.datetime.combine(
                self.until, dt.time(23, 59, 59), tzinfo=first.tzinfo
            )
            parts.append(f"UNTIL={last.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    def starts(
        self,
        first: dt.datetime,
        *,
        after: dt.datetime | None = None,
        limit: int = MAX_OCCURRENCES,
    ) -> list[dt.datetime]:
        """Return the series' start times from ``after`` on, skipping excepted dates.

        Times keep the wall clock of ``first`` in its time zone, so a series
        at 18:30 stays at 18:30 when daylight saving starts or ends.
        """
        found: list[dt.datetime] = []
        for moment in self._moments(first, after):
            if moment.date() in self.excluded:
                continue
            found.append(moment)
            if len(found) >= limit:
                break
        return found

    def last_start(self, first: dt.datetime) -> dt.datetime | None:
        """Return the start of the series' last date.

        None means the series never ends, or (for content that failed its
        checks) that every date is skipped.
        """
        if not self.bounded:
            return None
        last = None
        for moment in self._moments(first, None):
            if moment.date() not in self.excluded:
                last = moment
        return last

    def skipped_starts(self, first: dt.datetime) -> list[dt.datetime]:
        """Return the start times the series leaves out, for EXDATE."""
        return [dt.datetime.combine(day, first.timetz()) for day in self.excluded]

    def describe(self, first: dt.datetime) -> str:
        """Say in words how often the series meets, like "Every Tuesday"."""
        text = self._cadence(first)
        if self.until is not None:
            text += f", until {self.until.day} {self.until:%B %Y}"
        elif self.count is not None:
            text += f", {self.count} times"
        return text

    def on_text(self) -> str:
        """Return the ``on`` value as the owner would write it."""
        if self.position is not None:
            ordinal = next(word for word, n in POSITIONS.items() if n == self.position)
            return f"{ordinal} {WEEKDAYS[self.weekdays[0]]}"
        if self.monthday is not None:
            return "last day" if self.monthday == -1 else str(self.monthday)
        names = [WEEKDAYS[day] for day in self.weekdays]
        return names[0] if len(names) == 1 else f"[{', '.join(names)}]"

    def _moments(
        self, first: dt.datetime, after: dt.datetime | None
    ) -> Iterator[dt.datetime]:
        rule = rrulestr(self.rule(first), dtstart=first)
        assert isinstance(rule, rrule)
        if after is None:
            return iter(rule)
        return rule.xafter(after, inc=True)

    def _cadence(self, first: dt.datetime) -> str:
        n = self.interval
        if self.unit == "day":
            return "Every day" if n == 1 else f"Every {n} days"
        if self.unit == "year":
            day = f"{first.day} {first:%B}"
            return f"Every year on {day}" if n == 1 else f"Every {n} years on {day}"
        if self.unit == "week":
            days = _join(
                [WEEKDAYS[d].title() for d in self.weekdays or (first.weekday(),)]
            )
            if n == 1:
                return f"Every {days}"
            return f"Every other {days}" if n == 2 else f"Every {n} weeks on {days}"
        if self.position is not None:
            day = (
                f"the {self.on_text().split()[0]} {WEEKDAYS[self.weekdays[0]].title()}"
            )
        elif self.monthday == -1:
            day = "the last day"
        else:
            day = f"the {_ordinal(self.monthday or first.day)}"
        return f"Every month on {day}" if n == 1 else f"Every {n} months on {day}"


def parse_repeat(value: Any) -> Repeat:
    """Return the :class:`Repeat` an owner wrote, or raise :class:`FieldValueError`."""
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in SHORTHANDS:
            unit, interval = SHORTHANDS[word]
            return Repeat(unit=unit, interval=interval)
        if word.startswith("every "):
            unit, interval = _every(word.removeprefix("every ").strip(), value)
            return Repeat(unit=unit, interval=interval)
    if isinstance(value, dict):
        return _from_fields(value)
    raise FieldValueError(f"expected {_SHAPES}, got {value!r}")


REPEAT = FieldType("repeat", f"{_SHAPES}", parse_repeat, "weekly")


def check_series(
    values: dict[str, Any], lines: dict[str, int], label: str
) -> list[Problem]:
    """Check a series against its start; return the problems found.

    A series must meet on its own start date (RFC 5545 counts DTSTART as
    the first instance, while rule expansion skips a start that does not
    fit), every date it skips must be one of its dates, and a series with
    an end must keep at least one date.
    """
    repeat, start = values.get("repeat"), values.get("start")
    if not isinstance(repeat, Repeat) or not isinstance(start, dt.datetime):
        return []

    messages = []
    if repeat.until is not None and repeat.until < start.date():
        messages.append(
            f"expected until on or after the start, {start:%Y-%m-%d}, got {repeat.until}"
        )
    elif _first_date(repeat, start) != start:
        messages.append(
            f"expected on to include the start's day, {start:%A %Y-%m-%d}, got {repeat.on_text()!r}"
        )
    else:
        messages += [
            f"expected except to list dates of the series, got {day} ({day:%A})"
            for day in repeat.excluded
            if not _meets_on(repeat, start, day)
        ]
        if not messages and repeat.bounded and repeat.last_start(start) is None:
            messages.append(
                "expected except to leave at least one date, got every date skipped"
            )
    line = lines.get("repeat", 1)
    return [Problem(label, line, "repeat", message) for message in messages]


def _from_fields(value: dict[Any, Any]) -> Repeat:
    # YAML 1.1 reads a bare `on:` key as the boolean true.
    fields = {"on" if key is True else str(key): item for key, item in value.items()}
    for key in fields:
        if key not in KEYS:
            raise FieldValueError(
                f"expected only the fields {_join(KEYS)}, got {key!r}"
            )
    if "every" not in fields:
        written = f"only {_join(list(fields))}" if fields else "no fields"
        raise FieldValueError(f"expected every, like {{every: 2 weeks}}, got {written}")

    unit, interval = _every(fields["every"], fields["every"])
    weekdays, position, monthday = _on(unit, fields.get("on"))
    until = _until(fields.get("until"))
    count = _count(fields.get("count"))
    if until is not None and count is not None:
        raise FieldValueError(
            f"expected until or count, not both, got until {until} and count {count}"
        )
    return Repeat(
        unit=unit,
        interval=interval,
        weekdays=weekdays,
        position=position,
        monthday=monthday,
        until=until,
        count=count,
        excluded=_excluded(fields.get("except")),
    )


def _every(value: Any, written: Any) -> tuple[str, int]:
    match = _EVERY.match(value.strip().casefold()) if isinstance(value, str) else None
    if match is None or match.group(1) in ("0", "00"):
        raise FieldValueError(
            "expected every to be day, week, month or year, "
            f"or a number of them like 2 weeks, got {written!r}"
        )
    interval = int(match.group(1) or 1)
    if match.group(2) == "fortnight":
        return "week", interval * 2
    return match.group(2), interval


def _on(unit: str, value: Any) -> tuple[tuple[int, ...], int | None, int | None]:
    """Return the weekdays, the position in the month and the day of the month."""
    if value is None:
        return (), None, None
    if unit == "week":
        items = value if isinstance(value, list) else [value]
        days = [_weekday(item) for item in items]
        if items and None not in days:
            return tuple(sorted({day for day in days if day is not None})), None, None
        raise FieldValueError(
            f"expected on to be a weekday like tuesday or a list like [tuesday, thursday], "
            f"got {value!r}"
        )
    if unit == "month":
        return _month_on(value)
    raise FieldValueError(
        f"expected no on with every {unit}; on picks days of weeks and months, got {value!r}"
    )


def _month_on(value: Any) -> tuple[tuple[int, ...], int | None, int | None]:
    text = "" if isinstance(value, bool) else str(value).strip().casefold()
    if text == "last day":
        return (), None, -1
    match = _MONTHDAY.match(text)
    if match and 1 <= int(match.group(1)) <= 31:
        return (), None, int(match.group(1))
    words = text.split()
    if len(words) == 2 and words[0] in POSITIONS:
        day = _weekday(words[1])
        if day is not None:
            return (day,), POSITIONS[words[0]], None
    raise FieldValueError(
        "expected on to be a day of the month like 14 or a weekday like second tuesday, "
        f"got {value!r}"
    )


def _weekday(value: Any) -> int | None:
    # "tue", "tues" and "tuesday" all name Tuesday.
    if not isinstance(value, str) or len(value.strip()) < 3:
        return None
    word = value.strip().casefold()
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def _until(value: Any) -> dt.date | None:
    if value is None:
        return None
    day = _as_date(value)
    if day is None:
        raise FieldValueError(
            f"expected until to be a date like 2027-06-24, got {value!r}"
        )
    return day


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 1 <= value <= MAX_COUNT
    ):
        return value
    raise FieldValueError(
        f"expected count to be a whole number from 1 to {MAX_COUNT}, got {value!r}"
    )


def _excluded(value: Any) -> tuple[dt.date, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    days = [_as_date(item) for item in items]
    if not items or None in days:
        raise FieldValueError(
            f"expected except to be a date or a list of dates like [2027-02-11], got {value!r}"
        )
    return tuple(sorted({day for day in days if day is not None}))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _first_date(repeat: Repeat, start: dt.datetime) -> dt.datetime | None:
    endless = dataclasses.replace(repeat, until=None, count=None, excluded=())
    return next(endless._moments(start, None), None)


def _meets_on(repeat: Repeat, start: dt.datetime, day: dt.date) -> bool:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=start.tzinfo)
    unskipped = dataclasses.replace(repeat, excluded=())
    moment = next(unskipped._moments(start, midnight), None)
    return moment is not None and moment.date() == day


def _ordinal(number: int) -> str:
    suffix = (
        "th"
        if 10 <= number % 100 <= 20
        else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _join(words: list[str] | tuple[str, ...]) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
