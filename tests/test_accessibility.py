"""axe-core finds no WCAG 2.2 AA problem on any kind of page of the sample hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest

from portal.content import Site, slugify
from tests.browser import AXE_SCRIPT, BuiltSample
from tests.conftest import require_tool

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"


def _first(records: Any) -> Any:
    return sorted(records, key=lambda record: record.slug)[0]


# One page of every kind the hub publishes, found in the sample's records.
PAGES: dict[str, Callable[[Site], str]] = {
    "home": lambda site: "",
    "events": lambda site: "events/",
    "event": lambda site: f"events/{_first(site.events).slug}/",
    "showcases": lambda site: "showcases/",
    "showcase": lambda site: f"showcases/{_first(site.showcases).slug}/",
    "partners": lambda site: "partners/",
    "partner": lambda site: f"partners/{_first(site.partners).slug}/",
    "category": lambda site: (
        f"partners/category/{slugify(sorted(site.categories)[0])}/"
    ),
    "tags": lambda site: "tags/",
    "tag": lambda site: f"tags/{sorted(site.tags)[0]}/",
    "page": lambda site: f"{_first(site.pages).slug}/",
    "404": lambda site: "no-such-page/",
    "search": lambda site: "search/?q=market",
}


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on ``page``; return one line per violation and element."""
    require_tool(
        AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing; run npm ci in tests/tools"
    )
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_violations(
    kind: str, browser_page: Page, hub_url: str, built_sample: BuiltSample
) -> None:
    page = browser_page
    page.goto(urljoin(hub_url, PAGES[kind](built_sample.site)))
    if kind == "search":
        # Check the results too, as Pagefind's interface draws them.
        page.locator(".pagefind-ui__result").first.wait_for()

    assert axe_violations(page) == []


def test_axe_reports_an_image_without_alternative_text(browser_page: Page) -> None:
    browser_page.set_content(
        '<!doctype html><html lang="en"><title>x</title><main><img src="a.png"></main></html>'
    )

    assert any(line.startswith("image-alt") for line in axe_violations(browser_page))
