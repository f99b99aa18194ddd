"""schema.org structured data (JSON-LD) for the hub's pages.

One module per family of types: ``events`` (Event, EventSeries),
``places`` (LocalBusiness, Organization) and ``works`` (CreativeWork,
VisualArtwork). Each returns plain dictionaries; :func:`to_script` turns
one into the ``<script>`` element a page carries.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def to_script(data: dict[str, Any]) -> Markup:
    """Return ``data`` as a JSON-LD script element, safe to put in a page."""
    text = json.dumps(
        {"@context": "https://schema.org", **data},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=False,
    )
    # "</" inside a string would close the script element early (HTML §4.12.1.3).
    text = text.replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">{text}</script>')
