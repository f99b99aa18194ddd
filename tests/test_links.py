"""Every internal link of a built hub leads to a file, and every anchor to an id."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from portal.build import build_site
from portal.links import check_links
from tests.conftest import NOW, SAMPLE_CONTENT

BASE = "https://hub.example.org/"
SAMPLE_BASE = "https://corner.example.org/"


@pytest.fixture(scope="module")
def sample_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of the sample community, built once for this module."""
    output = tmp_path_factory.mktemp("sample") / "public"
    return build_site(SAMPLE_CONTENT, output, now=NOW, workers=1).generation


def _root_relative_targets(folder: Path) -> list[tuple[str, str, str]]:
    """Return (page, address, file) for every root-relative href and src, by regex."""
    found = []
    for page in sorted(folder.rglob("*.html")):
        for address in re.findall(r'(?:href|src)="(/[^"#?]*)', page.read_text("utf-8")):
            path = unquote(address).lstrip("/")
            target = path + "index.html" if path == "" or path.endswith("/") else path
            found.append((str(page.relative_to(folder)), address, target))
    return found


def test_every_internal_link_of_the_sample_hub_leads_somewhere(
    sample_hub: Path,
) -> None:
    report = check_links(sample_hub, SAMPLE_BASE)

    assert [str(broken) for broken in report.broken] == []
    assert report.pages == len(list(sample_hub.rglob("*.html")))
    # Checked apart from the checker, so that a checker that looks at
    # nothing cannot pass: the same links, resolved by a plain regex.
    targets = _root_relative_targets(sample_hub)
    assert len(targets) > 500
    assert report.links >= len(targets)
    assert [t for t in targets if not (sample_hub / t[2]).is_file()] == []


def test_every_anchor_of_the_sample_hub_names_an_id_on_its_page(
    sample_hub: Path,
) -> None:
    anchors = 0
    for page in sample_hub.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', text))
        for fragment in re.findall(r'href="#([^"]+)"', text):
            anchors += 1
            assert fragment in ids, f"{page.relative_to(sample_hub)}: #{fragment}"

    assert anchors > 0


def test_a_broken_link_in_markdown_is_reported_with_its_exact_line(
    write: Callable[[str, str], Path],
    content: Path,
    run_cli: Callable[..., Any],
    tmp_path: Path,
) -> None:
    write(
        "pages/about.md",
        """
        ---
        title: About us
        ---
        We meet on Thursdays.

        See [the fair](/events/no-such-fair/) and [the rules](/about/#rules).
        """,
    )
    built = build_site(content, tmp_path / "elsewhere" / "public", now=NOW).generation
    lines = (built / "about/index.html").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "/events/no-such-fair/" in text)

    checked = run_cli("--now", "2027-01-01T12:00", "check", "--links")

    assert checked.exit_code == 1
    made_from = "(page made from content/pages/about.md)"
    assert checked.output.splitlines()[1:3] == [
        f"about/index.html:{line}: link /events/no-such-fair/ points at nothing: "
        f"no file events/no-such-fair/index.html {made_from}",
        f"about/index.html:{line}: link /about/#rules points at nothing: "
        f'about/index.html has no id "rules" {made_from}',
    ]
    assert checked.output.splitlines()[-1].endswith(": 2 links lead nowhere.")


def test_check_links_passes_a_sound_hub_and_leaves_public_alone(
    write: Callable[[str, str], Path], run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    write("pages/about.md", "---\ntitle: About us\n---\nSee [events](/events/#main).\n")

    checked = run_cli("--now", "2027-01-01T12:00", "check", "--links")

    assert checked.exit_code == 0, checked.output
    assert "every one leads somewhere" in checked.output
    assert not any(p.name.startswith("public") for p in tmp_path.iterdir())


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "built"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


PAGES = {
    "index.html": '<main id="main"><a name="old-anchor"></a></main>',
    "events/index.html": '<h2 id="past">Past</h2>',
    "events/a/index.html": "<p>A</p>",
    "events/b/index.html": "<p>B</p>",
    "media/my picture.svg": "<svg/>",
    "static/site.css": "",
    "404.html": "<p>Lost</p>",
}

CASES = [
    pytest.param('<a href="/events/">', None, id="folder"),
    pytest.param('<a href="/events">', None, id="folder-without-slash"),
    pytest.param('<a href="../b/">', None, id="relative"),
    pytest.param(
        '<a href="../c/">', "no file events/c/index.html", id="relative-missing"
    ),
    pytest.param('<a href="/gone/">', "no file gone/index.html", id="missing-page"),
    pytest.param('<a href="/events/?page=2#past">', None, id="query-and-anchor"),
    pytest.param(
        '<a href="/events/#future">',
        'events/index.html has no id "future"',
        id="anchor",
    ),
    pytest.param('<a href="/#old-anchor">', None, id="named-anchor"),
    pytest.param('<a href="#top">', None, id="top"),
    pytest.param('<a href="#">', None, id="empty-fragment"),
    pytest.param('<a href="#here"><b id="here">', None, id="same-page"),
    pytest.param(
        '<a href="#nowhere">',
        'events/a/index.html has no id "nowhere"',
        id="same-page-missing",
    ),
    pytest.param(f'<a href="{BASE}events/b/">', None, id="absolute"),
    pytest.param(
        f'<link rel="canonical" href="{BASE}gone/">',
        "no file gone/index.html",
        id="canonical",
    ),
    pytest.param('<a href="https://example.org/gone/">', None, id="other-host"),
    pytest.param('<a href="mailto:hello@example.org">', None, id="mailto"),
    pytest.param('<img src="/media/my%20picture.svg" alt="">', None, id="encoded"),
    pytest.param('<img src="/media/x.jpg" alt="">', "no file media/x.jpg", id="image"),
    pytest.param(
        '<img srcset="/media/my%20picture.svg 1x, /media/big.svg 2x" alt="">',
        "no file media/big.svg",
        id="srcset",
    ),
    pytest.param(
        '<script src="/static/app.js"></script>', "no file static/app.js", id="script"
    ),
    pytest.param(
        '<form action="/search/"></form>', "no file search/index.html", id="form"
    ),
    pytest.param(
        '<form action="https://hub.example.org/portal/join">', None, id="portal"
    ),
    pytest.param(
        '<a class="card"\n   href="/gone/">', "no file gone/index.html", id="two-lines"
    ),
    pytest.param('<a data-href="/gone/" class="x">', None, id="data-attribute"),
    pytest.param(
        '<a href="#card"><li data-id="card">',
        'events/a/index.html has no id "card"',
        id="not-an-id",
    ),
    pytest.param('<!-- <a href="/gone/"> -->', None, id="comment"),
    pytest.param(
        "<script>let a = '<a href=\"/gone/\">';</script>", None, id="script-text"
    ),
]


@pytest.mark.parametrize(("markup", "missing"), CASES)
def test_link_checker_judges_each_kind_of_address(
    tmp_path: Path, markup: str, missing: str | None
) -> None:
    page = f"<!doctype html>\n<title>A</title>\n<p>\n{markup}\n</p>\n"
    folder = _folder(tmp_path, {**PAGES, "events/a/index.html": page})

    report = check_links(folder, BASE, outside=[f"{BASE}portal/"])

    expected = [f"events/a/index.html:4: {missing}"] if missing else []
    assert [f"{b.page}:{b.line}: {b.missing}" for b in report.broken] == expected


def test_line_numbers_stay_exact_after_tags_spread_over_lines(tmp_path: Path) -> None:
    page = '<div class="a"\n     role="note">\n<p>\n<em>x</em></p>\n</div><a\nhref="/gone/">'
    folder = _folder(tmp_path, {"index.html": page})

    report = check_links(folder, BASE)

    assert [(b.line, b.address) for b in report.broken] == [(5, "/gone/")]


def test_a_hub_in_a_sub_folder_reports_links_that_leave_it(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {
            "index.html": """
                <a href="/cafe/events/">fine</a>
                <a href="/events/">outside</a>
                <a href="https://hub.example.org/shop/">the owner's shop</a>
            """,
            "events/index.html": "<p>Events</p>",
        },
    )

    report = check_links(folder, "https://hub.example.org/cafe/")

    assert [str(broken) for broken in report.broken] == [
        "index.html:2: link /events/ points at nothing: "
        "the hub lives under /cafe/, so this address is outside it"
    ]


def test_each_broken_link_names_its_page_line_address_and_source(
    tmp_path: Path,
) -> None:
    folder = _folder(
        tmp_path,
        {"events/a/index.html": "<p>\n\n<img src='/media/x.svg' alt=''>\n</p>"},
    )

    report = check_links(
        folder, BASE, sources={"events/a/index.html": "content/events/a.md"}
    )

    assert [str(broken) for broken in report.broken] == [
        "events/a/index.html:3: image /media/x.svg points at nothing: no file media/x.svg "
        "(page made from content/events/a.md)"
    ]
    assert (
        report.summary() == "Checked 1 internal links on 1 pages: 1 link leads nowhere."
    )
