"""Build the hub: read the content, freeze every page, publish atomically."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portal.app import create_app
from portal.build.freeze import freeze
from portal.build.generations import Generations
from portal.content import Site, load_site
from portal.hub import hub_urls

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a finished build produced."""

    pages: int
    files: int
    seconds: float
    output: Path
    generation: Path

    def summary(self) -> str:
        """Return the one line that closes a build."""
        return (
            f"Built {self.pages} pages and {self.files} files in {self.seconds:.2f} s "
            f"into {self.output}"
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
) -> BuildReport:
    """Build the hub from ``content_dir`` and publish it at ``output``.

    The previous site stays live until the new one is complete; on any
    error the new generation is discarded.
    """
    started = time.perf_counter()
    site = load_site(content_dir, now=now, strict=strict, workers=workers)
    generations = Generations(output)
    folder = generations.start()
    try:
        _freeze_site(site, folder, theme_dir, workers, on_start, progress)
        generations.publish(folder)
    except BaseException:
        generations.discard(folder)
        raise

    pages, files = _count(folder)
    report = BuildReport(pages, files, time.perf_counter() - started, Path(output), folder)
    log.info("%s", report.summary())
    return report


def check_site(content_dir: Path, *, now: dt.datetime | None = None, strict: bool = False) -> Site:
    """Validate ``content_dir`` without writing anything; return the site."""
    return load_site(content_dir, now=now, strict=strict)


def _freeze_site(
    site: Site,
    folder: Path,
    theme_dir: Path | None,
    workers: int | None,
    on_start: Callable[[int], None] | None,
    progress: Callable[[int], None] | None,
) -> None:
    app = create_app(site, theme_dir=theme_dir)
    app.config["FREEZER_BASE_URL"] = site.settings.base_url
    endpoints = list(hub_urls(site))
    if on_start is not None:
        on_start(len(endpoints))
    freeze(app, endpoints, folder, workers=workers, progress=progress)


def _count(folder: Path) -> tuple[int, int]:
    pages = files = 0
    for _, _, names in os.walk(folder):
        for name in names:
            files += 1
            pages += name.endswith(".html")
    return pages, files


__all__ = ["BuildReport", "build_site", "check_site"]
