"""Builds publish atomically: public/ is always one complete generation."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

NOW = "2027-01-01T12:00"


def _command(content: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "-q",
        "--content",
        str(content),
        "--now",
        NOW,
        "build",
        "--output",
        str(output),
    ]


def _snapshot(output: Path) -> dict[str, str]:
    folder = output.resolve(strict=True)
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_killed_builds_leave_one_complete_generation(
    sample: Path, tmp_path: Path
) -> None:
    output = tmp_path / "public"
    command = _command(sample, output)
    subprocess.run(command, check=True, capture_output=True)
    reference = _snapshot(output)
    assert "index.html" in reference

    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.perf_counter() - started

    rng = random.Random(20261203)
    for _ in range(12):
        # A new session lets the kill reach the build's worker processes too,
        # as a power cut or an out-of-memory kill would.
        process = subprocess.Popen(
            command,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, duration * 1.1))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

        assert output.is_symlink()
        assert _snapshot(output) == reference

    subprocess.run(command, check=True, capture_output=True)
    assert _snapshot(output) == reference
    generations = [
        p for p in output.with_name("public.generations").iterdir() if p.is_dir()
    ]
    assert len(generations) == 2


def test_build_replaces_a_link_not_a_folder(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "public"
    output.mkdir()
    (output / "keep.txt").write_text("mine", encoding="utf-8")

    result = subprocess.run(_command(content, output), capture_output=True, text=True)

    assert result.returncode == 1
    assert "is a folder Townsquare did not make; move it away" in result.stderr
    assert "Traceback" not in result.stderr
    assert (output / "keep.txt").read_text(encoding="utf-8") == "mine"
