"""Time rebuilds of a generated hub after typical edits.

Usage::

    python bench/rebuild_speed.py [--size 4000] [--workdir DIR] [--seed 1]

The script generates a content folder (see generate.py) and copies the
project's code and theme into the work folder, so that editing a
template never touches the checkout. It then runs the real build
command in a fresh process each time, from the work folder::

    python app/build.py --content content --now 2027-01-01T00:00 build --output public

and prints, for each step, the wall time of the process, how many files
the build rendered and took unchanged from the previous one, and two of
the stages the build reports with ``-v``: reading the content and
indexing it for search (Pagefind, run again only for the parts of the
index whose pages changed):

- ``cold``: no earlier build and no cache;
- ``nothing changed``: the same content again, into a new folder;
- ``nothing changed, again``: the same, now taking over the generation
  before the live one (the steady state of a site rebuilt often);
- ``one event edited``: one sentence added to one event's body;
- ``every page's template edited``: an attribute added to ``base.html``;
- ``clean, caches warm``: ``--clean`` renders every page, with Markdown
  and parsed files still cached.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    from bench.generate import generate
except ImportError:  # run as ``python bench/rebuild_speed.py``: bench/ is on sys.path
    from generate import generate  # type: ignore[no-redef,import-not-found]

REPO = Path(__file__).resolve().parent.parent
NOW = "2027-01-01T00:00"
_COUNTS = re.compile(r"\((\d+) rendered, (\d+) unchanged\)")
_READ = re.compile(r"read the content in ([\d.]+) s")
_SEARCH = re.compile(r"indexed for search in ([\d.]+) s")


@dataclass(frozen=True)
class Step:
    """One timed build."""

    name: str
    seconds: float
    rendered: int
    unchanged: int
    reading: float
    search: float


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--size", type=int, default=4000, help="content files to generate"
    )
    parser.add_argument("--workdir", type=Path, help="keep content and output here")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator")
    options = parser.parse_args(argv)

    with _workdir(options.workdir) as root:
        started = time.perf_counter()
        generate(options.size, root / "content", seed=options.seed)
        print(
            f"generated {options.size} files in {time.perf_counter() - started:.1f} s"
        )
        _copy_app(root / "app")
        steps = _run_steps(root)

    print(
        f"\n{'step':<30} {'seconds':>8} {'rendered':>9} {'unchanged':>10} "
        f"{'read s':>7} {'search s':>9}"
    )
    for step in steps:
        print(
            f"{step.name:<30} {step.seconds:>8.2f} {step.rendered:>9} {step.unchanged:>10} "
            f"{step.reading:>7.2f} {step.search:>9.2f}"
        )
    return 0


def _run_steps(root: Path) -> list[Step]:
    steps = [
        _build(root, "cold"),
        _build(root, "nothing changed"),
        _build(root, "nothing changed, again"),
    ]

    event = sorted((root / "content" / "events").glob("*.md"))[0]
    with event.open("a", encoding="utf-8") as file:
        file.write("\nOne more sentence, added for the benchmark.\n")
    steps.append(_build(root, "one event edited"))

    base = root / "app" / "site" / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("<body", '<body data-bench="1"', 1), encoding="utf-8")
    steps.append(_build(root, "every page's template edited"))

    steps.append(_build(root, "clean, caches warm", "--clean"))
    return steps


def _build(root: Path, name: str, *extra: str) -> Step:
    command = [
        sys.executable,
        str(root / "app" / "build.py"),
        "-v",
        "--content",
        "content",
        "--now",
        NOW,
        "build",
        "--output",
        "public",
        *extra,
    ]
    print(f"{name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"the build failed with exit status {result.returncode}")
    found = _COUNTS.search(result.stdout)
    rendered, unchanged = (
        (int(found.group(1)), int(found.group(2))) if found else (-1, -1)
    )
    reading, search = (_seconds(pattern, result.stderr) for pattern in (_READ, _SEARCH))
    return Step(name, seconds, rendered, unchanged, reading, search)


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    found = pattern.search(text)
    return float(found.group(1)) if found else float("nan")


def _copy_app(target: Path) -> None:
    """Copy the code and theme, so the benchmark can edit a template safely."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    target.mkdir(parents=True)
    shutil.copy2(REPO / "build.py", target / "build.py")
    for folder in ("portal", "site", "plugins"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder, ignore=ignore)


@contextmanager
def _workdir(chosen: Path | None) -> Iterator[Path]:
    if chosen is None:
        with tempfile.TemporaryDirectory(prefix="townsquare-rebuild-") as folder:
            yield Path(folder)
        return
    if chosen.exists():
        shutil.rmtree(chosen)
    chosen.mkdir(parents=True)
    yield chosen.resolve()


if __name__ == "__main__":
    sys.exit(main())
