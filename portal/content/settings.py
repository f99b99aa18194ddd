"""Site settings, read from ``content/site.toml``."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.content.fields import (
    EMAIL,
    TEXT,
    TEXT_LIST,
    TIMEZONE,
    URL,
    FieldValueError,
    spec,
    specs_of,
)
from portal.errors import Problem


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The settings of one community hub."""

    name: str = spec(
        TEXT,
        "The community's name, shown on every page.",
        required=True,
        example='"The Corner Café & Books"',
    )
    base_url: str = spec(
        URL,
        "Where the hub is published; canonical links start with it.",
        required=True,
        example='"https://corner.example.org/"',
    )
    tagline: str | None = spec(
        TEXT, "A short line under the name.", example='"Coffee, books and neighbours"'
    )
    timezone: ZoneInfo = spec(
        TIMEZONE,
        "The time zone events are in unless they say otherwise.",
        default=ZoneInfo("UTC"),
    )
    locale: str = spec(
        TEXT,
        "Language and region for dates, like en_GB or fr_FR.",
        default="en_GB",
        example="en_GB",
    )
    contact: str | None = spec(EMAIL, "The address visitors can write to.")
    portal_url: str | None = spec(
        URL,
        "Where the members' portal runs; leave out if it does not.",
        example='"https://corner.example.org/portal/"',
    )
    datasette_url: str | None = spec(
        URL,
        "Where Datasette serves the published numbers.",
        example='"https://data.corner.example.org/"',
    )
    plugins: tuple[str, ...] = spec(
        TEXT_LIST,
        "Plugins from the plugins/ folder to switch on, by file name without .py.",
        example='["partner_map"]',
        default=(),
    )


def read_settings(
    path: Path, label: str
) -> tuple[Settings | None, list[Problem], list[Problem]]:
    """Read ``site.toml``; return the settings, the errors and the warnings."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return (
            None,
            [Problem(label, 0, "", "file not found; every hub needs a site.toml")],
            [],
        )

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, reason = _toml_error(str(e), text)
        return None, [Problem(label, line, "", f"not valid TOML: {reason}")], []

    lines = _key_lines(text)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    specs = specs_of(Settings)
    for name, field_spec in specs.items():
        if name not in raw:
            if field_spec.required:
                problems.append(Problem(label, 0, name, "is required"))
            continue
        try:
            values[name] = field_spec.convert(raw[name])
        except FieldValueError as e:
            problems.append(Problem(label, lines.get(name, 0), name, str(e)))

    warnings = [
        Problem(
            label,
            lines.get(name, 0),
            name,
            f"unknown setting, ignored; known settings are {', '.join(specs)}",
        )
        for name in raw
        if name not in specs
    ]

    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    if problems:
        return None, problems, warnings
    return Settings(**values), [], warnings


def replace_settings(settings: Settings, **changes: Any) -> Settings:
    """Return a copy of ``settings`` with some values changed."""
    return dataclasses.replace(settings, **changes)


def _key_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key, sep, _ = line.partition("=")
        key = key.strip()
        if sep and key and not key.startswith(("#", "[")):
            lines.setdefault(key.strip('"'), number)
    return lines


def _toml_error(message: str, text: str) -> tuple[int, str]:
    """Split tomllib's message into a line number and the reason alone."""
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        return int(
            match.group(1)
        ), f"{message[: match.start()]} (column {match.group(2)})"
    if message.endswith("(at end of document)"):
        return text.count("\n") or 1, message.replace(
            "(at end of document)", "(at the end)"
        )
    return 0, message
