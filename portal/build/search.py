"""Index a built generation for full-text search with Pagefind.

Pagefind reads the frozen HTML and writes its index and interface files
into ``pagefind/`` inside the same folder. The build calls
:func:`index_site` on a new generation before publishing it, so the
search index always describes exactly the pages published with it.

A large hub is indexed in shards (see :mod:`portal.build.shards`): the
first shard's bundle is ``pagefind/`` itself, with the interface, and
the others are in ``pagefind/shards/<n>/``, listed in
``pagefind/shards.json`` for the search page to merge. Shards whose pages
did not change are linked from the live generation; the others are
indexed again, side by side, one Pagefind process each.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from portal.build.reuse import files_in, fill_folder
from portal.build.shards import ShardPlan, load_plan, plan_shards
from portal.errors import BuildError

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
SHARDS = "shards"
LISTING = "shards.json"
_INDEXED = re.compile(r"Indexed (\d+) pages?")
_GLOB_SPECIAL = re.compile(r"[\\{}\[\]*?,!]")
# A shard of a few hundred pages takes well under a second; a minute
# means Pagefind hangs.
_TIMEOUT = 60


@dataclass(frozen=True)
class SearchReport:
    """What indexing a generation did."""

    pages: int
    shards: int
    # Shards indexed by this build; the others came from the live one.
    indexed: int


def pagefind_executable() -> Path | None:
    """Return the Pagefind program that ``pagefind[bin]`` installed, if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index_site(
    folder: Path,
    *,
    record: Path,
    previous: Path | None = None,
    previous_record: Path | None = None,
    workers: int | None = None,
    per_shard: int | None = None,
) -> SearchReport:
    """Write the search index of the pages in ``folder``; keep its plan at ``record``.

    Only elements marked ``data-pagefind-body`` are indexed, so navigation
    and footers never match a search. With the ``previous`` generation
    and its record, shards that did not change are taken from it. Shards
    hold ``per_shard`` pages or fewer on average
    (:data:`~portal.build.shards.PAGES_PER_SHARD` unless given).
    """
    program = _program(folder)
    engine = _engine(program)
    pages = {
        path: inode
        for path, inode in files_in(folder).items()
        if path.endswith(".html") and not path.startswith(f"{BUNDLE}/")
    }
    old = None
    if previous is not None and previous_record is not None:
        old = load_plan(previous_record, engine)
    plan = plan_shards(folder, pages, engine, old, per_shard=per_shard)

    kept = old.keys if old is not None and len(old.keys) == len(plan.keys) else []
    carried = {
        number: files
        for number, key in enumerate(plan.keys)
        if kept
        and kept[number] == key
        and (files := _shard_files(previous, number)) is not None
    }
    # The folder may be an older generation taken over, holding bundles of
    # its own: only the carried ones stay, linked to the live files.
    wanted = [path for files in carried.values() for path in files]
    if fill_folder(previous, folder, wanted, under=BUNDLE):
        # The live bundle changed under the build: index everything.
        fill_folder(None, folder, [], under=BUNDLE)
        carried = {}
    stale = [number for number in range(len(plan.keys)) if number not in carried]
    _index_shards(program, folder, plan, stale, workers)
    _write_listing(folder / BUNDLE, len(plan.keys))
    plan.save(record)

    indexed = sum(len(members) for members in plan.members)
    log.info(
        "Indexed %d pages for search in %d %s (%d indexed now, %d kept)",
        indexed,
        len(plan.keys),
        "shard" if len(plan.keys) == 1 else "shards",
        len(stale),
        len(plan.keys) - len(stale),
    )
    return SearchReport(indexed, len(plan.keys), len(stale))


def _program(folder: Path) -> Path:
    program = pagefind_executable()
    if program is None:
        raise BuildError(
            "Pagefind is not installed, so the hub cannot be indexed for search; "
            "install it with: pip install 'pagefind[bin]'"
        )
    if not Path(program).is_file():
        raise BuildError(f"Pagefind could not index {folder}: no program at {program}")
    return Path(program)


def _engine(program: Path) -> str:
    # A new Pagefind makes other bundles: none made by the old one is kept.
    info = program.stat()
    return f"{program}:{info.st_size}:{info.st_mtime_ns}"


def _bundle_of(number: int) -> str:
    """Return the folder of shard ``number``'s bundle, relative to the generation."""
    return BUNDLE if number == 0 else f"{BUNDLE}/{SHARDS}/{number}"


def _shard_files(folder: Path | None, number: int) -> list[str] | None:
    """Return the files of shard ``number``'s bundle in ``folder``, if it is whole."""
    if folder is None:
        return None
    found = list(files_in(folder, _bundle_of(number)))
    if number == 0:
        others = (f"{BUNDLE}/{SHARDS}/", f"{BUNDLE}/{LISTING}")
        found = [path for path in found if not path.startswith(others)]
    entry = f"{_bundle_of(number)}/pagefind-entry.json"
    return found if entry in found else None


def _index_shards(
    program: Path,
    folder: Path,
    plan: ShardPlan,
    stale: list[int],
    workers: int | None,
) -> None:
    """Index each shard in ``stale`` straight from ``folder``, a few at a time.

    Each Pagefind run reads only its shard's pages, named in its glob. The
    glob goes in a configuration file rather than on the command line,
    which has a length limit.
    """
    if not stale:
        return
    with tempfile.TemporaryDirectory(prefix="townsquare-search-") as work:
        pending = []
        for number in stale:
            config = Path(work) / str(number)
            config.mkdir()
            # Pagefind runs in the configuration's folder: paths are absolute.
            settings = {
                "site": str(folder.resolve()),
                "output_path": str(folder.resolve() / _bundle_of(number)),
                "glob": "{" + ",".join(map(_literal, plan.members[number])) + "}",
            }
            (config / "pagefind.json").write_text(
                json.dumps(settings), encoding="utf-8"
            )
            pending.append(config)
        _run_all(program, folder, pending, workers or os.cpu_count() or 1)


def _literal(path: str) -> str:
    """Return ``path`` as a glob that matches only itself."""
    return _GLOB_SPECIAL.sub(r"\\\g<0>", path)


def _run_all(program: Path, folder: Path, pending: list[Path], workers: int) -> None:
    waiting = list(pending)
    running: list[tuple[subprocess.Popen[str], float]] = []
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                running.append(
                    (_start(program, waiting.pop(0), folder), time.monotonic())
                )
            process, started = running.pop(0)
            _finish(process, started, folder)
    finally:
        for process, _ in running:
            process.kill()
            process.wait()


def _start(program: Path, config: Path, folder: Path) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen(
            [str(program)],
            cwd=config,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as e:
        raise BuildError(f"Pagefind could not index {folder}: {e}") from None


def _finish(process: subprocess.Popen[str], started: float, folder: Path) -> None:
    left = max(0.1, _TIMEOUT - (time.monotonic() - started))
    try:
        stdout, stderr = process.communicate(timeout=left)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise BuildError(
            f"Pagefind could not index {folder}: no answer in {_TIMEOUT} s"
        ) from None
    if process.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {process.returncode}"
        raise BuildError(f"Pagefind could not index {folder}: {reason}")
    match = _INDEXED.search(stdout)
    log.debug("Pagefind indexed %s pages", match.group(1) if match else "?")


def _write_listing(bundle: Path, count: int) -> None:
    """List the shards after the first, relative to ``pagefind/``, for the search page."""
    merge = [f"{SHARDS}/{number}/" for number in range(1, count)]
    text = json.dumps({"merge": merge}, separators=(",", ":")) + "\n"
    (bundle / LISTING).write_text(text, encoding="utf-8")


__all__ = ["BUNDLE", "SearchReport", "index_site", "pagefind_executable"]
