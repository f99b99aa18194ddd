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

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
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
        isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip()
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


TEXT = FieldType("text", "some text", _text, '"Some words"')
BOOLEAN = FieldType("true/false", "true or false", _boolean, "false")
INTEGER = FieldType("whole number", "a whole number like 40", _integer, "40")
NUMBER = FieldType("number", "a number like 51.4545", _number, "51.4545")
DATE = FieldType("date", "a date like 2027-01-14", _date, "2027-01-14")
DATETIME = FieldType(
    "date and time", "a date and time like 2027-01-14 18:30", _datetime, "2027-01-14 18:30"
)
TIMEZONE = FieldType(
    "time zone", "an IANA time zone like Europe/London", _timezone, "Europe/London"
)
URL = FieldType("URL", "a full address like https://example.org/", _url, "https://example.org/")
EMAIL = FieldType("email", "an email address", _email, "hello@example.org")
PARTNER = FieldType("partner", "a partner's file name", _slug, "moon-bakery")
PARTNERS = FieldType("partners", "a list of partners' file names", _slug_list, "[moon-bakery]")
TEXT_LIST = FieldType("list", "a list like [music, books]", _text_list, "[music, books]")
MEDIA = FieldType("image", "a file in content/media/", _media, "quilt.svg")


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
    declared = [field for field in dataclasses.fields(record_type) if SPEC_KEY in field.metadata]
    shared = {field.name for field in declared if field.name in _SHARED}
    ordered = [f for f in declared if f.name not in shared] + [
        f for f in declared if f.name in shared
    ]
    return {field.name: field.metadata[SPEC_KEY] for field in ordered}


_SHARED = ("tags", "draft", "publish_at")
