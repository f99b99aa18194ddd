"""Split a content file into its YAML front matter and Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_FENCE = "---"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Parsed:
    """A content file taken apart: fields, their line numbers, the body."""

    fields: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int


class FrontMatterError(ValueError):
    """The front matter cannot be read at all."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse(text: str) -> Parsed:
    """Return the front matter and body of one file's ``text``."""
    text = text.removeprefix("\ufeff")
    if not text.startswith(_FENCE):
        raise FrontMatterError(
            1, "expected the file to start with a '---' line and YAML fields"
        )

    close = re.search(r"^---\s*$", text[3:], re.MULTILINE)
    first_newline = text.find("\n")
    if close is None or first_newline == -1:
        raise FrontMatterError(1, "the front matter has no closing '---' line")

    head = text[first_newline + 1 : 3 + close.start()]
    body_start = 3 + close.end()
    body = text[body_start:].lstrip("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1

    try:
        fields = yaml.load(head, Loader=_Loader) if head.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(e, "problem", None) or "not valid YAML"
        raise FrontMatterError(
            line, f"the front matter is not valid YAML: {reason}"
        ) from None
    if not isinstance(fields, dict):
        raise FrontMatterError(2, "the front matter must be 'field: value' lines")

    # Line numbers come from a cheap scan of top-level keys: the C loader
    # does not report where each value was, and the scan costs microseconds.
    lines = {
        match.group(1): head.count("\n", 0, match.start()) + 2
        for match in _TOP_KEY.finditer(head)
    }
    return Parsed(
        {str(key): value for key, value in fields.items()}, lines, body, body_line
    )
