"""Freeze the hub's pages into files with Frozen-Flask, in parallel."""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import Flask
from flask_frozen import Freezer

from portal.errors import BuildError
from portal.hub.urls import Endpoint

log = logging.getLogger(__name__)

Progress = Callable[[int], None]

# Below this many pages a second process costs more than it saves.
PARALLEL_THRESHOLD = 150
_BATCH = 25


def freeze(
    app: Flask,
    endpoints: Sequence[Endpoint],
    destination: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Write every endpoint of ``app`` as a file under ``destination``.

    Static files are copied once; pages are shared among ``workers``
    forked processes, each freezing every n-th page so that heavy and
    light pages spread evenly.
    """
    _configure(app, destination)
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(endpoints) < PARALLEL_THRESHOLD:
        _freeze_share(app, endpoints, with_static=True, progress=progress)
        return

    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    processes = [
        context.Process(
            target=_worker, args=(app, endpoints[i::workers], i == 0, queue), daemon=True
        )
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    failures = _collect(queue, len(processes), progress)
    for process in processes:
        process.join()
    if failures:
        raise BuildError("freezing failed:\n" + "\n".join(failures))
    if any(process.exitcode != 0 for process in processes):
        raise BuildError("a freezing process stopped unexpectedly")


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
    app: Flask, endpoints: Sequence[Endpoint], *, with_static: bool, progress: Progress | None
) -> None:
    freezer = Freezer(
        app, with_static_files=with_static, with_no_argument_rules=False, log_url_for=False
    )

    def share() -> Iterator[tuple[str, dict[str, Any]]]:
        yield from endpoints

    freezer.register_generator(share)
    pending = 0
    with warnings.catch_warnings():
        # Each worker freezes a share of the endpoints by design.
        warnings.simplefilter("ignore")
        for _ in freezer.freeze_yield():
            pending += 1
            if progress is not None and pending == _BATCH:
                progress(pending)
                pending = 0
    if progress is not None and pending:
        progress(pending)


def _worker(app: Flask, endpoints: Sequence[Endpoint], with_static: bool, queue: Any) -> None:
    try:
        _freeze_share(
            app, endpoints, with_static=with_static, progress=lambda n: queue.put(("done", n))
        )
    except BaseException:
        queue.put(("error", traceback.format_exc()))
        os._exit(1)
    queue.put(("finished", 0))
    os._exit(0)


def _collect(queue: Any, running: int, progress: Progress | None) -> list[str]:
    failures: list[str] = []
    while running:
        kind, value = queue.get()
        if kind == "done" and progress is not None:
            progress(value)
        elif kind == "error":
            failures.append(value)
            running -= 1
        elif kind == "finished":
            running -= 1
    return failures
