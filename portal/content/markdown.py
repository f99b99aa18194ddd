"""Render the owner's Markdown to HTML that is safe to publish."""

from __future__ import annotations

import hashlib
import threading

import markdown
import nh3

# "smarty" would curl quotes but more than doubles the time of a page.
_EXTENSIONS = ["extra", "sane_lists"]
_local = threading.local()

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
    "td": {"align"},
    "th": {"align"},
    "*": {"id"},
}


def _renderer() -> markdown.Markdown:
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        _local.renderer = renderer
    return renderer


def render_markdown(text: str) -> str:
    """Return ``text`` as sanitised HTML.

    A heading written as ``#`` becomes ``h2``: the page title is the only
    ``h1`` of a page.
    """
    renderer = _renderer()
    renderer.reset()
    html = renderer.convert(_demote_h1(text))
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def content_hash(text: str) -> str:
    """Return a short, stable hash of some text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _demote_h1(text: str) -> str:
    if "# " not in text:
        return text
    lines = text.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("# "):
            lines[index] = "#" + line
    return "\n".join(lines)
