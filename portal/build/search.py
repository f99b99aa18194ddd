"""Index a built generation for full-text search with Pagefind.

Pagefind reads the frozen HTML and writes its index and interface files
into ``pagefind/`` inside the same folder. The build calls
:func:`index_site` on a new generation before publishing it, so the
search index always describes exactly the pages published with it.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

from portal.errors import BuildError

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
_INDEXED = re.compile(r"Indexed (\d+) pages?")
# Pagefind indexes a small hub in milliseconds; a minute means it hangs.
_TIMEOUT = 60


def pagefind_executable() -> Path | None:
    """Return the Pagefind program that ``pagefind[bin]`` installed, if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index_site(folder: Path) -> int:
    """Write a Pagefind search index for the pages in ``folder``; return their count.

    Only elements marked ``data-pagefind-body`` are indexed, so navigation
    and footers never match a search.
    """
    program = pagefind_executable()
    if program is None:
        raise BuildError(
            "Pagefind is not installed, so the hub cannot be indexed for search; "
            "install it with: pip install 'pagefind[bin]'"
        )

    # A generation may start as a copy of the previous one; an old index
    # would keep fragments of pages that no longer exist.
    shutil.rmtree(folder / BUNDLE, ignore_errors=True)
    command = [str(program), "--site", str(folder), "--output-subdir", BUNDLE]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BuildError(f"Pagefind could not index {folder}: {e}") from None

    log.debug("%s", result.stdout)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        raise BuildError(f"Pagefind could not index {folder}: {reason}")

    match = _INDEXED.search(result.stdout)
    pages = int(match.group(1)) if match else 0
    log.info("Indexed %d pages for search", pages)
    return pages


__all__ = ["BUNDLE", "index_site", "pagefind_executable"]
