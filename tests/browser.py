"""Fixtures for tests that look at the built hub: the sample, served, in Chromium.

The sample community is built once per session into a temporary folder
and served on 127.0.0.1 by the same static server ``build.py demo`` uses;
one Debian Chromium, driven by Playwright, serves every browser test.
``tests/conftest.py`` makes these fixtures available to every test file.
"""

from __future__ import annotations

import gzip
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from portal.build import build_site
from portal.build.static_server import make_server
from portal.content import Site, load_site
from tests.conftest import NOW, ROOT, SAMPLE_CONTENT, require_tool

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium with the flags that work headless, as root, offline.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TOOLS = ROOT / "tests" / "tools" / "node_modules"
AXE_SCRIPT = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"

# A phone and a laptop: the two layouts the stylesheet has.
WIDTHS = {"375px": 375, "1280px": 1280}


@dataclass(frozen=True)
class BuiltSample:
    """The sample community, built once: its content, records and output."""

    content: Path
    output: Path
    site: Site


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> BuiltSample:
    """Build a copy of the sample community as of ``NOW``, once per session."""
    root = tmp_path_factory.mktemp("sample-hub")
    content = Path(shutil.copytree(SAMPLE_CONTENT, root / "content"))
    output = root / "public"
    build_site(content, output, now=NOW)
    return BuiltSample(content, output, load_site(content, now=NOW))


@pytest.fixture(scope="session")
def sharded_sample(tmp_path_factory: pytest.TempPathFactory) -> BuiltSample:
    """Build the sample with its search index split into several shards."""
    root = tmp_path_factory.mktemp("sharded-hub")
    content = Path(shutil.copytree(SAMPLE_CONTENT, root / "content"))
    output = root / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("portal.build.shards.PAGES_PER_SHARD", 4)
        build_site(content, output, now=NOW)
    return BuiltSample(content, output, load_site(content, now=NOW))


def primary_shard_pages(output: Path) -> set[str]:
    """Return the addresses of the pages in the first shard of the search index."""
    found = set()
    for fragment in (output / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        found.add(json.loads(data[data.index(b"{") :])["url"])
    return found


@pytest.fixture(scope="session")
def hub_url(built_sample: BuiltSample) -> Iterator[str]:
    """Serve the built sample on a free port of 127.0.0.1; yield its address."""
    yield from _serve(built_sample.output)


@pytest.fixture(scope="session")
def sharded_hub_url(sharded_sample: BuiltSample) -> Iterator[str]:
    """Serve the sample with a sharded search index; yield its address."""
    yield from _serve(sharded_sample.output)


def _serve(folder: Path) -> Iterator[str]:
    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Launch Debian's Chromium once for the whole session."""
    require_tool(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "the playwright package is not installed")
        raise

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture()
def new_page(chromium: Browser) -> Iterator[Callable[..., Page]]:
    """Return a function opening a page in a fresh browser context.

    It takes the viewport ``width`` and any option of
    ``Browser.new_context``; every context is closed after the test.
    """
    contexts: list[Any] = []

    def open_page(width: int = 1280, **options: Any) -> Page:
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(params=list(WIDTHS.values()), ids=list(WIDTHS))
def browser_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    """Return a page at each of the hub's widths, 375 and 1280 pixels."""
    page: Page = new_page(request.param)
    return page
