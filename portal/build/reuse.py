"""Carry unchanged files from the live generation into a new one.

Files are hard-linked: a published generation is never written to
again, so two generations may share one file. A new generation may
start as an older generation taken over (see
:meth:`~portal.build.generations.Generations.start`): its files that are
already the live ones stay, and every other file is replaced or removed,
so that whatever is rendered next is written as a new file and never
into one the live generation shares.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


def fill_folder(
    source: Path | None,
    folder: Path,
    wanted: Iterable[str],
    *,
    under: str = "",
    keep: tuple[str, ...] = (),
) -> set[str]:
    """Make ``folder`` hold exactly the ``wanted`` files of ``source``, and nothing else.

    Paths are relative and use ``/``. Only files below the subfolder
    ``under`` are looked at, and files whose paths start with one of
    ``keep`` are left alone. Return the wanted paths that ``source`` does
    not have.
    """
    present = files_in(folder, under)
    if keep:
        present = {
            path: inode for path, inode in present.items() if not path.startswith(keep)
        }
    missing: set[str] = set()
    made: set[str] = set()
    for relative in wanted:
        original = os.path.join(source, relative) if source is not None else None
        try:
            inode = os.stat(original).st_ino if original is not None else None
        except OSError:
            inode = None
        if original is None or inode is None:
            missing.add(relative)
            continue
        if present.pop(relative, None) == inode:
            continue
        target = os.path.join(folder, relative)
        if os.path.lexists(target):
            os.unlink(target)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(original, target)
        except OSError:
            # A file system without hard links still allows a copy.
            shutil.copy2(original, target)
    remove_files(folder, present)
    return missing


def files_in(folder: Path, under: str = "") -> dict[str, int]:
    """Return every file below ``folder`` (or its subfolder ``under``) with its inode."""
    found: dict[str, int] = {}
    start = os.path.join(folder, under) if under else str(folder)
    if not os.path.isdir(start):
        return found
    pending = [(f"{under.rstrip('/')}/" if under else "", start)]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found[prefix + entry.name] = entry.inode()
    return found


def remove_files(folder: Path, relatives: Iterable[str]) -> None:
    """Remove files below ``folder``, then the folders they leave empty."""
    emptied: set[str] = set()
    for relative in relatives:
        os.unlink(os.path.join(folder, relative))
        parent = os.path.dirname(relative)
        while parent and parent not in emptied:
            emptied.add(parent)
            parent = os.path.dirname(parent)
    for relative in sorted(emptied, key=lambda p: p.count("/"), reverse=True):
        try:
            os.rmdir(os.path.join(folder, relative))
        except OSError:
            continue
