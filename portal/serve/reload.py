"""Notice changed files and tell open pages to reload.

A :class:`ChangeWatcher` waits for edits with watchfiles and calls back
once per burst of changes. A :class:`Broadcaster` numbers the versions of
the hub and streams them to every open page as server-sent events
(HTML Living Standard §9.2); a page whose version is no longer current
reloads itself.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import watchfiles

log = logging.getLogger(__name__)

# A comment line this often lets a stream notice a page that went away,
# which frees the thread serving it.
KEEPALIVE_SECONDS = 15.0

# Milliseconds a browser waits before reconnecting to a lost stream.
RETRY_MS = 1000


class Broadcaster:
    """Keep the current version of the hub and stream it to open pages."""

    def __init__(self, keepalive: float = KEEPALIVE_SECONDS) -> None:
        self._keepalive = keepalive
        self._condition = threading.Condition()
        self._count = 0
        self._closed = False
        # A new token per run makes pages from a previous run reload once
        # they reconnect, since the hub may have changed meanwhile.
        self._run = secrets.token_hex(4)

    @property
    def version(self) -> str:
        """Return the name of the current version, unique across runs."""
        with self._condition:
            return self._name(self._count)

    def publish(self) -> str:
        """Start a new version and wake every stream; return its name."""
        with self._condition:
            self._count += 1
            self._condition.notify_all()
            return self._name(self._count)

    def close(self) -> None:
        """End every stream, so that the server can stop."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def stream(self) -> Iterator[str]:
        """Yield one page's event stream: the current version, then each new one."""
        with self._condition:
            seen = self._count
        yield f"retry: {RETRY_MS}\n" + _event("version", self._name(seen))

        while True:
            current = self._wait_after(seen)
            if current is None:
                return
            if current == seen:
                yield ": keep-alive\n\n"
            else:
                seen = current
                yield _event("reload", self._name(current))

    def _wait_after(self, seen: int) -> int | None:
        """Wait for a version newer than ``seen``; return the latest, or None once closed."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._count != seen, timeout=self._keepalive
            )
            return None if self._closed else self._count

    def _name(self, count: int) -> str:
        return f"{self._run}-{count}"


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


class ChangeWatcher:
    """Watch folders and call back with the changed paths after each burst of edits."""

    def __init__(
        self, folders: Sequence[Path], on_change: Callable[[Sequence[Path]], object]
    ) -> None:
        self.folders = [Path(folder) for folder in folders if Path(folder).is_dir()]
        self._on_change = on_change

    def run(self, stop: threading.Event) -> None:
        """Watch until ``stop`` is set, calling back after every change."""
        if not self.folders:
            stop.wait()
            return
        for changes in watchfiles.watch(
            *self.folders, stop_event=stop, raise_interrupt=False
        ):
            paths = _lasting_paths(changes)
            if not paths:
                continue
            log.debug("changed: %s", ", ".join(map(str, paths)))
            try:
                self._on_change(paths)
            except Exception:
                # A failing reload is a bug to show, but the owner's next
                # edit deserves another try rather than a dead preview.
                log.exception("reloading after a change failed")


def _lasting_paths(changes: set[tuple[watchfiles.Change, str]]) -> list[Path]:
    """Return the changed paths, less files an editor made and removed meanwhile."""
    kinds: dict[str, set[watchfiles.Change]] = {}
    for kind, path in changes:
        kinds.setdefault(path, set()).add(kind)
    transient = {watchfiles.Change.added, watchfiles.Change.deleted}
    return sorted(
        Path(path)
        for path, seen in kinds.items()
        if not (transient <= seen and not Path(path).exists())
    )
