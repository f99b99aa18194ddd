"""A progress bar for builds on a terminal, and silence elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)


@contextmanager
def progress_bar(
    enabled: bool = True,
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """Yield ``(on_start, advance)`` callbacks that drive a bar on a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield (lambda total: None), (lambda count: None)
        return

    with Progress(
        TextColumn("Freezing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("pages", total=None)

        def on_start(total: int) -> None:
            bar.update(task, total=total)

        def advance(count: int) -> None:
            bar.advance(task, count)

        yield on_start, advance
