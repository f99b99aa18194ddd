"""Plugins: pluggy hooks, found as built-ins, installed packages and in plugins/.

A plugin marks its hook functions with :data:`hookimpl`::

    from portal.plugins import hookimpl

    @hookimpl
    def townsquare_jinja(env):
        env.filters["shout"] = str.upper

The hooks are specified in :mod:`portal.plugins.hookspecs`.
"""

from __future__ import annotations

from portal.plugins.discovery import (
    ENTRY_POINT_GROUP,
    PLUGINS_DIR_ENV,
    PluginError,
    plugins_dir,
)
from portal.plugins.extension import init_app, plugin_urls, plugins_of
from portal.plugins.manager import (
    PluginInfo,
    Plugins,
    hookimpl,
    load_plugins,
    plugins_for,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PLUGINS_DIR_ENV",
    "PluginError",
    "PluginInfo",
    "Plugins",
    "hookimpl",
    "init_app",
    "load_plugins",
    "plugin_urls",
    "plugins_dir",
    "plugins_for",
    "plugins_of",
]
