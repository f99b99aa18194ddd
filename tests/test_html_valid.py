"""The built sample hub is valid HTML, as the Nu HTML Checker reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser import VNU_JAR, BuiltSample
from tests.conftest import require_tool

pytestmark = pytest.mark.slow


def nu_errors(folder: Path) -> list[str]:
    """Return every error the Nu HTML Checker finds in the HTML under ``folder``."""
    java = shutil.which("java")
    require_tool(
        java is not None, "Java is not installed; the Nu HTML Checker needs it"
    )
    require_tool(VNU_JAR.exists(), f"{VNU_JAR} is missing; run npm ci in tests/tools")
    command = [str(java), "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only"]
    result = subprocess.run(
        [*command, "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # The checker writes its report to standard error and exits 1 on errors.
    report = json.loads(result.stderr)
    errors = [
        f"{m['url'].split(str(folder), 1)[-1]}:{m.get('lastLine', 0)}: {m['message']}"
        for m in report["messages"]
        if m["type"] in {"error", "non-document-error"}
    ]
    assert (result.returncode != 0) == bool(errors), result.stdout
    return errors


def test_nu_checker_finds_no_errors_in_the_built_sample_hub(
    built_sample: BuiltSample,
) -> None:
    folder = built_sample.output.resolve()
    assert len(list(folder.rglob("*.html"))) > 20

    assert nu_errors(folder) == []


def test_nu_checker_reports_a_broken_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=en><head><title>x</title></head>"
        "<body><p><div>unclosed</p></body></html>",
        encoding="utf-8",
    )

    errors = nu_errors(tmp_path)

    assert any("“p”" in error for error in errors), errors
