"""Write the reference parts of the README from the code that defines them.

Settings, content fields, commands and plugin hooks are each declared once
in code. This module renders those declarations as Markdown, so the README
cannot drift from them: ``python build.py docs`` rewrites the generated
regions, and a test fails when the README differs from what it would write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from portal.content import KINDS, Settings, Spec, specs_of

_REGION = re.compile(
    r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)",
    re.S,
)


def field_table(specs: dict[str, Spec]) -> str:
    """Return a Markdown table describing ``specs``, one row per field."""
    rows = [
        "| field | required | accepts | example | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, spec in specs.items():
        accepts = (
            ", ".join(f"`{choice}`" for choice in spec.choices) or spec.type.expected
        )
        example = f"`{spec.sample}`"
        rows.append(
            f"| `{name}` | {'yes' if spec.required else ''} | {accepts} | {example} | {spec.help} |"
        )
    return "\n".join(rows) + "\n"


def command_table(group: click.Group) -> str:
    """Return a Markdown table of ``group``'s commands and their options."""
    context = click.Context(group, info_name="build.py")
    rows = ["| command | what it does | options |", "| --- | --- | --- |"]
    rows.append(
        f"| `python build.py` | {_first_line(group.help)} | {_options(group, context)} |"
    )
    for name in sorted(group.list_commands(context)):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        rows.append(
            f"| `python build.py {name}` | {_first_line(command.help)} | "
            f"{_options(command, context)} |"
        )
    return "\n".join(rows) + "\n"


def regions(
    group: click.Group, hooks: Callable[[], str] | None = None
) -> dict[str, str]:
    """Return every generated region of the README keyed by its name."""
    found = {
        "settings": field_table(specs_of(Settings)),
        "commands": command_table(group),
    }
    for kind in KINDS:
        found[f"fields-{kind.kind}"] = field_table(specs_of(kind))
    if hooks is not None:
        found["hooks"] = hooks()
    return found


def update(text: str, generated: dict[str, str]) -> str:
    """Return ``text`` with each generated region replaced by its new body."""

    def replace(match: re.Match[str]) -> str:
        body = generated.get(match.group("name"), match.group("body"))
        return f"{match.group(1)}{body}{match.group(4)}"

    return _REGION.sub(replace, text)


def region_names(text: str) -> list[str]:
    """Return the names of the generated regions present in ``text``."""
    return [match.group("name") for match in _REGION.finditer(text)]


def write_readme(path: Path, generated: dict[str, str]) -> bool:
    """Rewrite the generated regions of the README at ``path``; return whether it changed."""
    text = path.read_text(encoding="utf-8")
    new = update(text, generated)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n")[0]


def _options(command: click.Command, context: click.Context) -> str:
    return (
        "<br>".join(_describe(param, context) for param in _visible(command, context))
        or ""
    )


def _visible(command: click.Command, context: click.Context) -> Iterator[click.Option]:
    for param in command.get_params(context):
        # Every command has --help; listing it in each row says nothing.
        if isinstance(param, click.Option) and not param.hidden and not param.is_eager:
            yield param


def _describe(option: click.Option, context: click.Context) -> str:
    names = ", ".join(f"`{name}`" for name in option.opts)
    text = f"{names}: {option.help or ''}".strip()
    if option.show_default and isinstance(option.show_default, str):
        text += f" Default: `{option.show_default}`."
    elif (
        option.show_default
        and option.default is not None
        and not callable(option.default)
    ):
        text += f" Default: `{option.default}`."
    return text
