"""The command line's side of plugins: their commands and the ``plugins`` listing."""

from __future__ import annotations

import os
from pathlib import Path

import click

from portal.plugins.discovery import PluginError
from portal.plugins.manager import Plugins, plugins_for

_CACHE_KEY = "townsquare.plugin_commands"


class PluginGroup(click.Group):
    """A command group that also offers the commands plugins add.

    Plugins are looked up for the content folder given on the command
    line, so the ``plugins`` setting of its ``site.toml`` decides which
    plugins of the plugins folder may add commands.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the core commands and the plugins' commands, sorted."""
        try:
            extra = self._plugin_commands(ctx)
        except PluginError:
            # The build reports a broken plugin; the listing still helps.
            extra = {}
        return sorted({*super().list_commands(ctx), *extra})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a core command, else a plugin's command of that name."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        try:
            return self._plugin_commands(ctx).get(cmd_name)
        except PluginError as e:
            raise click.ClickException(str(e)) from e

    def _plugin_commands(self, ctx: click.Context | None) -> dict[str, click.Command]:
        root = ctx.find_root() if ctx is not None else None
        if root is not None and _CACHE_KEY in root.meta:
            cached: dict[str, click.Command] = root.meta[_CACHE_KEY]
            return cached

        content = root.params.get("content") if root is not None else None
        folder = Path(content or os.environ.get("TOWNSQUARE_CONTENT", "content"))
        scratch = click.Group()
        plugins_for(folder).add_commands(scratch)
        clashes = set(scratch.commands) & set(self.commands)
        if clashes:
            raise PluginError(
                f"a plugin adds commands the core already has: {', '.join(sorted(clashes))}"
            )
        if root is not None:
            root.meta[_CACHE_KEY] = scratch.commands
        return dict(scratch.commands)


def describe_plugins(plugins: Plugins) -> list[str]:
    """Return the lines of the ``plugins`` listing: each plugin, its origin and hooks."""
    lines = []
    for info in plugins.describe():
        lines.append(f"{info.name}: {info.origin}")
        lines.append(f"  hooks: {', '.join(info.hooks) or 'none'}")
    available = plugins.available()
    if available:
        folder = plugins.folder
        lines.append(
            f"In {folder}/ but not switched on (name them in plugins in site.toml): "
            + ", ".join(available)
        )
    return lines
