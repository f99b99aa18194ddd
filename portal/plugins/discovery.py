"""Find plugins: built in, installed as packages, or dropped in a folder.

Built-in plugins are always on. An installed package announces its plugin
in the ``townsquare`` entry-point group, and installing it switches it on.
A module or package in the plugins folder is on only when the owner names
it in the ``plugins`` setting of ``content/site.toml``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from portal.errors import TownsquareError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "townsquare"
PLUGINS_DIR_ENV = "TOWNSQUARE_PLUGINS_DIR"
DEFAULT_PLUGINS_DIR = "plugins"

# The core's own features, registered exactly as a third-party plugin is.
BUILTIN_PLUGINS = (
    ("feeds", "portal.plugins.builtin.feeds"),
    ("sitemap", "portal.plugins.builtin.sitemap"),
)

# Modules imported from the plugins folder live in sys.modules under
# this prefix, as top-level names: a package's relative imports work, and
# pickle finds a plugin's record classes when it sends records between
# the processes that read content in parallel.
MODULE_PREFIX = "townsquare_plugin_"


class PluginError(TownsquareError):
    """A plugin cannot be found, loaded or registered."""


@dataclass(frozen=True)
class Found:
    """One plugin ready to register: its name, where it came from, its object."""

    name: str
    origin: str
    plugin: object


def plugins_dir() -> Path:
    """Return the plugins folder: $TOWNSQUARE_PLUGINS_DIR, else ./plugins."""
    return Path(os.environ.get(PLUGINS_DIR_ENV) or DEFAULT_PLUGINS_DIR)


def builtin_plugins() -> list[Found]:
    """Import and return the plugins that ship inside the package."""
    return [
        Found(name, f"built-in ({module})", importlib.import_module(module))
        for name, module in BUILTIN_PLUGINS
    ]


def entry_point_plugins() -> list[Found]:
    """Import and return the plugins installed packages announce."""
    found = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        where = f"{point.dist.name} {point.dist.version}" if point.dist else point.value
        try:
            plugin = point.load()
        except Exception as e:
            raise PluginError(
                f"the plugin '{point.name}' of {where} could not be imported: "
                f"{type(e).__name__}: {e}; update or uninstall that package"
            ) from e
        found.append(Found(point.name, f"package {where}", plugin))
    return found


def available_in(folder: Path) -> dict[str, Path]:
    """Return the plugins in ``folder`` by name: ``name.py`` files and packages."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.suffix == ".py" and path.is_file():
            found[path.stem] = path
        elif (path / "__init__.py").is_file():
            found[path.name] = path
    return found


def folder_plugins(folder: Path, enabled: tuple[str, ...]) -> list[Found]:
    """Import and return the plugins of ``folder`` that ``enabled`` names."""
    available = available_in(folder)
    missing = [name for name in enabled if name not in available]
    if missing:
        known = ", ".join(available) or "none"
        raise PluginError(
            f"site.toml: plugins: no plugin named {', '.join(map(repr, missing))} "
            f"in {folder}/; the plugins there are: {known}"
        )
    return [
        Found(
            name,
            f"plugins folder ({_shown(available[name])})",
            import_path(available[name]),
        )
        for name in dict.fromkeys(enabled)
    ]


def import_path(path: Path) -> ModuleType:
    """Import a plugin module or package from ``path``, once per version of it."""
    init = path / "__init__.py" if path.is_dir() else path
    name = MODULE_PREFIX + (path.name if path.is_dir() else path.stem)
    stamp = _stamp(path)
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__townsquare_stamp__", None) == stamp:
        return loaded

    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)] if path.is_dir() else None
    )
    if (
        spec is None or spec.loader is None
    ):  # pragma: no cover - only for odd file types
        raise PluginError(f"{_shown(path)}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    _forget(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        _forget(name)
        raise PluginError(
            f"{_where(e, path)}: the plugin could not be loaded: {_says(e)}"
        ) from e
    module.__townsquare_stamp__ = stamp  # type: ignore[attr-defined]
    log.debug("imported plugin %s from %s", name, path)
    return module


def _stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    # A plugin edited since it was imported is imported again; an
    # unchanged one keeps its module, and so the identity of its classes.
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def _forget(name: str) -> None:
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]


def _where(error: Exception, path: Path) -> str:
    root = path.resolve()
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve().is_relative_to(root):
            return f"{_shown(Path(frame.filename))}:{frame.lineno}"
    if isinstance(error, SyntaxError) and error.filename:
        return f"{_shown(Path(error.filename))}:{error.lineno}"
    return _shown(path)


def _says(error: Exception) -> str:
    if isinstance(error, SyntaxError):
        return f"SyntaxError: {error.msg}"
    return f"{type(error).__name__}: {error}"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
