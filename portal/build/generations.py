"""Generations of the built hub, and the atomic swap that publishes one.

``public`` is a symbolic link to one complete generation kept in
``public.generations/``. A build writes a fresh generation beside it and
then replaces the link with ``os.replace``, which POSIX makes atomic: at
every moment ``public`` names either the previous complete generation or
the new one, whatever happens to the build process.

Generations older than the live one are removed while the next build
runs, in a thread of its own: deleting tens of thousands of files takes
seconds that the build would otherwise wait for at the end. An
incremental build may instead take the newest of them over as its own
folder (see :meth:`Generations.start`) and change only what differs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
from pathlib import Path

from portal.errors import BuildError

log = logging.getLogger(__name__)

# Written last beside a generation: its presence means the folder is
# whole. It stays outside the folder so that deploying public/ never
# carries it.
COMPLETE_SUFFIX = ".complete"
# Records kept beside a generation for the next build to reuse what has
# not changed, outside the folder for the same reason: what each file was
# made from (the manifest), and what each part of the search index holds.
RECORDS = ("manifest", "search")
KEEP = 2


class Generations:
    """The folder of generations that backs one output link."""

    def __init__(self, output: Path) -> None:
        self.output = Path(output)
        self.root = self.output.with_name(self.output.name + ".generations")
        self._sweeper: threading.Thread | None = None

    def current(self) -> Path | None:
        """Return the generation the output link points at, if any."""
        if not self.output.is_symlink():
            return None
        return (self.output.parent / os.readlink(self.output)).resolve()

    def start(self, *, recycle: bool = False) -> Path:
        """Create and return the folder of a new generation.

        It is empty, unless ``recycle`` is given and a generation older
        than the live one is left: that one is renamed to become the new
        folder, files and all, no longer marked complete. Its files may
        be hard links shared with the live generation, so the caller must
        replace a file it changes, never write into it.
        """
        self._check_output()
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = self.root / f"{stamp}-{os.getpid()}"
        if not (recycle and self._take_over(folder)):
            folder.mkdir()
        # Only the live generation serves visitors now; once this build
        # publishes, the live one is kept as the one before and the others
        # go, so they may go already.
        self._sweeper = threading.Thread(
            target=self._sweep, args=(folder,), name="sweep"
        )
        self._sweeper.start()
        return folder

    def publish(self, folder: Path) -> None:
        """Make ``folder`` the live site in one atomic step, then prune."""
        self.wait()
        _marker(folder).write_text("", encoding="utf-8")
        target = os.path.relpath(folder, self.output.parent)
        link = self.output.with_name(f".{self.output.name}.{os.getpid()}.link")
        if link.is_symlink():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
        os.replace(link, self.output)
        log.debug("published %s", folder)
        self.prune()

    def manifest_path(self, folder: Path) -> Path:
        """Return where the manifest of the generation in ``folder`` is kept."""
        return self.record_path(folder, "manifest")

    def record_path(self, folder: Path, name: str) -> Path:
        """Return where the record ``name`` of the generation in ``folder`` is kept."""
        return folder.with_name(f"{folder.name}.{name}.json")

    def _forget_records(self, folder: Path) -> None:
        for name in RECORDS:
            self.record_path(folder, name).unlink(missing_ok=True)

    def discard(self, folder: Path) -> None:
        """Remove an unfinished or outdated generation and what is kept beside it."""
        # The marker goes first: a folder half removed must not look whole.
        _marker(folder).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        self._forget_records(folder)

    def wait(self) -> None:
        """Wait until the generations removed at the start of a build are gone."""
        if self._sweeper is not None:
            self._sweeper.join()
            self._sweeper = None

    def _take_over(self, folder: Path) -> bool:
        current = self.current()
        older = [
            p
            for p in self.root.iterdir()
            if p.is_dir() and _marker(p).exists() and p.resolve() != current
        ]
        if not older:
            return False
        chosen = max(older, key=lambda p: p.name)
        # Unmarked first: killed at any moment, it is never taken for whole.
        _marker(chosen).unlink(missing_ok=True)
        self._forget_records(chosen)
        try:
            os.rename(chosen, folder)
        except OSError:
            # Another build took it over first.
            return False
        log.debug("took over %s as %s", chosen, folder)
        return True

    def _sweep(self, started: Path) -> None:
        current = self.current()
        for folder in self.root.iterdir():
            if not folder.is_dir() or folder == started or _is_running(folder):
                continue
            if current is None or folder.resolve() != current:
                self.discard(folder)

    def prune(self) -> None:
        """Remove every generation but the live one and the one before it."""
        current = self.current()
        folders = [p for p in self.root.iterdir() if p.is_dir()]
        complete = sorted(
            (p for p in folders if _marker(p).exists()), key=lambda p: p.name
        )
        keep = {p.resolve() for p in complete[-KEEP:]}
        if current is not None:
            keep.add(current)
        for folder in folders:
            if folder.resolve() not in keep and not _is_running(folder):
                self.discard(folder)
        for stale in self.output.parent.glob(f".{self.output.name}.*.link"):
            pid = stale.name.split(".")[-2]
            if not pid.isdigit() or not _pid_alive(int(pid)):
                stale.unlink(missing_ok=True)

    def _check_output(self) -> None:
        if self.output.exists() and not self.output.is_symlink():
            raise BuildError(
                f"{self.output} is a folder Townsquare did not make; move it away "
                "so the build can publish there as a link to each generation"
            )


def _marker(folder: Path) -> Path:
    return folder.with_name(folder.name + COMPLETE_SUFFIX)


def _is_running(folder: Path) -> bool:
    """Tell whether an unfinished generation belongs to a build still running."""
    if _marker(folder).exists():
        return False
    pid = folder.name.rsplit("-", 1)[-1]
    return pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
