"""Generations of the built hub, and the atomic swap that publishes one.

``public`` is a symbolic link to one complete generation kept in
``public.generations/``. A build writes a fresh generation beside it and
then replaces the link with ``os.replace``, which POSIX makes atomic: at
every moment ``public`` names either the previous complete generation or
the new one, whatever happens to the build process.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

from portal.errors import BuildError

log = logging.getLogger(__name__)

# Written last beside a generation: its presence means the folder is
# whole. It stays outside the folder so that deploying public/ never
# carries it.
COMPLETE_SUFFIX = ".complete"
KEEP = 2


class Generations:
    """The folder of generations that backs one output link."""

    def __init__(self, output: Path) -> None:
        self.output = Path(output)
        self.root = self.output.with_name(self.output.name + ".generations")

    def current(self) -> Path | None:
        """Return the generation the output link points at, if any."""
        if not self.output.is_symlink():
            return None
        return (self.output.parent / os.readlink(self.output)).resolve()

    def start(self) -> Path:
        """Create and return an empty folder for a new generation."""
        self._check_output()
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = self.root / f"{stamp}-{os.getpid()}"
        folder.mkdir()
        return folder

    def publish(self, folder: Path) -> None:
        """Make ``folder`` the live site in one atomic step, then prune."""
        _marker(folder).write_text("", encoding="utf-8")
        target = os.path.relpath(folder, self.output.parent)
        link = self.output.with_name(f".{self.output.name}.{os.getpid()}.link")
        if link.is_symlink():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
        os.replace(link, self.output)
        log.debug("published %s", folder)
        self.prune()

    def discard(self, folder: Path) -> None:
        """Remove an unfinished generation."""
        shutil.rmtree(folder, ignore_errors=True)
        _marker(folder).unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove every generation but the live one and the one before it."""
        current = self.current()
        folders = [p for p in self.root.iterdir() if p.is_dir()]
        complete = sorted((p for p in folders if _marker(p).exists()), key=lambda p: p.name)
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
