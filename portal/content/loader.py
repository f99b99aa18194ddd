"""Read a content folder into a validated :class:`Site`.

Reading happens in three steps: each file is parsed and its fields
converted on its own (in parallel for large hubs), then the records are
checked against each other (slugs, references), then drafts and
scheduled files are set aside. Every problem of every step is collected
before :class:`ContentError` is raised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from portal.content import frontmatter
from portal.content.fields import FieldValueError, specs_of
from portal.content.markdown import render_markdown
from portal.content.records import KINDS, Event, Page, Partner, Record, Showcase
from portal.content.recurrence import check_series
from portal.content.settings import read_settings
from portal.content.site import Site
from portal.content.slugs import slugify
from portal.errors import ContentError, Problem

if TYPE_CHECKING:
    from portal.content.cache import ContentCache, FileCache

log = logging.getLogger(__name__)

# Page slugs that would shadow the hub's own sections.
RESERVED_SLUGS = frozenset(
    {
        "events",
        "showcases",
        "partners",
        "tags",
        "static",
        "media",
        "search",
        "pagefind",
        "404",
    }
)

# Below this many files a second process costs more than it saves.
PARALLEL_THRESHOLD = 200


@dataclass(frozen=True)
class Reference:
    """One file's mention of a partner, kept to check once all are read."""

    source: str
    line: int
    field: str
    slug: str
    public: bool


@dataclass
class _Outcome:
    records: list[Record]
    errors: list[Problem]
    warnings: list[Problem]
    references: list[Reference]


def load_site(
    content_dir: Path,
    *,
    now: dt.datetime | None = None,
    include_drafts: bool = False,
    strict: bool = False,
    workers: int | None = None,
    kinds: Sequence[type[Record]] = KINDS,
    cache: ContentCache | None = None,
) -> Site:
    """Read and validate ``content_dir``; raise :class:`ContentError` on problems.

    ``now`` decides which events are past and which scheduled files are
    published; it defaults to the current time. With ``include_drafts``
    drafts and scheduled files are kept (for previews). With ``strict``
    warnings count as errors. ``kinds`` are the record classes to read,
    each from its own folder: the built-in ones and any a plugin adds.
    With ``cache``, files unchanged since an earlier build are not read
    again and Markdown rendered before is reused.
    """
    content_dir = Path(content_dir)
    settings, errors, warnings = read_settings(
        content_dir / "site.toml", _label(content_dir, "site.toml")
    )
    timezone = settings.timezone if settings else ZoneInfo("UTC")
    now = _aware(now or dt.datetime.now(dt.UTC), timezone)

    jobs = [
        (record_type, path)
        for record_type in kinds
        for path in _content_files(content_dir, record_type)
    ]
    if cache is None:
        outcome = _read_files(content_dir, jobs, timezone, workers, render_markdown)
    else:
        known = cache.files(content_dir, timezone, kinds)
        outcome = _read_cached(
            content_dir, jobs, timezone, workers, cache.render, known
        )
    errors += outcome.errors
    warnings += outcome.warnings

    records = outcome.records
    errors += _check_slugs(records)
    errors += _check_references(outcome.references, records, now, include_drafts)
    if strict:
        errors += warnings
        warnings = []

    for warning in sorted(warnings):
        log.warning("%s", warning)
    if errors or settings is None:
        raise ContentError(errors)

    published = [r for r in records if include_drafts or _is_public(r, now)]
    log.info("read %d files, %d published", len(records), len(published))
    return Site(
        settings=settings,
        content_dir=content_dir,
        now=now,
        pages=_of_kind(published, Page),
        events=_of_kind(published, Event),
        showcases=_of_kind(published, Showcase),
        partners=_of_kind(published, Partner),
        extra=tuple(
            sorted(
                (r for r in published if type(r) not in KINDS),
                key=lambda r: (r.kind, r.slug),
            )
        ),
        warnings=tuple(sorted(warnings)),
    )


def read_record(
    record_type: type[Record],
    path: Path,
    label: str,
    timezone: ZoneInfo,
    media_dir: Path,
    render: Callable[[str], str] = render_markdown,
) -> tuple[Record | None, list[Problem], list[Problem], list[Reference]]:
    """Read one content file, turning its body into HTML with ``render``.

    Return its record (None when it has errors), its errors, its warnings
    and the partners it names, which are checked once every file is read.
    """
    try:
        parsed = frontmatter.parse(path.read_text(encoding="utf-8"))
    except frontmatter.FrontMatterError as e:
        return None, [Problem(label, e.line, "", str(e))], [], []
    except UnicodeDecodeError:
        return (
            None,
            [Problem(label, 1, "", "expected UTF-8 text; save the file as UTF-8")],
            [],
            [],
        )

    slug = slugify(path.stem)
    if not slug:
        problem = Problem(
            label, 1, "", "the file name needs a letter or digit to make a URL from"
        )
        return None, [problem], [], []

    specs = specs_of(record_type)
    errors: list[Problem] = []
    values: dict[str, Any] = {}
    for name, field_spec in specs.items():
        raw = parsed.fields.get(name)
        if raw is None:
            if field_spec.required:
                errors.append(
                    Problem(
                        label,
                        parsed.lines.get(name, 1),
                        name,
                        f"is required; every {record_type.kind} needs one",
                    )
                )
            continue
        try:
            values[name] = field_spec.convert(raw)
        except FieldValueError as e:
            errors.append(Problem(label, parsed.lines.get(name, 1), name, str(e)))

    article = "an" if record_type.kind[0] in "aeiou" else "a"
    warnings = [
        Problem(
            label,
            parsed.lines.get(name, 1),
            name,
            f"unknown field, ignored; {article} {record_type.kind} accepts {', '.join(specs)}",
        )
        for name in parsed.fields
        if name not in specs
    ]
    _localise_times(values, timezone)
    errors += _check_record_fields(values, parsed.lines, label, media_dir)
    errors += check_series(values, parsed.lines, label)
    references = _references(values, parsed.lines, label)
    if errors:
        return None, errors, warnings, references

    record = record_type(
        slug=slug, source=label, body=parsed.body, html=render(parsed.body), **values
    )
    return record, [], warnings, references


def _check_record_fields(
    values: dict[str, Any], lines: dict[str, int], label: str, media_dir: Path
) -> list[Problem]:
    problems = []
    for image, alt in (("image", "image_alt"), ("logo", "logo_alt")):
        if image not in values:
            continue
        if not (media_dir / values[image]).is_file():
            problems.append(
                Problem(
                    label,
                    lines.get(image, 1),
                    image,
                    f"no file content/media/{values[image]}; add it or fix the name",
                )
            )
        # Every picture needs words for those who cannot see it (WCAG 1.1.1).
        if alt not in values:
            problems.append(
                Problem(
                    label,
                    lines.get(image, 1),
                    alt,
                    f"is required with {image}; describe the picture for people who cannot see it",
                )
            )

    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end <= start:
        problems.append(
            Problem(
                label,
                lines.get("end", 1),
                "end",
                f"expected a time after start ({start:%Y-%m-%d %H:%M}), got '{end:%Y-%m-%d %H:%M}'",
            )
        )
    return problems


def _references(
    values: dict[str, Any], lines: dict[str, int], label: str
) -> list[Reference]:
    public = not values.get("draft") and values.get("publish_at") is None
    found = []
    if values.get("venue"):
        found.append(
            Reference(label, lines.get("venue", 1), "venue", values["venue"], public)
        )
    for slug in values.get("partners", ()):
        found.append(
            Reference(label, lines.get("partners", 1), "partners", slug, public)
        )
    return found


def _localise_times(values: dict[str, Any], site_timezone: ZoneInfo) -> None:
    timezone = values.get("timezone") or site_timezone
    for name in ("start", "end", "publish_at"):
        if name in values:
            values[name] = _aware(values[name], timezone)


def _aware(moment: dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone)
    return moment


def _content_files(content_dir: Path, record_type: type[Record]) -> list[Path]:
    folder = content_dir / record_type.folder
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*.md") if p.is_file() and not p.name.startswith(".")
    )


def _label(content_dir: Path, *parts: str) -> str:
    path = content_dir.joinpath(*parts)
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


_Chunk = tuple[
    Path, Sequence[tuple[type[Record], Path]], ZoneInfo, Callable[[str], str]
]


def _read_chunk(args: _Chunk) -> _Outcome:
    content_dir, jobs, timezone, render = args
    outcome = _Outcome([], [], [], [])
    for record_type, path in jobs:
        label = _label(content_dir, str(path.relative_to(content_dir)))
        record, errors, warnings, references = read_record(
            record_type, path, label, timezone, content_dir / "media", render
        )
        if record is not None:
            outcome.records.append(record)
        outcome.errors += errors
        outcome.warnings += warnings
        outcome.references += references
    return outcome


def _read_files(
    content_dir: Path,
    jobs: list[tuple[type[Record], Path]],
    timezone: ZoneInfo,
    workers: int | None,
    render: Callable[[str], str],
) -> _Outcome:
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(jobs) < PARALLEL_THRESHOLD:
        return _read_chunk((content_dir, jobs, timezone, render))

    # Rendering Markdown dominates reading; forked workers share nothing
    # but their slice of the file list and send back plain records.
    size = -(-len(jobs) // (workers * 4))
    chunks: list[_Chunk] = [
        (content_dir, jobs[i : i + size], timezone, render)
        for i in range(0, len(jobs), size)
    ]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        outcomes = pool.map(_read_chunk, chunks)
    merged = _Outcome([], [], [], [])
    for outcome in outcomes:
        merged.records += outcome.records
        merged.errors += outcome.errors
        merged.warnings += outcome.warnings
        merged.references += outcome.references
    return merged


def _read_cached(
    content_dir: Path,
    jobs: list[tuple[type[Record], Path]],
    timezone: ZoneInfo,
    workers: int | None,
    render: Callable[[str], str],
    known: FileCache,
) -> _Outcome:
    """Read the files that changed since ``known`` was written; recall the others."""
    recalled: dict[Path, _Outcome] = {}
    for _, path in jobs:
        outcome = known.recall(path)
        if outcome is not None:
            recalled[path] = outcome
    missing = [job for job in jobs if job[1] not in recalled]
    fresh = _read_files(content_dir, missing, timezone, workers, render)

    # Each record and problem carries the label of its file, which sorts
    # what was read in one batch back into one outcome per file.
    paths = {
        _label(content_dir, str(p.relative_to(content_dir))): p for _, p in missing
    }
    parts = {path: _Outcome([], [], [], []) for path in paths.values()}
    try:
        for record in fresh.records:
            parts[paths[record.source]].records.append(record)
        for name in ("errors", "warnings"):
            for problem in getattr(fresh, name):
                getattr(parts[paths[problem.path]], name).append(problem)
        for reference in fresh.references:
            parts[paths[reference.source]].references.append(reference)
    except KeyError:
        return _merged([*recalled.values(), fresh])
    for path, part in parts.items():
        known.remember(path, part)
    known.save()
    recalled.update(parts)
    return _merged([recalled[path] for _, path in jobs])


def _merged(outcomes: Iterable[_Outcome]) -> _Outcome:
    merged = _Outcome([], [], [], [])
    for outcome in outcomes:
        merged.records += outcome.records
        merged.errors += outcome.errors
        merged.warnings += outcome.warnings
        merged.references += outcome.references
    return merged


def _check_slugs(records: Iterable[Record]) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        key = (record.kind, record.slug)
        if key in seen:
            problems.append(
                Problem(
                    record.source,
                    1,
                    "",
                    f"the slug '{record.slug}' is also "
                    f"used by {seen[key].source}; rename one of the files",
                )
            )
        else:
            seen[key] = record
        if isinstance(record, Page) and record.slug in RESERVED_SLUGS:
            problems.append(
                Problem(
                    record.source,
                    1,
                    "",
                    f"the slug '{record.slug}' is kept for the hub's own pages; rename the file",
                )
            )
    return problems


def _check_references(
    references: list[Reference],
    records: list[Record],
    now: dt.datetime,
    include_drafts: bool,
) -> list[Problem]:
    partners = {r.slug: r for r in records if isinstance(r, Partner)}
    problems = []
    for ref in references:
        partner = partners.get(ref.slug)
        if partner is None:
            known = ", ".join(sorted(partners)) or "none yet"
            message = (
                f"no partner file named '{ref.slug}.md'; known partners are {known}"
            )
        elif ref.public and not include_drafts and not _is_public(partner, now):
            message = (
                f"the partner '{ref.slug}' is not published yet; "
                "publish it or remove the reference"
            )
        else:
            continue
        problems.append(Problem(ref.source, ref.line, ref.field, message))
    return problems


def _is_public(record: Record, now: dt.datetime) -> bool:
    if record.draft:
        return False
    return record.publish_at is None or record.publish_at <= now


def _of_kind(records: list[Record], record_type: type[Record]) -> tuple[Any, ...]:
    chosen = [r for r in records if type(r) is record_type]
    return tuple(sorted(chosen, key=lambda r: r.slug))


def replace_record(record: Record, **changes: Any) -> Record:
    """Return a copy of ``record`` with some values changed."""
    return dataclasses.replace(record, **changes)
