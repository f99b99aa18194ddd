"""Slugs: the URL-safe names made from file names, titles and tags."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Return ``text`` as lowercase ASCII words joined by hyphens."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return _NOT_ALLOWED.sub("-", ascii_text.lower()).strip("-")
