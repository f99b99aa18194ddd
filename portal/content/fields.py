"""Field types: how one front-matter value is checked and converted.

Every kind of content declares its fields once, as dataclass fields whose
metadata is a :class:`Spec`. The same declaration drives validation, the
README's field tables and the scaffolds written by ``build.py new``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SPEC_KEY = "townsquare"

_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE = re.compile(r"^(https?://[^\s/$.?#][^\s]*|mailto:\S+@\S+)$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FieldValueError(ValueError):
    """A value does not fit its field; the message says what would."""


@dataclass(frozen=True)
class FieldType:
    """A named converter from a raw YAML value to a typed value."""

    name: str
    expected: str
    convert: Callable[[Any], Any]
    example: str


def _fail(expected: str, value: Any) -> FieldValueError:
    return FieldValueError(f"expected {expected}, got {value!r}")


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise _fail("some text", value)
    text = str(value).strip()
    if not text:
        raise _fail("some text", value)
    return text


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _fail("true or false", value)


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _fail("a whole number like 40", value)


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _fail("a number like 51.4545", value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail("a date like 2027-01-14", value)


def _datetime(value: Any) -> dt.datetime:
    # YAML turns "2027-01-14 18:30:00" into a datetime but leaves
    # "2027-01-14 18:30" as text, so both arrive here.
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in _DATETIME_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    raise _fail("a date and time like 2027-01-14 18:30", value)


def _timezone(value: Any) -> ZoneInfo:
    if isinstance(value, str) and value.strip():
        try:
            return ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise _fail("an IANA time zone like Europe/London", value)


def _url(value: Any) -> str:
    if isinstance(value, str) and _URL_RE.match(value.strip()):
        return value.strip()
    raise _fail("a full address like https://example.org/", value)


def _email(value: Any) -> str:
    if isinstance(value, str) and _EMAIL_RE.match(value.strip()):
        return value.strip()
    raise _fail("an email address like hello@example.org", value)


def _slug(value: Any) -> str:
    if isinstance(value, str) and _SLUG_RE.match(value.strip()):
        return value.strip()
    raise _fail("a file name without .md, like moon-bakery", value)


def _text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(
        isinstance(item, (str, int, float))
        and not isinstance(item, bool)
        and str(item).strip()
        for item in value
    ):
        return tuple(str(item).strip() for item in value)
    raise _fail("a list like [music, books]", value)


def _slug_list(value: Any) -> tuple[str, ...]:
    items = _text_list(value) if value is not None else ()
    for item in items:
        if not _SLUG_RE.match(item):
            raise _fail("a list of file names without .md, like [moon-bakery]", value)
    return items


def _media(value: Any) -> str:
    if isinstance(value, str):
        path = value.strip().removeprefix("media/")
        if path and not path.startswith(("/", "..")) and "/../" not in path:
            return path
    raise _fail("a file in content/media/ like quilt.jpg", value)


DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_HOURS_SHAPE = 'opening hours like "Mo-Fr 08:00-18:00" or "Su closed"'
_SPAN_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OpeningHours:
    """One line of a partner's opening hours: some days and their times.

    ``days`` holds ``(first, last)`` pairs of day numbers (0 is Monday); a
    pair may wrap past Sunday, as in ``Fr-Mo``. ``spans`` holds
    ``(opens, closes)`` pairs as ``HH:MM``; none means closed all day. A
    closing time before the opening time is on the next day.
    """

    text: str
    days: tuple[tuple[int, int], ...]
    spans: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return self.text

    @property
    def weekdays(self) -> tuple[int, ...]:
        """Return every day number the line covers, in the order written."""
        found: list[int] = []
        for first, last in self.days:
            day = first
            while True:
                if day not in found:
                    found.append(day)
                if day == last:
                    break
                day = (day + 1) % 7
        return tuple(found)


def _opening_hours(value: Any) -> tuple[OpeningHours, ...]:
    # The notation is the part of OpenStreetMap's opening_hours that
    # schema.org's openingHours shares: days, then times or "closed".
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list) or (isinstance(value, str) and not value.strip()):
        raise _fail(_HOURS_SHAPE, value)
    parsed = []
    for line in lines:
        if not isinstance(line, str):
            raise _fail(_HOURS_SHAPE, line)
        parsed += [_hours_line(part) for part in line.split(";") if part.strip()]
    return tuple(parsed)


def _hours_line(line: str) -> OpeningHours:
    tidy = re.sub(r"\s*([-,])\s*", r"\1", line.strip().replace("–", "-"))
    parts = tidy.split()
    if len(parts) != 2:
        raise _fail(_HOURS_SHAPE, line.strip())
    days = tuple(_day_range(item, line) for item in parts[0].split(","))
    if parts[1].lower() in ("closed", "off"):
        spans: tuple[tuple[str, str], ...] = ()
    else:
        spans = tuple(_time_span(item, line) for item in parts[1].split(","))
    text = ",".join(_day_text(first, last) for first, last in days)
    times = ",".join(f"{opens}-{closes}" for opens, closes in spans) or "closed"
    return OpeningHours(f"{text} {times}", days, spans)


def _day_range(item: str, line: str) -> tuple[int, int]:
    codes = item.split("-")
    if len(codes) > 2:
        raise _hours_fail("one day or a range of days like Mo-Fr", item, line)
    numbers = []
    for code in codes:
        if code.capitalize() not in DAY_CODES:
            expected = "days written " + ", ".join(DAY_CODES[:-1]) + " or Su"
            raise _hours_fail(expected, code, line)
        numbers.append(DAY_CODES.index(code.capitalize()))
    return numbers[0], numbers[-1]


def _hours_fail(expected: str, part: str, line: str) -> FieldValueError:
    return FieldValueError(f"expected {expected}, got '{part}' in '{line.strip()}'")


def _day_text(first: int, last: int) -> str:
    if first == last:
        return DAY_CODES[first]
    return f"{DAY_CODES[first]}-{DAY_CODES[last]}"


def _time_span(item: str, line: str) -> tuple[str, str]:
    match = _SPAN_RE.match(item)
    if match is None:
        raise _hours_fail("times like 08:00-18:00", item, line)
    hours_open, minutes_open, hours_close, minutes_close = (
        int(g) for g in match.groups()
    )
    for hours, minutes in ((hours_open, minutes_open), (hours_close, minutes_close)):
        if minutes > 59 or hours > 24 or (hours == 24 and minutes):
            raise _hours_fail("times between 00:00 and 24:00", item, line)
    opens = f"{hours_open:02d}:{minutes_open:02d}"
    closes = f"{hours_close:02d}:{minutes_close:02d}"
    if opens == closes or opens == "24:00":
        raise _hours_fail("a closing time different from the opening time", item, line)
    return opens, closes


TEXT = FieldType("text", "some text", _text, '"Some words"')
BOOLEAN = FieldType("true/false", "true or false", _boolean, "false")
INTEGER = FieldType("whole number", "a whole number like 40", _integer, "40")
NUMBER = FieldType("number", "a number like 51.4545", _number, "51.4545")
DATE = FieldType("date", "a date like 2027-01-14", _date, "2027-01-14")
DATETIME = FieldType(
    "date and time",
    "a date and time like 2027-01-14 18:30",
    _datetime,
    "2027-01-14 18:30",
)
TIMEZONE = FieldType(
    "time zone", "an IANA time zone like Europe/London", _timezone, "Europe/London"
)
URL = FieldType(
    "URL", "a full address like https://example.org/", _url, "https://example.org/"
)
EMAIL = FieldType("email", "an email address", _email, "hello@example.org")
PARTNER = FieldType("partner", "a partner's file name", _slug, "moon-bakery")
PARTNERS = FieldType(
    "partners", "a list of partners' file names", _slug_list, "[moon-bakery]"
)
TEXT_LIST = FieldType(
    "list", "a list like [music, books]", _text_list, "[music, books]"
)
MEDIA = FieldType("image", "a file in content/media/", _media, "quilt.svg")
OPENING_HOURS = FieldType(
    "opening hours", _HOURS_SHAPE, _opening_hours, '["Mo-Fr 08:00-18:00", "Su closed"]'
)


@dataclass(frozen=True)
class Spec:
    """What the owner may write in one front-matter field."""

    type: FieldType
    help: str
    required: bool = False
    choices: Sequence[str] = ()
    example: str = ""

    def convert(self, value: Any) -> Any:
        """Return ``value`` converted, or raise :class:`FieldValueError`."""
        converted = self.type.convert(value)
        if self.choices and converted not in self.choices:
            accepted = ", ".join(self.choices)
            raise FieldValueError(f"expected one of {accepted}, got {value!r}")
        return converted

    @property
    def sample(self) -> str:
        """Return an example value as it would be written in YAML."""
        if self.example:
            return self.example
        if self.choices:
            return self.choices[0]
        return self.type.example


def spec(
    type: FieldType,
    help: str,
    *,
    required: bool = False,
    choices: Sequence[str] = (),
    example: str = "",
    default: Any = None,
) -> Any:
    """Declare a content field: a dataclass field carrying its :class:`Spec`."""
    metadata = {SPEC_KEY: Spec(type, help, required, tuple(choices), example)}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple for a sequence default")
    if required:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def specs_of(record_type: type) -> dict[str, Spec]:
    """Return the field specs a record class declares.

    A kind's own fields come first, in declaration order; the fields that
    every kind shares (tags, draft, publish_at) follow them.
    """
    declared = [
        field for field in dataclasses.fields(record_type) if SPEC_KEY in field.metadata
    ]
    shared = {field.name for field in declared if field.name in _SHARED}
    ordered = [f for f in declared if f.name not in shared] + [
        f for f in declared if f.name in shared
    ]
    return {field.name: field.metadata[SPEC_KEY] for field in ordered}


_SHARED = ("tags", "draft", "publish_at")
