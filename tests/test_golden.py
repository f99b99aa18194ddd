"""A small content folder builds to the expected files, byte for byte.

Run with TOWNSQUARE_UPDATE_GOLDEN=1 to rewrite the expected files after
changing how the hub looks; commit them together with that change.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"


# Pagefind's index and UI are its own files, tested in test_search.py;
# static/ is the theme's files, copied as they are (checked below).
_NOT_MADE_BY_THE_BUILD = {"pagefind", "static"}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.relative_to(folder).parts[0] not in _NOT_MADE_BY_THE_BUILD
    }


@pytest.fixture()
def golden_build(tmp_path: Path, run_cli: Callable[..., object]) -> Path:
    """Build the golden content with the command line; return the live folder."""
    shutil.copytree(GOLDEN / "content", tmp_path / "content")

    result = run_cli("--now", "2027-01-01T12:00", "build", "--output", "out")

    assert result.exit_code == 0, result.output
    return (tmp_path / "out").resolve()


def test_golden_content_builds_to_expected_files(golden_build: Path) -> None:
    built = _tree(golden_build)

    expected_dir = GOLDEN / "expected"
    if os.environ.get("TOWNSQUARE_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(
            golden_build,
            expected_dir,
            ignore=lambda folder, names: _NOT_MADE_BY_THE_BUILD.intersection(names),
        )
    expected = _tree(expected_dir)

    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name] == data, f"{name} differs from tests/golden/expected/{name}"


def test_theme_files_are_published_as_they_are(golden_build: Path) -> None:
    theme = ROOT / "site" / "static"
    for source in theme.rglob("*"):
        if source.is_file():
            relative = source.relative_to(theme)
            published = golden_build / "static" / relative
            assert published.read_bytes() == source.read_bytes(), relative
