"""Build the hub: read the content, freeze what changed, publish atomically."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from portal.app import create_app
from portal.build.generations import Generations
from portal.build.incremental import FreezeOutcome, freeze_incrementally
from portal.build.search import BUNDLE, index_site
from portal.content import Site, load_site
from portal.content.cache import ContentCache
from portal.hub import hub_urls
from portal.images import prepare_images
from portal.plugins import plugin_urls, plugins_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a finished build produced."""

    pages: int
    files: int
    seconds: float
    output: Path
    generation: Path
    # Frozen files rendered by this build and taken from the previous one.
    rendered: int = 0
    reused: int = 0
    # Why every file was rendered, or None when the build was incremental.
    full_reason: str | None = None

    def summary(self) -> str:
        """Return the one line that closes a build."""
        return (
            f"Built {self.pages} pages and {self.files} files in {self.seconds:.2f} s "
            f"into {self.output} ({self.rendered} rendered, {self.reused} unchanged)"
        )


def build_site(
    content_dir: Path,
    output: Path,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    theme_dir: Path | None = None,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    clean: bool = False,
) -> BuildReport:
    """Build the hub from ``content_dir`` and publish it at ``output``.

    Only pages whose content, templates or files changed since the live
    build are rendered; the others are taken from it unchanged. With
    ``clean`` every page is rendered. The previous site stays live until
    the new one is complete; on any error the new generation is discarded.
    """
    started = time.perf_counter()

    # 1. Read the content, reusing what earlier builds read and rendered.
    with _step("read the content"):
        plugins = plugins_for(content_dir)
        kinds = plugins.content_kinds()
        cache = ContentCache(cache_dir(content_dir))
        site = load_site(
            content_dir,
            now=now,
            strict=strict,
            workers=workers,
            kinds=kinds,
            cache=cache,
        )

    # 2. Make the pictures' variants.
    with _step("prepared the pictures"):
        prepare_images(site, workers=workers)

    # 3. Freeze into a new generation what changed; link the rest.
    generations = Generations(output)
    folder = generations.start(recycle=not clean)
    try:
        with _step("froze the pages"):
            frozen = _freeze_site(
                site, folder, generations, theme_dir, workers, clean, on_start, progress
            )

        # 4. Index the new generation for search, taking the parts of the
        # index whose pages did not change from the live generation.
        with _step("indexed for search"):
            live = None if clean else generations.current()
            _index_site(generations, folder, live, workers)

        # 5. Publish it in one step.
        with _step("published"):
            generations.publish(folder)
    except BaseException:
        generations.wait()
        generations.discard(folder)
        raise

    pages, files = _count(folder)
    report = BuildReport(
        pages,
        files,
        time.perf_counter() - started,
        Path(output),
        folder,
        rendered=frozen.rendered,
        reused=frozen.reused,
        full_reason=frozen.reason,
    )
    # The command line prints this line itself; -v would show it twice.
    log.debug("%s", report.summary())
    plugins.build_finished(site, Path(output), report)
    return report


def check_site(
    content_dir: Path, *, now: dt.datetime | None = None, strict: bool = False
) -> Site:
    """Validate ``content_dir`` without writing anything; return the site."""
    kinds = plugins_for(content_dir).content_kinds()
    return load_site(content_dir, now=now, strict=strict, kinds=kinds)


def cache_dir(content_dir: Path) -> Path:
    """Return the folder of what builds of ``content_dir`` keep for later builds.

    It sits beside the content folder, in ``.townsquare/``, which is
    never published nor committed.
    """
    return Path(content_dir).resolve().parent / ".townsquare" / "cache"


def _freeze_site(
    site: Site,
    folder: Path,
    generations: Generations,
    theme_dir: Path | None,
    workers: int | None,
    clean: bool,
    on_start: Callable[[int], None] | None,
    progress: Callable[[int], None] | None,
) -> FreezeOutcome:
    app = create_app(site, theme_dir=theme_dir)
    app.config["FREEZER_BASE_URL"] = site.settings.base_url
    endpoints = [*hub_urls(site), *plugin_urls(app, site)]
    return freeze_incrementally(
        app,
        site,
        endpoints,
        generations,
        folder,
        clean=clean,
        workers=workers,
        on_start=on_start,
        progress=progress,
        keep=(f"{BUNDLE}/",),
    )


def _index_site(
    generations: Generations, folder: Path, live: Path | None, workers: int | None
) -> None:
    previous_record = generations.record_path(live, "search") if live else None
    index_site(
        folder,
        record=generations.record_path(folder, "search"),
        previous=live,
        previous_record=previous_record,
        workers=workers,
    )


@contextmanager
def _step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    log.info("%s in %.2f s", name, time.perf_counter() - started)


def _count(folder: Path) -> tuple[int, int]:
    pages = files = 0
    for _, _, names in os.walk(folder):
        for name in names:
            files += 1
            pages += name.endswith(".html")
    return pages, files


__all__ = ["BuildReport", "build_site", "cache_dir", "check_site"]
