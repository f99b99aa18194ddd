"""A visitor's paths through the built sample hub, in Chromium at two widths."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest
from icalendar import Calendar

from portal.content import Showcase, Site
from tests.browser import BuiltSample, primary_shard_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def path_of(url: str) -> str:
    """Return the path of ``url``, the part that names a page of the hub."""
    return urlsplit(url).path


def test_visitor_goes_from_home_to_an_event_and_adds_it_to_a_calendar(
    browser_page: Page, hub_url: str, built_sample: BuiltSample
) -> None:
    page = browser_page
    page.goto(hub_url)
    coming_up = page.locator(
        "section", has=page.get_by_role("heading", name="Coming up")
    )
    link = coming_up.locator("h3 a").first
    title = link.inner_text()

    link.click()

    page.wait_for_url(re.compile(r"/events/[^/]+/$"))
    slug = path_of(page.url).split("/")[2]
    event = built_sample.site.index["event"][slug]
    assert page.get_by_role("heading", level=1).inner_text() == title == event.title

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to calendar", re.I)).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.start


def test_visitor_filters_the_partner_directory_by_category(
    browser_page: Page, hub_url: str, built_sample: BuiltSample
) -> None:
    page = browser_page
    site = built_sample.site
    page.goto(urljoin(hub_url, "partners/"))
    categories = page.get_by_role("navigation", name="Categories")
    name, expected = max(site.categories.items(), key=lambda item: len(item[1]))
    others = {p.slug for p in site.partners} - {p.slug for p in expected}
    assert others, "the sample needs partners in more than one category"

    categories.get_by_role("link", name=name, exact=True).click()

    # Each category is a page of its own, not a jump within the directory.
    page.wait_for_url(lambda url: path_of(url).rstrip("/") != "/partners")
    assert urlsplit(page.url).fragment == ""
    assert name in page.get_by_role("heading", level=1).inner_text()
    listed = _partner_slugs(page, site)
    assert listed == {p.slug for p in expected}


def test_visitor_searches_for_a_word_from_a_showcase_and_lands_on_it(
    browser_page: Page, hub_url: str, built_sample: BuiltSample
) -> None:
    showcase, word = _distinctive_word(built_sample.site)

    _search_and_land(browser_page, hub_url, showcase, word)


def test_search_of_a_sharded_index_finds_a_page_outside_the_first_shard(
    new_page: Callable[..., Page], sharded_hub_url: str, sharded_sample: BuiltSample
) -> None:
    primary = primary_shard_pages(sharded_sample.output)
    showcase, word = _distinctive_word(
        sharded_sample.site, skip=lambda s: f"/showcases/{s.slug}/" in primary
    )

    _search_and_land(new_page(1280), sharded_hub_url, showcase, word)


def _search_and_land(page: Page, hub_url: str, showcase: Showcase, word: str) -> None:
    page.goto(hub_url)

    page.get_by_role("searchbox", name="Search this site").fill(word)
    page.get_by_role("search").get_by_role("button", name="Search").click()

    page.wait_for_url(re.compile(r"/search/\?q="))
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for()
    assert result.inner_text() == showcase.title
    assert not page.get_by_text("Searching needs JavaScript").is_visible()
    result.click()
    page.wait_for_url(re.compile(rf"/showcases/{showcase.slug}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == showcase.title


def test_header_search_reaches_the_search_page_without_javascript(
    new_page: Callable[..., Page], hub_url: str
) -> None:
    page = new_page(375, java_script_enabled=False)
    page.goto(urljoin(hub_url, "events/"))

    page.get_by_role("searchbox", name="Search this site").fill("market")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    page.wait_for_url(re.compile(r"/search/\?q=market$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    fallback = page.get_by_role("main").get_by_text("Searching needs JavaScript")
    assert fallback.is_visible()
    assert page.get_by_role("main").get_by_role("link", name="Showcases").is_visible()


def _partner_slugs(page: Page, site: Site) -> set[str]:
    """Return the partners a page of the directory links to, from its main content."""
    slugs = set()
    for href in page.locator("main a").evaluate_all("links => links.map(a => a.href)"):
        parts = path_of(href).strip("/").split("/")
        if (
            len(parts) == 2
            and parts[0] == "partners"
            and parts[1] in site.partners_by_slug
        ):
            slugs.add(parts[1])
    return slugs


def _distinctive_word(
    site: Site, skip: Callable[[Showcase], bool] = lambda showcase: False
) -> tuple[Showcase, str]:
    """Return a showcase and a long word of its text found in no other record.

    Words of its title are left out: pages that list the showcase show it.
    Showcases for which ``skip`` is true are passed over.
    """
    texts = {
        (record.kind, record.slug): " ".join(
            str(getattr(record, name, "") or "")
            for name in ("title", "summary", "body")
        ).lower()
        for record in site.records()
    }
    for showcase in site.showcases:
        if skip(showcase):
            continue
        own = texts[("showcase", showcase.slug)]
        shown = f"{showcase.title} {showcase.maker}".lower()
        others = [
            text for key, text in texts.items() if key != ("showcase", showcase.slug)
        ]
        for word in sorted(set(re.findall(r"[a-z]{7,}", own))):
            if word[:6] not in shown and not any(word[:6] in text for text in others):
                return showcase, word
    raise AssertionError("no showcase of the sample has a word of its own")
