"""Time the sample community's build and weigh what a visitor downloads.

Usage::

    python bench/sample_build.py [--workdir DIR] [--event SLUG]

The script copies ``content/`` into a work folder, so that its caches
start empty, and runs the real build command there in a new process
each time::

    python build.py -v --content content --now 2027-01-01T12:00 build --output public

- ``cold``: no earlier build and no cache, so every picture variant is
  encoded;
- ``clean, pictures cached``: ``--clean`` renders every page again, with
  the picture variants (and Markdown) taken from the cache;
- ``clean, pictures uncached``: the same after removing the picture
  cache, so only the variants are made again;
- ``nothing changed``: an incremental build of the same content.

Then, for the home page and one event page, it prints the bytes of HTML,
CSS and JavaScript that a browser fetches to show the page (pictures
apart, since they load lazily below the fold), as written and gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2027-01-01T12:00"
_PICTURES = re.compile(r"prepared the pictures in ([\d.]+) s")
_ASSET = re.compile(r'<(?:link rel="stylesheet" href|script[^>]* src)="(/[^"]+)"')


def main(argv: list[str] | None = None) -> int:
    """Run the builds and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, help="keep content and output here")
    parser.add_argument(
        "--event", default="repair-cafe-march", help="the event page to weigh"
    )
    options = parser.parse_args(argv)

    root = options.workdir or Path(tempfile.mkdtemp(prefix="townsquare-sample-"))
    try:
        shutil.rmtree(root / "content", ignore_errors=True)
        shutil.rmtree(root / ".townsquare", ignore_errors=True)
        shutil.copytree(REPO / "content", root / "content")
        _time_builds(root)
        _weigh(root / "public", ["/", f"/events/{options.event}/"])
    finally:
        if options.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def _time_builds(root: Path) -> None:
    steps = [
        ("cold", []),
        ("clean, pictures cached", ["--clean"]),
        ("clean, pictures uncached", ["--clean"]),
        ("nothing changed", []),
    ]
    print(f"{'build':<26} {'seconds':>8} {'pictures s':>11}")
    for name, extra in steps:
        if name == "clean, pictures uncached":
            shutil.rmtree(root / ".townsquare" / "cache" / "images")
        seconds, pictures = _build(root, extra)
        print(f"{name:<26} {seconds:>8.2f} {pictures:>11.2f}")
    print()


def _build(root: Path, extra: list[str]) -> tuple[float, float]:
    command = [
        sys.executable,
        str(REPO / "build.py"),
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
    started = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{result.stderr}")
    found = _PICTURES.search(result.stderr + result.stdout)
    return seconds, float(found.group(1)) if found else float("nan")


def _weigh(public: Path, urls: list[str]) -> None:
    print(f"{'page':<32} {'kind':<11} {'bytes':>8} {'gzipped':>8}")
    for url in urls:
        html = (public / url.lstrip("/") / "index.html").read_bytes()
        parts = {"HTML": [html], "CSS": [], "JavaScript": []}
        for asset in _ASSET.findall(html.decode("utf-8")):
            kind = "CSS" if asset.endswith(".css") else "JavaScript"
            parts[kind].append((public / asset.lstrip("/")).read_bytes())
        for kind, files in parts.items():
            raw = sum(len(data) for data in files)
            packed = sum(len(gzip.compress(data, 9)) for data in files)
            print(f"{url:<32} {kind:<11} {raw:>8} {packed:>8}")


if __name__ == "__main__":
    sys.exit(main())
