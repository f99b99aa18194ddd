"""Shared fixtures: a fresh content folder per test and a way to build it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import cli

# The built sample, its server and one Chromium, shared by browser tests.
pytest_plugins = ["tests.browser"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = ROOT / "content"
NOW = dt.datetime(2027, 1, 1, 12, 0)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

SITE_TOML = """\
name = "Test Hub"
base_url = "https://hub.example.org/"
timezone = "Europe/London"
"""


def require_tool(found: bool, why: str) -> None:
    """Skip a test whose tool is missing, except under CI where that fails it."""
    if found:
        return
    if IN_CI:
        pytest.fail(f"{why}; .ci/run installs it, so CI must have it")
    pytest.skip(why)


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    """Return an empty content folder with a valid site.toml."""
    folder = tmp_path / "content"
    for name in ("pages", "events", "showcases", "partners", "media"):
        (folder / name).mkdir(parents=True)
    (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return folder


@pytest.fixture()
def write(content: Path) -> Callable[[str, str], Path]:
    """Return a function writing one file, dedented, into the content folder."""

    def write_file(relative: str, text: str) -> Path:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    """Return a private copy of the sample community's content."""
    return Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))


@pytest.fixture()
def runner() -> CliRunner:
    """Return a click runner for the command line."""
    return CliRunner()


@pytest.fixture()
def run_cli(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., object]:
    """Return a function running the command line from ``tmp_path``."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> object:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run
