"""Markdown becomes HTML that is safe to publish, in GitHub's dialect."""

from __future__ import annotations

import pytest

from portal.content.markdown import render_markdown


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        pytest.param("Hi <script>alert(1)</script>", "<script", id="script"),
        pytest.param("<style>body { display: none }</style>", "<style", id="style"),
        pytest.param(
            '<img src="x.png" alt="" onerror="steal()">', "onerror", id="event-handler"
        ),
        pytest.param(
            "[click](javascript:steal())", "javascript:", id="javascript-link"
        ),
        pytest.param(
            '<a href="javascript:steal()">x</a>', "javascript:", id="javascript-html"
        ),
        pytest.param('<form action="/x"><input name="q"></form>', "<form", id="form"),
        pytest.param(
            '<iframe src="https://example.org/"></iframe>', "<iframe", id="iframe"
        ),
        pytest.param('<p style="color: red">x</p>', "style=", id="style-attribute"),
        pytest.param('<td class="evil">x</td>', "evil", id="class"),
    ],
)
def test_dangerous_html_never_reaches_the_page(text: str, unwanted: str) -> None:
    assert unwanted not in render_markdown(text)


def test_allowed_html_is_kept() -> None:
    html = render_markdown(
        'A <abbr title="Repair Café">RC</abbr> and <mark>this</mark>.'
    )

    assert '<abbr title="Repair Café">RC</abbr>' in html
    assert "<mark>this</mark>" in html


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("# Big news\n", id="atx"),
        pytest.param("Big news\n========\n", id="setext"),
        pytest.param("<h1>Big news</h1>\n", id="html"),
    ],
)
def test_first_level_headings_become_second_level(text: str) -> None:
    html = render_markdown(text)

    assert "<h1" not in html
    assert "<h2>Big news</h2>" in html


def test_hash_inside_a_code_block_stays_as_written() -> None:
    html = render_markdown("```\n# not a heading\n```\n")

    assert "# not a heading" in html
    assert "<h2" not in html


def test_tables_keep_their_alignment_as_classes() -> None:
    html = render_markdown("| Day | Price |\n| :-- | --: |\n| Mon | £5 |\n")

    assert '<th class="align-left">Day</th>' in html
    assert '<td class="align-right">£5</td>' in html
    assert "align=" not in html


def test_github_extensions_and_smart_punctuation() -> None:
    html = render_markdown(
        'See https://example.org -- ~~old~~ "new".\n\nA note[^1].\n\n[^1]: Quietly.\n'
    )

    assert '<a href="https://example.org" rel="noopener noreferrer">' in html
    assert "<del>old</del>" in html
    assert "\u201cnew\u201d" in html
    assert "\u2013" in html
    assert 'href="#fn-1"' in html
    assert 'id="fn-1"' in html


def test_links_open_without_handing_over_the_page() -> None:
    html = render_markdown("[the bakery](https://moon.example.org/)")

    assert html.strip() == (
        '<p><a href="https://moon.example.org/" rel="noopener noreferrer">the bakery</a></p>'
    )
