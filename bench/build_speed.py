"""Time cold builds of generated hubs of several sizes.

Usage::

    python bench/build_speed.py [--sizes 1000,4000] [--workdir DIR] [--seed 1] [--repeat 1]

For each size the script generates a content folder (see generate.py),
then runs the real build command in a fresh process from the repository
root, into an output folder that does not exist yet, and reports its wall
time, CPU time and memory. bench/README.md explains every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    from bench.generate import generate
except ImportError:  # run as ``python bench/build_speed.py``: bench/ is on sys.path
    from generate import generate  # type: ignore[no-redef,import-not-found]

REPO = Path(__file__).resolve().parent.parent
NOW = "2027-01-01T00:00"
SAMPLE_SECONDS = 0.1
STDERR_LINES = 200
PROC = Path("/proc")


@dataclass(frozen=True)
class Run:
    """What one build process did and cost."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    peak_mib: float
    tree_mib: float | None


@dataclass(frozen=True)
class Result:
    """The figures of one size, as the table shows them."""

    size: int
    files: int
    pages: int
    run: Run

    @property
    def pages_per_second(self) -> float:
        """Return pages built per second of wall time."""
        return self.pages / self.run.seconds if self.run.seconds else 0.0


class BuildFailed(Exception):
    """The build command exited with an error."""


class TreeSampler(threading.Thread):
    """Sample the memory of a process and all its descendants until stopped.

    ``ru_maxrss`` reports only the largest single process, but the build
    forks worker processes; their sum is what the machine must hold. PSS
    splits pages shared after a fork between the processes sharing them,
    so the sum counts each page once. Sampling can miss a peak shorter
    than the interval.
    """

    def __init__(self, root_pid: int) -> None:
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_kib = 0
        self.available = (PROC / "self" / "stat").exists()
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Record the largest total seen, every ``SAMPLE_SECONDS``."""
        while self.available and not self._stop_event.is_set():
            total = sum(_memory_kib(pid) for pid in _process_tree(self.root_pid))
            self.peak_kib = max(self.peak_kib, total)
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> float | None:
        """Stop sampling and return the peak in MiB, or None without /proc."""
        self._stop_event.set()
        self.join()
        return self.peak_kib / 1024 if self.available else None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run every size and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000,4000",
        help="comma-separated content file counts (1000,4000)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep generated content and output here"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="generator seed (default 1)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="cold builds per size; the table shows the fastest (default 1)",
    )
    args = parser.parse_args(argv)
    sizes = _parse_sizes(parser, args.sizes)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if not (REPO / "build.py").is_file():
        parser.exit(1, f"build_speed.py: no build.py in {REPO}; nothing to time\n")

    results = []
    with _workdir(args.workdir) as workdir:
        for size in sizes:
            try:
                results.append(
                    _bench_size(size, workdir / f"n{size}", args.seed, args.repeat)
                )
            except BuildFailed as e:
                print(f"build_speed.py: {e}", file=sys.stderr)
                return 1
    print()
    print(_table(results))
    return 0


def _parse_sizes(parser: argparse.ArgumentParser, text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--sizes expects numbers separated by commas, got {text!r}")
    if not sizes or min(sizes) < 0:
        parser.error(f"--sizes expects numbers of zero or more, got {text!r}")
    return sizes


@contextlib.contextmanager
def _workdir(chosen: Path | None) -> Iterator[Path]:
    """Yield the folder to work in: the one chosen (kept) or a temporary one."""
    if chosen is not None:
        chosen.mkdir(parents=True, exist_ok=True)
        yield chosen.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="townsquare-bench-") as folder:
        yield Path(folder)


def _bench_size(size: int, folder: Path, seed: int, repeat: int) -> Result:
    """Generate content of one size, build it cold and measure the build."""
    # A folder left by an earlier run would make the build warm: remove it.
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"

    start = time.perf_counter()
    summary = generate(size, content, seed)
    generate_seconds = time.perf_counter() - start
    print(
        f"{size:>6}: generated {summary.files} files, {summary.words} words "
        f"in {generate_seconds:.2f} s (not part of the build time)",
        flush=True,
    )

    best: Result | None = None
    for attempt in range(1, repeat + 1):
        # Each attempt publishes into a folder of its own, so each is cold.
        output = folder / f"public-{attempt}"
        run = _run_build(content, output)
        if run.returncode != 0:
            raise BuildFailed(_failure_message(size, content, output, run))
        files, pages = _count_output(output)
        print(
            f"{size:>6}: built {pages} pages, {files} files in {run.seconds:.2f} s",
            flush=True,
        )
        if best is None or run.seconds < best.run.seconds:
            best = Result(size, files, pages, run)
    assert best is not None  # repeat is at least 1
    return best


def _build_command(content: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        "build.py",
        "--content",
        str(content),
        "--now",
        NOW,
        "build",
        "--output",
        str(output),
    ]


def _run_build(content: Path, output: Path) -> Run:
    """Run the build in a child process and measure it."""
    # Output goes to files, not pipes, so a chatty build cannot block on
    # a full pipe while this process is waiting for it.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            _build_command(content, output),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4 gives the usage of this one child (and the workers it
        # reaped), unlike RUSAGE_CHILDREN, which accumulates over every
        # size run so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        tree_mib = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        return Run(
            returncode=process.returncode,
            stdout=_read_back(out),
            stderr=_read_back(err),
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_mib=_maxrss_mib(usage.ru_maxrss),
            tree_mib=tree_mib,
        )


def _read_back(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _maxrss_mib(maxrss: int) -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def _process_tree(root: int) -> list[int]:
    """Return ``root`` and the ids of all its descendants now running."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            parent = _parent_pid(entry)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue += children.get(pid, [])
    return found


def _parent_pid(entry: Path) -> int | None:
    try:
        stat = (entry / "stat").read_text()
    except OSError:  # the process ended while the tree was read
        return None
    # The command name in parentheses may hold spaces; fields after it don't.
    fields = stat.rpartition(")")[2].split()
    return int(fields[1]) if len(fields) > 1 else None


def _memory_kib(pid: int) -> int:
    """Return the proportional set size of one process, or its RSS if PSS is unknown."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = (PROC / str(pid) / name).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def _count_output(output: Path) -> tuple[int, int]:
    """Return the number of files and of pages (index.html files) in the output."""
    # The output is a link to the generation just built; walk its target.
    files = pages = 0
    for _, _, names in os.walk(output.resolve()):
        files += len(names)
        pages += names.count("index.html")
    return files, pages


def _failure_message(size: int, content: Path, output: Path, run: Run) -> str:
    stderr = run.stderr.strip() or run.stdout.strip() or "(no output)"
    lines = stderr.splitlines()
    if len(lines) > STDERR_LINES:
        cut = len(lines) - STDERR_LINES
        lines = [f"[... {cut} earlier lines left out ...]", *lines[-STDERR_LINES:]]
    command = " ".join(_build_command(content, output))
    message = [
        f"the build of {size} files failed with exit code {run.returncode}",
        f"command (run in {REPO}): {command}",
        "its error output:",
        *lines,
    ]
    if "ModuleNotFoundError" in stderr:
        message.append(f"hint: run this script with {REPO / '.venv/bin/python'}")
    return "\n".join(message)


def _table(results: Sequence[Result]) -> str:
    """Return the figures of every size as an aligned text table."""
    head = (
        "content",
        "files",
        "pages",
        "seconds",
        "pages/s",
        "CPU s",
        "peak MiB",
        "all MiB",
    )
    rows = [head]
    for result in results:
        run = result.run
        tree = f"{run.tree_mib:.1f}" if run.tree_mib is not None else "-"
        rows.append(
            (
                str(result.size),
                str(result.files),
                str(result.pages),
                f"{run.seconds:.2f}",
                f"{result.pages_per_second:.1f}",
                f"{run.cpu_seconds:.2f}",
                f"{run.peak_mib:.1f}",
                tree,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    )


if __name__ == "__main__":
    sys.exit(main())
