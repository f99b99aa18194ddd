"""Freeze the hub's pages into files with Frozen-Flask, in parallel.

While each page renders, :mod:`portal.build.tracking` notes what it
reads; :func:`freeze` returns those facts with each file written, for
the build's manifest.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_frozen import Freezer

from portal.build.facts import Fact
from portal.build.tracking import rendering, tracking
from portal.content import Site
from portal.errors import BuildError
from portal.hub.urls import Endpoint

log = logging.getLogger(__name__)

Progress = Callable[[int], None]

# Below this many pages a second process costs more than it saves.
PARALLEL_THRESHOLD = 150
_BATCH = 25


@dataclass(frozen=True)
class FrozenPage:
    """One file written by freezing: its URL, its path and what it was made from."""

    url: str
    path: str
    facts: frozenset[Fact]
    # True when the page read something that cannot be looked up again.
    always: bool


def page_urls(app: Flask, endpoints: Sequence[Endpoint]) -> list[str]:
    """Return the URL of every endpoint and of every static file, once each, in order."""
    freezer = Freezer(
        app, with_static_files=True, with_no_argument_rules=False, log_url_for=False
    )

    def share() -> Iterator[Endpoint]:
        yield from endpoints

    freezer.register_generator(share)
    return list(dict.fromkeys(freezer.all_urls()))


def freeze(
    app: Flask,
    site: Site,
    urls: Sequence[str],
    destination: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    ignore: tuple[Path, ...] = (),
) -> list[FrozenPage]:
    """Write each of ``urls`` as a file under ``destination``; return what each read.

    Pages are shared among ``workers`` forked processes, each freezing
    every n-th page so that heavy and light pages spread evenly. Reads
    under ``ignore`` (the output, caches) are not facts of a page.
    """
    _configure(app, destination)
    workers = workers or os.cpu_count() or 1
    with tracking(site, app, ignore=(destination.resolve(), *ignore)):
        if workers < 2 or len(urls) < PARALLEL_THRESHOLD:
            return _freeze_share(app, site, urls, progress=progress)
        return _freeze_parallel(app, site, urls, workers, progress)


def _configure(app: Flask, destination: Path) -> None:
    app.config.update(
        FREEZER_DESTINATION=str(destination.resolve()),
        FREEZER_REMOVE_EXTRA_FILES=False,
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        FREEZER_REDIRECT_POLICY="error",
        # A template error is a bug to show in full, not a status code.
        PROPAGATE_EXCEPTIONS=True,
    )


def _freeze_share(
    app: Flask,
    site: Site,
    urls: Sequence[str],
    *,
    progress: Callable[[list[FrozenPage]], None] | Progress | None,
    batches: bool = False,
) -> list[FrozenPage]:
    freezer = Freezer(
        app, with_static_files=False, with_no_argument_rules=False, log_url_for=False
    )

    def share() -> Iterator[str]:
        yield from urls

    freezer.register_generator(share)
    done: list[FrozenPage] = []
    pending: list[FrozenPage] = []
    with warnings.catch_warnings():
        # Each worker freezes a share of the endpoints by design.
        warnings.simplefilter("ignore")
        frozen = freezer.freeze_yield()
        while True:
            with rendering(site) as inputs:
                page = next(frozen, None)
            if page is None:
                break
            pending.append(
                FrozenPage(
                    page.url, str(page.path), frozenset(inputs.facts), inputs.untracked
                )
            )
            if len(pending) == _BATCH:
                _report(pending, progress, batches)
                done += pending
                pending = []
    if pending:
        _report(pending, progress, batches)
        done += pending
    return done


def _report(pages: list[FrozenPage], progress: Any, batches: bool) -> None:
    if progress is not None:
        progress(list(pages) if batches else len(pages))


def _freeze_parallel(
    app: Flask, site: Site, urls: Sequence[str], workers: int, progress: Progress | None
) -> list[FrozenPage]:
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    processes = [
        context.Process(
            target=_worker, args=(app, site, urls[i::workers], queue), daemon=True
        )
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    pages, failures = _collect(queue, len(processes), progress)
    for process in processes:
        process.join()
    if failures:
        raise BuildError("freezing failed:\n" + "\n".join(failures))
    if any(process.exitcode != 0 for process in processes):
        raise BuildError("a freezing process stopped unexpectedly")
    return pages


def _worker(app: Flask, site: Site, urls: Sequence[str], queue: Any) -> None:
    try:
        _freeze_share(
            app,
            site,
            urls,
            progress=lambda pages: queue.put(("pages", pages)),
            batches=True,
        )
    except BaseException:
        queue.put(("error", traceback.format_exc()))
        os._exit(1)
    queue.put(("finished", None))
    os._exit(0)


def _collect(
    queue: Any, running: int, progress: Progress | None
) -> tuple[list[FrozenPage], list[str]]:
    pages: list[FrozenPage] = []
    failures: list[str] = []
    while running:
        kind, value = queue.get()
        if kind == "pages":
            pages += value
            if progress is not None:
                progress(len(value))
        elif kind == "error":
            failures.append(value)
            running -= 1
        elif kind == "finished":
            running -= 1
    return pages, failures
