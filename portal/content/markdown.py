"""Render the owner's Markdown to HTML that is safe to publish."""

from __future__ import annotations

import hashlib
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

# GitHub's dialect of CommonMark, as Hugo and most editors' previews read
# it: tables, strikethrough, autolinks and footnotes. Raw HTML is let
# through here only so that the sanitiser below decides what stays; smart
# punctuation curls quotes and turns -- into an en dash.
_OPTIONS = (
    Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES
)
_H1 = re.compile(r"<(/?)h1\b")
# A table column's alignment; HTML has no align attribute any more, so it
# becomes a class the stylesheet knows.
_ALIGN = re.compile(r'<(t[dh]) align="(left|center|right)"')
_ALIGNED = {f"align-{side}" for side in ("left", "center", "right")}

# Tags and attributes an owner may use; everything else is removed, and
# raw HTML that is not on this list is escaped by the sanitiser.
_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "*": {"id"},
}


def render_markdown(text: str) -> str:
    """Return ``text`` as sanitised HTML.

    A first-level heading becomes ``h2``: the page title is the only
    ``h1`` of a page.
    """
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    html = _ALIGN.sub(r'<\1 class="align-\2"', _H1.sub(r"<\1h2", html))
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes={"td": _ALIGNED, "th": _ALIGNED},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def content_hash(text: str) -> str:
    """Return a short, stable hash of some text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
