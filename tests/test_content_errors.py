"""Every kind of content mistake stops the build with one exact line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

EVENT = """\
---
title: Book club
start: 2027-01-14 18:30
---
We read.
"""

PARTNER = """\
---
name: Moon Bakery
category: Food and drink
---
Bread.
"""

CASES = [
    pytest.param(
        {"events/book-club.md": "---\ntitle: Book club\nstart: next tuesday\n---\n"},
        "content/events/book-club.md:3: start: expected a date and time like "
        "2027-01-14 18:30, got 'next tuesday'",
        id="bad-datetime",
    ),
    pytest.param(
        {"events/book-club.md": "---\nstart: 2027-01-14 18:30\n---\n"},
        "content/events/book-club.md:1: title: is required; every event needs one",
        id="missing-required",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: A\nstart: 2027-01-14 18:30\nstatus: maybe\n---\n"
        },
        "content/events/book-club.md:4: status: expected one of scheduled, cancelled, "
        "postponed, moved-online, got 'maybe'",
        id="not-a-choice",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: A\nstart: 2027-01-14 18:30\ncapacity: lots\n---\n"
        },
        "content/events/book-club.md:4: capacity: expected a whole number like 40, got 'lots'",
        id="not-a-number",
    ),
    pytest.param(
        {
            "events/book-club.md": (
                "---\ntitle: A\nstart: 2027-01-14 18:30\nend: 2027-01-14 17:00\n---\n"
            )
        },
        "content/events/book-club.md:4: end: expected a time after start (2027-01-14 18:30), "
        "got '2027-01-14 17:00'",
        id="end-before-start",
    ),
    pytest.param(
        {
            "events/book-club.md": (
                "---\ntitle: A\nstart: 2027-01-14 18:30\ntimezone: Mars/Olympus\n---\n"
            )
        },
        "content/events/book-club.md:4: timezone: expected an IANA time zone like "
        "Europe/London, got 'Mars/Olympus'",
        id="bad-timezone",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: A\nstart: 2027-01-14 18:30\nonline_url: zoom\n---\n"
        },
        "content/events/book-club.md:4: online_url: expected a full address like "
        "https://example.org/, got 'zoom'",
        id="bad-url",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: A\nstart: 2027-01-14 18:30\nvenue: moon\n---\n",
            "partners/moon-bakery.md": PARTNER,
        },
        "content/events/book-club.md:4: venue: no partner file named 'moon.md'; known "
        "partners are moon-bakery",
        id="unknown-venue",
    ),
    pytest.param(
        {
            "showcases/quilt.md": "---\ntitle: Quilt\nmaker: Ada\nimage: quilt.svg\n"
            "image_alt: A quilt\npartners: [moon-bakery, sun-books]\n---\n",
            "media/quilt.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "partners/moon-bakery.md": PARTNER,
        },
        "content/showcases/quilt.md:6: partners: no partner file named 'sun-books.md'; "
        "known partners are moon-bakery",
        id="unknown-partner-in-list",
    ),
    pytest.param(
        {
            "events/book-club.md": (
                "---\ntitle: A\nstart: 2027-01-14 18:30\nvenue: moon-bakery\n---\n"
            ),
            "partners/moon-bakery.md": "---\nname: Moon\ncategory: Food\ndraft: true\n---\n",
        },
        "content/events/book-club.md:4: venue: the partner 'moon-bakery' is not published "
        "yet; publish it or remove the reference",
        id="draft-partner",
    ),
    pytest.param(
        {"events/book-club.md": EVENT, "events/2026/book-club.md": EVENT},
        "content/events/book-club.md:1: the slug 'book-club' is also used by "
        "content/events/2026/book-club.md; rename one of the files",
        id="duplicate-slug",
    ),
    pytest.param(
        {"pages/events.md": "---\ntitle: Our events\n---\n"},
        "content/pages/events.md:1: the slug 'events' is kept for the hub's own pages; "
        "rename the file",
        id="reserved-slug",
    ),
    pytest.param(
        {
            "showcases/quilt.md": (
                "---\ntitle: Quilt\nmaker: Ada\nimage: quilt.png\n"
                "image_alt: A quilt\n---\n"
            )
        },
        "content/showcases/quilt.md:4: image: no file content/media/quilt.png; add it or fix "
        "the name",
        id="missing-image",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: A\nstart: 2027-01-14 18:30\nimage: club.svg\n---\n",
            "media/club.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
        "content/events/book-club.md:4: image_alt: is required with image; describe the "
        "picture for people who cannot see it",
        id="missing-alt-text",
    ),
    pytest.param(
        {
            "events/book-club.md": "---\ntitle: [unclosed\nstart: 2027-01-14 18:30\n---\n"
        },
        "content/events/book-club.md:3: the front matter is not valid YAML: did not find "
        "expected ',' or ']'",
        id="invalid-yaml",
    ),
    pytest.param(
        {"events/book-club.md": "Just some words.\n"},
        "content/events/book-club.md:1: expected the file to start with a '---' line and "
        "YAML fields",
        id="no-front-matter",
    ),
    pytest.param(
        {
            "site.toml": (
                "name = 'Hub'\nbase_url = 'https://hub.example.org/'\n"
                "timezone = 'Nowhere'\n"
            )
        },
        "content/site.toml:3: timezone: expected an IANA time zone like Europe/London, got "
        "'Nowhere'",
        id="bad-setting",
    ),
    pytest.param(
        {"site.toml": "name = 'Hub'\n"},
        "content/site.toml: base_url: is required",
        id="missing-setting",
    ),
    pytest.param(
        {"site.toml": "name = Hub\n"},
        "content/site.toml:1: not valid TOML: Invalid value (column 8)",
        id="invalid-toml",
    ),
]


def _write_all(content: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("files", "message"), CASES)
def test_content_error_is_one_exact_line(
    content: Path, run_cli: Callable[..., object], files: dict[str, str], message: str
) -> None:
    _write_all(content, files)

    result = run_cli("build")

    assert result.exit_code == 1
    assert message in result.output.splitlines()
    assert "Traceback" not in result.output
    assert not (content.parent / "public").exists()


@pytest.mark.parametrize(("files", "message"), CASES)
def test_check_reports_the_same_line_and_writes_nothing(
    content: Path, run_cli: Callable[..., object], files: dict[str, str], message: str
) -> None:
    _write_all(content, files)
    before = sorted(p.relative_to(content.parent) for p in content.parent.rglob("*"))

    result = run_cli("check")

    assert result.exit_code == 1
    assert message in result.output.splitlines()
    assert (
        sorted(p.relative_to(content.parent) for p in content.parent.rglob("*"))
        == before
    )


def test_every_problem_in_every_file_is_reported_together(
    content: Path, run_cli: Callable[..., object]
) -> None:
    _write_all(
        content,
        {
            "events/a.md": "---\ntitle: A\nstart: soon\nvenue: nowhere\n---\n",
            "events/b.md": "---\nstart: 2027-01-14 18:30\ncapacity: -3\n---\n",
            "showcases/c.md": "---\ntitle: C\nmaker: M\n---\n",
        },
    )

    result = run_cli("build")

    problems = [
        line for line in result.output.splitlines() if line.startswith("content/")
    ]
    assert problems == [
        "content/events/a.md:3: start: expected a date and time like 2027-01-14 18:30, got 'soon'",
        "content/events/a.md:4: venue: no partner file named 'nowhere.md'; known partners are "
        "none yet",
        "content/events/b.md:1: title: is required; every event needs one",
        "content/events/b.md:3: capacity: expected a whole number like 40, got -3",
        "content/showcases/c.md:1: image: is required; every showcase needs one",
        "content/showcases/c.md:1: image_alt: is required; every showcase needs one",
    ]
    assert "Error: 6 problems in the content" in result.output
    assert result.exit_code == 1


def test_unknown_field_warns_and_builds(
    content: Path, run_cli: Callable[..., object]
) -> None:
    _write_all(
        content,
        {"events/a.md": "---\ntitle: A\nstart: 2027-01-14 18:30\ncolour: red\n---\n"},
    )

    result = run_cli("build")

    assert result.exit_code == 0
    assert (
        "warning: content/events/a.md:4: colour: unknown field, ignored;"
        in result.output
    )
    assert (content.parent / "public" / "events" / "a" / "index.html").is_file()


def test_unknown_field_fails_under_strict(
    content: Path, run_cli: Callable[..., object]
) -> None:
    _write_all(
        content,
        {"events/a.md": "---\ntitle: A\nstart: 2027-01-14 18:30\ncolour: red\n---\n"},
    )

    result = run_cli("--strict", "build")

    assert result.exit_code == 1
    assert any(
        line.startswith("content/events/a.md:4: colour: unknown field")
        for line in result.output.splitlines()
    )
    assert not (content.parent / "public").exists()


def test_failed_build_leaves_last_good_site_in_place(
    content: Path, run_cli: Callable[..., object]
) -> None:
    _write_all(content, {"events/a.md": EVENT})
    assert run_cli("build").exit_code == 0
    public = content.parent / "public"
    live = public.resolve()
    page = (public / "events" / "a" / "index.html").read_bytes()

    _write_all(content, {"events/a.md": "---\ntitle: A\nstart: whenever\n---\n"})
    result = run_cli("build")

    assert result.exit_code == 1
    assert public.resolve() == live
    assert (public / "events" / "a" / "index.html").read_bytes() == page
