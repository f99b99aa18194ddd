"""Facts a frozen page was made from, and their digests on a given site.

A fact names one input of a page in a way that can be looked up again
on the next build without rendering anything:

``("site", step, ...)``
    a value reached from the :class:`~portal.content.Site`: ``("a", name)``
    reads an attribute, ``("k", key)`` looks a key up in a mapping and
    ``("c", arguments)`` calls a method with arguments encoded by
    :func:`encode_arguments`;
``("field", kind, slug, name)``
    one field of one record (``"*"`` for the whole record);
``("template", name)``
    the source of one template;
``("file", path)`` and ``("dir", path)``
    the bytes of a file, or the names in a folder, read while rendering.

A digest describes a value with every record in it reduced to its kind
and slug: which records a listing holds and in what order. What a page
shows of each record is a ``field`` fact of its own, so editing one
event changes the digests of the pages that show it and of the listings
it enters or leaves, and of no others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, TemplateNotFound

from portal.content import Record, Site

Fact = tuple[Any, ...]

MISSING = "-"
# Digests are compared, never trusted for security: 8 bytes keep the
# manifest small and make an accidental collision practically impossible.
_DIGEST_SIZE = 8
_ABSENT = object()


def digest_of(value: Any) -> str:
    """Return a short digest of ``value`` with records reduced to their identity."""
    if isinstance(value, str):
        return _hash(f"s{len(value)}:{value}")
    if value is None:
        return _NONE
    parts: list[str] = []
    _feed(value, parts, None)
    return _hash("\x1f".join(parts))


def records_in(value: Any) -> list[Record]:
    """Return every record ``value`` holds, however deeply."""
    found: list[Record] = []
    _feed(value, [], found)
    return found


def record_key(record: Record) -> tuple[str, str]:
    """Return the ``(kind, slug)`` pair that names ``record`` across builds."""
    return type(record).kind, object.__getattribute__(record, "slug")


def record_fields(record_type: type[Record]) -> frozenset[str]:
    """Return the names of the fields an owner's file fills in a record."""
    return frozenset(f.name for f in dataclasses.fields(record_type))


def site_records(site: Site) -> dict[tuple[str, str], Record]:
    """Return every published record of ``site`` keyed by kind and slug."""
    found: dict[tuple[str, str], Record] = {}
    for item in dataclasses.fields(site):
        value = getattr(site, item.name)
        if isinstance(value, tuple):
            for record in value:
                if isinstance(record, Record):
                    found[record_key(record)] = record
    return found


def encode_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """Return a method call's arguments as text that names records by kind and slug.

    Return None when an argument is of a kind that cannot be found again
    on another build's site.
    """
    encoded: list[Any] = []
    for value in (*args, *kwargs.values()):
        if isinstance(value, Record):
            encoded.append({"record": list(record_key(value))})
        elif value is None or isinstance(value, str | int | float | bool):
            encoded.append(value)
        else:
            return None
    return json.dumps(
        [encoded[: len(args)], dict(zip(kwargs, encoded[len(args) :], strict=True))]
    )


def site_value(
    site: Site, steps: Iterable[Any], records: Mapping[tuple[str, str], Record]
) -> Any:
    """Follow ``steps`` (as in a ``site`` fact) from ``site``; return what they reach.

    ``records`` finds the records a method was called with.
    """
    value: Any = site
    pairs = iter(steps)
    for action, argument in zip(pairs, pairs, strict=True):
        if value is _ABSENT:
            break
        if action == "a":
            value = getattr(value, argument, _ABSENT)
        elif action == "k":
            value = (
                value.get(argument, _ABSENT) if isinstance(value, Mapping) else _ABSENT
            )
        elif action == "c":
            value = _call(value, argument, records)
        else:
            raise ValueError(f"unknown step {action!r} in a site fact")
    return value


def _call(
    method: Any, arguments: str, records: Mapping[tuple[str, str], Record]
) -> Any:
    args, kwargs = json.loads(arguments)
    decoded = []
    for value in (*args, *kwargs.values()):
        if isinstance(value, dict):
            value = records.get((value["record"][0], value["record"][1]), _ABSENT)
            if value is _ABSENT:
                return _ABSENT
        decoded.append(value)
    named = dict(zip(kwargs, decoded[len(args) :], strict=True))
    return materialise(method(*decoded[: len(args)], **named))


def materialise(value: Any) -> Any:
    """Return ``value``, with an iterator turned into a tuple so it can be read twice."""
    if isinstance(value, Iterator):
        return tuple(value)
    return value


class Evaluator:
    """Compute the digest of facts against one site, each at most once."""

    def __init__(self, site: Site, env: Environment | None) -> None:
        self.site = site
        self.env = env
        self.records = site_records(site)
        self._known: dict[Fact, str] = {}
        self._records: dict[tuple[str, str], str] = {}

    def digest(self, fact: Fact) -> str:
        """Return the digest of ``fact`` on this site (``MISSING`` when it is gone)."""
        known = self._known.get(fact)
        if known is None:
            known = self._known[fact] = self._compute(fact)
        return known

    def trust(self, fact: Fact, digest: str) -> None:
        """Take ``digest`` as the digest of ``fact``, known to be unchanged, uncomputed."""
        self._known[fact] = digest

    def record_digest(self, key: tuple[str, str]) -> str:
        """Return a digest of every field of one record, to skip its fields when unchanged.

        Equal records may give different digests (pickle notes shared
        objects); that only costs a closer look at their fields.
        """
        known = self._records.get(key)
        if known is None:
            record = self.records.get(key)
            if record is None:
                known = MISSING
            else:
                try:
                    data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
                except (
                    Exception
                ):  # a field pickle cannot copy is compared field by field
                    data = os.urandom(16)
                known = hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()
            self._records[key] = known
        return known

    def _compute(self, fact: Fact) -> str:
        kind = fact[0]
        if kind == "field":
            return self._field(fact[1], fact[2], fact[3])
        if kind == "site":
            value = site_value(self.site, fact[1:], self.records)
            return MISSING if value is _ABSENT else digest_of(value)
        if kind == "template":
            return self._template(fact[1])
        if kind == "file":
            return file_digest(Path(fact[1]))
        if kind == "dir":
            return folder_digest(Path(fact[1]))
        raise ValueError(f"unknown fact {fact!r}")

    def _field(self, kind: str, slug: str, name: str) -> str:
        record = self.records.get((kind, slug))
        if record is None:
            return MISSING
        if name == "*":
            return digest_of(
                [getattr(record, f) for f in sorted(record_fields(type(record)))]
            )
        return digest_of(getattr(record, name, _ABSENT))

    def _template(self, name: str) -> str:
        if self.env is None or self.env.loader is None:
            return MISSING
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)
        except TemplateNotFound:
            return MISSING
        return _hash(source)


def file_digest(path: Path) -> str:
    """Return a digest of a file's bytes, or ``MISSING`` when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return MISSING
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()


def folder_digest(path: Path) -> str:
    """Return a digest of the names in a folder, or ``MISSING`` when it cannot be listed."""
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return MISSING
    return _hash("\x1f".join(names))


def _hash(text: str) -> str:
    """Return the digest of some text."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()


def _feed(value: Any, parts: list[str], found: list[Record] | None) -> None:
    """Append tokens that describe ``value`` to ``parts``; collect records into ``found``."""
    if value is None or isinstance(value, bool | int | float):
        parts.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, str):
        # The length keeps "a","b" apart from "a\x1fb".
        parts.append(f"s{len(value)}:{value}")
    elif isinstance(value, Record):
        kind, slug = record_key(value)
        parts.append(f"R:{kind}:{slug}")
        if found is not None:
            found.append(value)
    elif isinstance(value, Mapping):
        parts.append(f"{{{len(value)}")
        for key, item in (
            dict.items(value) if isinstance(value, dict) else value.items()
        ):
            _feed(key, parts, found)
            _feed(item, parts, found)
    elif isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
        parts.append(f"[{len(items)}")
        for item in items:
            _feed(item, parts, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts.append(f"D:{type(value).__qualname__}")
        for item in dataclasses.fields(value):
            parts.append(item.name)
            _feed(getattr(value, item.name), parts, found)
    else:
        parts.append(_scalar(value))


def _scalar(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"dt:{value.isoformat()}:{value.tzinfo}"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        return f"{type(value).__name__}:{shown}"
    if isinstance(value, ZoneInfo):
        return f"tz:{value.key}"
    if isinstance(value, PurePath):
        return f"p:{value}"
    if isinstance(value, enum.Enum):
        return f"e:{type(value).__qualname__}.{value.name}"
    if isinstance(value, bytes):
        return f"b:{hashlib.blake2b(value, digest_size=_DIGEST_SIZE).hexdigest()}"
    # An object of unknown shape is described by its repr; one that shows
    # its memory address differs on every build, so what depends on it is
    # rendered every time rather than reused wrongly.
    return f"o:{type(value).__qualname__}:{value!r}"


_NONE = _hash("NoneType:None")
