"""Write a new content file that lists, and explains, every field of its kind.

The fields come from the kind's declaration (:func:`specs_of`), so a field
added in code, or a kind a plugin adds, shows up in new files without a
change here. Required fields get a value that validates: the title
given, the next full hour for a time, today for a date, the first of a
list of choices, or the field's example. Optional fields are written
commented out, with their example, ready to switch on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.content import Page, Record, Spec, slugify, specs_of
from portal.content.fields import DATE, DATETIME, MEDIA
from portal.content.loader import RESERVED_SLUGS, read_record
from portal.content.settings import read_settings
from portal.errors import Problem, TownsquareError
from portal.plugins import plugins_for

# Kept as a file of its own so that every new showcase can share it and the
# owner can see at a glance which files still wait for their picture.
PLACEHOLDER_PICTURE = "placeholder.svg"
_PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")
_PLACEHOLDER_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
  <rect width="1200" height="800" fill="#e8e4dc"/>
  <text x="600" y="410" font-family="sans-serif" font-size="48" fill="#6b655b"
        text-anchor="middle">Picture to come</text>
</svg>
"""

_WIDTH = 76
_PROMPTS = {
    "event": "Say what happens, who it is for and what to bring.",
    "showcase": "Tell the story of the work: how it was made and where to see it.",
    "partner": "Say what the place does and why the community goes there.",
    "page": "Write the page here.",
}
_MARKDOWN_HINT = (
    "(Replace these lines. This part is Markdown: a blank line starts a new\n"
    "paragraph, **words** are bold and [words](https://example.org/) make a link.)"
)


class ScaffoldError(TownsquareError):
    """A new content file cannot be written; the message says why."""


@dataclass(frozen=True)
class Scaffold:
    """A content file just written, and what the owner still has to do."""

    path: Path
    kind: str
    stand_ins: tuple[str, ...]
    picture_fields: tuple[str, ...]
    placeholders: tuple[Path, ...]
    problems: tuple[Problem, ...]

    @property
    def draft(self) -> bool:
        """Return whether the file starts as a draft, waiting for a picture."""
        return bool(self.picture_fields)

    def lines(self) -> list[str]:
        """Return what to tell the owner: the file written and what is left to do."""
        said = [f"Wrote {_label(self.path)}"]
        said += [
            f"Wrote the stand-in picture {_label(path)}" for path in self.placeholders
        ]
        if self.draft:
            fields = " and ".join(self.picture_fields)
            said.append(
                f"It starts as a draft, kept out of the public build, because {fields} "
                "needs a real picture: put it in content/media/, name it in the file, "
                "then delete the line 'draft: true'."
            )
        if self.stand_ins:
            said.append(f"Replace the stand-in values of: {', '.join(self.stand_ins)}.")
        return said


@dataclass(frozen=True)
class _Entry:
    """How one field is written: its value, whether it is on, and a note."""

    name: str
    spec: Spec
    value: str
    active: bool
    note: str = ""


def record_types(content_dir: Path) -> dict[str, type[Record]]:
    """Return every kind of content the hub in ``content_dir`` reads, keyed by name.

    The built-in kinds come first, then those of the plugins it switches on.
    """
    kinds = plugins_for(content_dir).content_kinds()
    return {record_type.kind: record_type for record_type in kinds}


def scaffold(
    content_dir: Path,
    record_type: type[Record],
    title: str,
    *,
    values: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Scaffold:
    """Write a new file of ``record_type`` named after ``title``; refuse to overwrite.

    ``values`` sets fields by name (a datetime for ``start``, a date for
    ``date``); ``now`` decides what the next full hour and today are.
    """
    content_dir = Path(content_dir)
    slug = _slug_for(record_type, title)
    path = _free_path(content_dir / record_type.folder, slug)

    timezone = _site_timezone(content_dir)
    moment = now or dt.datetime.now(timezone)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone)
    media_dir = content_dir / "media"
    entries = _entries(record_type, title, slug, dict(values or {}), moment, media_dir)
    picture_fields = tuple(
        e.name
        for e in entries
        if e.active and e.spec.type is MEDIA and e.value == PLACEHOLDER_PICTURE
    )
    if picture_fields:
        entries = [
            _as_draft(entry) if entry.name == "draft" else entry for entry in entries
        ]
    placeholders = _write_placeholder(media_dir) if picture_fields else ()
    _write_new(path, _render(record_type, entries))

    _, errors, warnings, _ = read_record(
        record_type, path, _label(path), timezone, media_dir
    )
    stand_ins = tuple(
        e.name for e in entries if e.active and e.note and e.name != "draft"
    )
    return Scaffold(
        path,
        record_type.kind,
        stand_ins,
        picture_fields,
        placeholders,
        tuple(errors + warnings),
    )


def _render(record_type: type[Record], entries: list[_Entry]) -> str:
    lines = [
        "---",
        f"# A new {record_type.kind}. Lines that start with # are notes; to use an",
        "# optional field, delete the # in front of its name.",
    ]
    for entry in entries:
        lines.append("")
        lines += _comment(entry.spec.help)
        lines += _comment(_accepts(entry))
        if entry.note:
            lines += _comment(entry.note)
        lines.append(f"{'' if entry.active else '# '}{entry.name}: {entry.value}")
    prompt = _PROMPTS.get(
        record_type.kind, f"Write about this {record_type.kind} here."
    )
    lines += ["---", prompt, "", _MARKDOWN_HINT]
    return "\n".join(lines) + "\n"


def _entries(
    record_type: type[Record],
    title: str,
    slug: str,
    values: dict[str, Any],
    now: dt.datetime,
    media_dir: Path,
) -> list[_Entry]:
    specs = specs_of(record_type)
    title_field = _title_field(specs)
    entries = []
    for name, spec in specs.items():
        if name in values:
            entries.append(_Entry(name, spec, _yaml(values[name]), active=True))
        elif name == title_field:
            entries.append(_Entry(name, spec, _yaml(title), active=True))
        elif spec.required:
            entries.append(_required(name, spec, slug, now, media_dir))
        else:
            entries.append(_Entry(name, spec, spec.sample, active=False))
    return entries


def _required(
    name: str, spec: Spec, slug: str, now: dt.datetime, media_dir: Path
) -> _Entry:
    # Each required value below validates, so the new file builds at once;
    # the note tells the owner which of them are guesses to replace.
    if spec.type is DATETIME:
        hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        return _Entry(
            name,
            spec,
            f"{hour:%Y-%m-%d %H:%M}",
            True,
            "Set to the next full hour: change it.",
        )
    if spec.type is DATE:
        return _Entry(
            name, spec, now.date().isoformat(), True, "Set to today: change it."
        )
    if spec.choices:
        return _Entry(
            name,
            spec,
            spec.choices[0],
            True,
            "Set to the first choice: change it if need be.",
        )
    if spec.type is MEDIA:
        own = _picture_named(media_dir, slug)
        if own is not None:
            return _Entry(name, spec, own, True)
        note = (
            "A stand-in for now: put your picture in content/media/ and name it here."
        )
        return _Entry(name, spec, PLACEHOLDER_PICTURE, True, note)
    return _Entry(name, spec, spec.sample, True, "An example: replace it with yours.")


def _as_draft(entry: _Entry) -> _Entry:
    # A stand-in picture must never reach the public hub.
    note = "On while the picture is a stand-in: delete this line once it is real."
    return _Entry(entry.name, entry.spec, "true", True, note)


def _accepts(entry: _Entry) -> str:
    status = "Required" if entry.spec.required else "Optional"
    if entry.spec.choices:
        return f"{status}; one of: " + ", ".join(entry.spec.choices) + "."
    return f"{status}; accepts {entry.spec.type.expected}."


def _comment(text: str) -> list[str]:
    lines = textwrap.wrap(text, _WIDTH, break_long_words=False, break_on_hyphens=False)
    return ["# " + line for line in lines]


def _title_field(specs: Mapping[str, Spec]) -> str:
    for name in ("title", "name"):
        if name in specs:
            return name
    return next((name for name, spec in specs.items() if spec.required), "")


def _yaml(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    # A JSON string is a YAML double-quoted scalar, and quoting keeps a
    # title such as "Yes: a party" or "#1" from meaning something else.
    return json.dumps(str(value), ensure_ascii=False)


def _slug_for(record_type: type[Record], title: str) -> str:
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(
            f"the title {title!r} needs a letter or digit to make a file name from"
        )
    if issubclass(record_type, Page) and slug in RESERVED_SLUGS:
        raise ScaffoldError(
            f"a page cannot be called '{slug}': that address is kept for the hub's own "
            "pages; choose another title"
        )
    return slug


def _free_path(folder: Path, slug: str) -> Path:
    # Sub-folders do not change a file's address, so a file of the same
    # name anywhere in the kind's folder would clash.
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if slugify(path.stem) == slug:
                raise ScaffoldError(
                    f"{_label(path)} already exists, and two files cannot share the address "
                    f"'{slug}'; edit that file or choose another title"
                )
    return folder / f"{slug}.md"


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Mode "x" refuses a file that appeared since the check for one.
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{_label(path)} already exists; edit it or choose another title"
        ) from None


def _write_placeholder(media_dir: Path) -> tuple[Path, ...]:
    picture = media_dir / PLACEHOLDER_PICTURE
    if picture.exists():
        return ()
    media_dir.mkdir(parents=True, exist_ok=True)
    picture.write_text(_PLACEHOLDER_SVG, encoding="utf-8")
    return (picture,)


def _picture_named(media_dir: Path, slug: str) -> str | None:
    for suffix in _PICTURE_SUFFIXES:
        if (media_dir / f"{slug}{suffix}").is_file():
            return f"{slug}{suffix}"
    return None


def _site_timezone(content_dir: Path) -> ZoneInfo:
    settings, _, _ = read_settings(
        content_dir / "site.toml", _label(content_dir / "site.toml")
    )
    return settings.timezone if settings is not None else ZoneInfo("UTC")


def _label(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
