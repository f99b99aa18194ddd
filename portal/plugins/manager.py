"""The set of plugins one build or preview runs with, and typed calls to their hooks."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pluggy
from flask import Blueprint
from jinja2 import Environment

from portal.content import KINDS, Record, Site, read_settings
from portal.plugins import hookspecs
from portal.plugins.discovery import (
    Found,
    PluginError,
    available_in,
    builtin_plugins,
    entry_point_plugins,
    folder_plugins,
    plugins_dir,
)

if TYPE_CHECKING:
    from portal.build import BuildReport

log = logging.getLogger(__name__)

Endpoint = tuple[str, dict[str, Any]]

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)


@dataclass(frozen=True)
class PluginInfo:
    """What the ``plugins`` command shows about one plugin."""

    name: str
    origin: str
    hooks: tuple[str, ...]


class Plugins:
    """The plugins of one run, registered on a pluggy manager."""

    def __init__(self, found: Iterable[Found], folder: Path | None = None) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.folder = folder
        self.origins: dict[str, str] = {}
        for item in found:
            self.register(item.plugin, item.name, item.origin)

    def register(
        self, plugin: object, name: str, origin: str = "registered in code"
    ) -> None:
        """Add ``plugin`` under ``name``; raise :class:`PluginError` if it is unusable."""
        if name in self.origins:
            raise PluginError(
                f"two plugins are named '{name}': {self.origins[name]} and {origin}; "
                "rename or remove one"
            )
        try:
            self.manager.register(plugin, name)
            self.manager.check_pending()
        except pluggy.PluginValidationError as e:
            self.manager.unregister(name=name)
            known = ", ".join(self.hook_names())
            raise PluginError(
                f"the plugin '{name}' from {origin} does not fit: {e}; the hooks are {known}"
            ) from e
        self.origins[name] = origin

    def hook_names(self) -> list[str]:
        """Return the name of every hook a plugin may implement."""
        return sorted(
            name for name in vars(hookspecs) if name.startswith("townsquare_")
        )

    def describe(self) -> list[PluginInfo]:
        """Return each registered plugin with its origin and the hooks it implements."""
        found = []
        for name, origin in self.origins.items():
            plugin = self.manager.get_plugin(name)
            callers = self.manager.get_hookcallers(plugin) or []
            hooks = tuple(sorted(caller.name for caller in callers))
            found.append(PluginInfo(name, origin, hooks))
        return found

    def available(self) -> list[str]:
        """Return the plugins of the plugins folder that are not switched on."""
        if self.folder is None:
            return []
        return [name for name in available_in(self.folder) if name not in self.origins]

    def content_kinds(self) -> tuple[type[Record], ...]:
        """Return the built-in kinds of content followed by those plugins add."""
        kinds = list(KINDS)
        for name, result in self._each("townsquare_content_kinds"):
            for kind in result or ():
                _check_kind(kind, kinds, f"the plugin '{name}'")
                kinds.append(kind)
        return tuple(kinds)

    def blueprints(self, site: Site) -> list[tuple[str, Blueprint]]:
        """Return the blueprints plugins add, each with its plugin's name."""
        found = []
        for name, result in self._each("townsquare_routes", site=site):
            if result is None:
                continue
            if not isinstance(result, Blueprint):
                raise PluginError(
                    f"the plugin '{name}' returned {result!r} from townsquare_routes; "
                    "expected a flask.Blueprint or None"
                )
            found.append((name, result))
        return found

    def urls(self, site: Site) -> Iterator[Endpoint]:
        """Yield the extra ``(endpoint, values)`` pairs plugins ask to freeze."""
        for result in self.manager.hook.townsquare_urls(site=site):
            for endpoint, values in result or ():
                yield endpoint, dict(values)

    def configure_jinja(self, env: Environment, site: Site) -> None:
        """Let plugins add filters and globals to ``env``."""
        self.manager.hook.townsquare_jinja(env=env, site=site)

    def rewrites_pages(self) -> bool:
        """Tell whether any plugin changes rendered pages."""
        return bool(self._impls("townsquare_page_rendered"))

    def page_rendered(
        self, path: str, body: str, mimetype: str, site: Site
    ) -> str | bytes:
        """Pass a rendered page through every plugin in turn; return the final body."""
        current: str | bytes = body
        for impl in self._impls("townsquare_page_rendered"):
            text = current.decode("utf-8") if isinstance(current, bytes) else current
            arguments = {"path": path, "body": text, "mimetype": mimetype, "site": site}
            result = impl.function(*(arguments[arg] for arg in impl.argnames))
            if isinstance(result, (str, bytes)):
                current = result
            elif result is not None:
                raise PluginError(
                    f"the plugin '{impl.plugin_name}' returned {type(result).__name__} from "
                    "townsquare_page_rendered; expected text, bytes or None"
                )
        return current

    def build_finished(self, site: Site, output: Path, report: BuildReport) -> None:
        """Tell plugins the build is published."""
        self.manager.hook.townsquare_build_finished(
            site=site, output=output, report=report
        )

    def add_commands(self, cli: click.Group) -> None:
        """Let plugins add commands to ``cli``."""
        self.manager.hook.townsquare_commands(cli=cli)

    def _impls(self, hook: str) -> list[pluggy.HookImpl]:
        # pluggy calls the last registered implementation first; chained
        # hooks keep that order so that tryfirst and trylast still apply.
        caller = getattr(self.manager.hook, hook)
        impls = [i for i in caller.get_hookimpls() if not (i.wrapper or i.hookwrapper)]
        return list(reversed(impls))

    def _each(self, hook: str, **arguments: Any) -> Iterator[tuple[str, Any]]:
        for impl in self._impls(hook):
            yield (
                impl.plugin_name,
                impl.function(*(arguments[arg] for arg in impl.argnames)),
            )


def load_plugins(
    enabled: Iterable[str] = (),
    *,
    folder: Path | None = None,
    entry_points: bool = True,
) -> Plugins:
    """Return the built-in plugins, installed ones and those of ``folder`` named in ``enabled``.

    ``folder`` defaults to :func:`~portal.plugins.discovery.plugins_dir`.
    With ``entry_points`` false, installed packages are not consulted.
    """
    folder = plugins_dir() if folder is None else folder
    found = builtin_plugins()
    if entry_points:
        found += entry_point_plugins()
    found += folder_plugins(folder, tuple(enabled))
    return Plugins(found, folder)


def plugins_for(content_dir: Path) -> Plugins:
    """Return the plugins the content folder's ``site.toml`` switches on.

    When ``site.toml`` cannot be read, only built-in and installed plugins
    load; reading the content then reports what is wrong with it.
    """
    settings, _, _ = read_settings(Path(content_dir) / "site.toml", "site.toml")
    return load_plugins(settings.plugins if settings is not None else ())


def _check_kind(kind: Any, known: list[type[Record]], who: str) -> None:
    if not (
        isinstance(kind, type)
        and issubclass(kind, Record)
        and dataclasses.is_dataclass(kind)
    ):
        raise PluginError(
            f"{who} returned {kind!r} from townsquare_content_kinds; "
            "expected a dataclass that subclasses portal.content.Record"
        )
    name = kind.__name__
    if (
        not kind.kind
        or not kind.folder
        or "/" in kind.folder
        or kind.folder.startswith(".")
    ):
        raise PluginError(
            f"{who}: {name} needs a kind and a folder name, like kind = 'recipe' and "
            f"folder = 'recipes'; got kind={kind.kind!r}, folder={kind.folder!r}"
        )
    for other in known:
        if other.kind == kind.kind or other.folder == kind.folder:
            raise PluginError(
                f"{who}: {name} uses kind '{kind.kind}' and folder '{kind.folder}', but "
                f"{other.__name__} already reads kind '{other.kind}' from '{other.folder}'"
            )
    if kind.folder == "media":
        raise PluginError(
            f"{who}: {name} cannot read content/media/, which holds images"
        )
