"""Describe the hooks for the README, from their specifications."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from portal.plugins import hookspecs


def hook_specs() -> dict[str, Callable[..., Any]]:
    """Return every hook specification by name, in the order they are declared."""
    return {
        name: value
        for name, value in vars(hookspecs).items()
        if name.startswith("townsquare_") and callable(value)
    }


def hook_table() -> str:
    """Return a Markdown table of the hooks: name, arguments and summary."""
    rows = ["| hook | arguments | what it does |", "| --- | --- | --- |"]
    for name, function in hook_specs().items():
        arguments = ", ".join(f"`{a}`" for a in inspect.signature(function).parameters)
        summary = (inspect.getdoc(function) or "").splitlines()[0].replace("``", "`")
        rows.append(f"| `{name}` | {arguments} | {summary} |")
    return "\n".join(rows) + "\n"
