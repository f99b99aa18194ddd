"""The hooks a Townsquare plugin can implement.

A plugin is a module (or any object) with functions named after these
hooks and marked with :data:`portal.plugins.hookimpl`. An implementation
may accept any subset of a hook's arguments, by name. The built-in feeds
and sitemap are plugins on these same hooks.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pluggy
from flask import Blueprint
from jinja2 import Environment

from portal.content import Record, Site

if TYPE_CHECKING:
    from portal.build import BuildReport

PROJECT = "townsquare"

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def townsquare_content_kinds() -> Iterable[type[Record]]:  # type: ignore[empty-body]
    """Return extra kinds of content for the loader to read.

    Runs once per build or preview, before any content is read. Return
    subclasses of :class:`portal.content.Record`, each a frozen, keyword-only
    dataclass with its own ``kind`` and ``folder`` and its front-matter
    fields declared with :func:`portal.content.fields.spec`, like the
    built-in kinds. The loader reads ``content/<folder>/*.md`` with the same
    checks (required fields, values, drafts, duplicate slugs) and keeps the
    published records in ``site.extra``; ``site.of_kind(kind)`` returns
    them. They get pages only if the plugin also adds routes.
    """


@hookspec
def townsquare_routes(site: Site) -> Blueprint | None:
    """Return a Flask blueprint of extra routes, or None.

    Runs once when the application is created, after the hub's own routes
    are registered. ``site`` is the content being served. The blueprint is
    served live by the preview server; to be frozen into the static build,
    its pages must also be listed by :func:`townsquare_urls`.
    """


@hookspec
def townsquare_urls(site: Site) -> Iterable[tuple[str, dict[str, Any]]]:  # type: ignore[empty-body]
    """Return extra ``(endpoint, values)`` pairs to freeze and list in the sitemap.

    Runs when a build collects the addresses to freeze, and when the
    sitemap is drawn, with the ``site`` being built. Each pair is what
    ``url_for`` takes, such as ``("recipes.recipe", {"slug": "scones"})``.
    Addresses ending in ``/`` or ``.html`` are pages and go into the
    sitemap; images of a plugin's records need ``("hub.media",
    {"filename": name})`` here to be copied into the build.
    """


@hookspec
def townsquare_jinja(env: Environment, site: Site) -> None:
    """Add filters, tests and globals to the templates' environment.

    Runs once when the application is created, after the hub's own
    filters are in place, so a plugin may replace one on purpose. Change
    ``env`` in place (``env.filters["name"] = function``); ``site`` is the
    content being served. The return value is ignored.
    """


@hookspec
def townsquare_page_rendered(
    path: str, body: str, mimetype: str, site: Site
) -> str | bytes | None:
    """Return a replacement for a rendered page, or None to keep it.

    Runs after each page or text file the hub renders (HTML, XML, JSON,
    CSS, plain text), both in the preview server and while freezing, just
    before the response is sent or written. Files sent as they are from
    ``content/media/`` or ``site/static/`` are not passed. ``path`` is the
    address within the hub (``/events/``), ``body`` the text of the
    response, ``mimetype`` its type (``text/html``). Plugins run in turn,
    each receiving the body the previous one returned, in pluggy's order:
    the plugin registered last runs first, unless ``tryfirst`` or
    ``trylast`` on its ``hookimpl`` says otherwise. ``site`` is the
    content being served.
    """


@hookspec
def townsquare_build_finished(site: Site, output: Path, report: BuildReport) -> None:
    """Act on a finished build: notify, copy, index or check.

    Runs after the new ``site`` is published at ``output`` (the link to
    the live generation), with the ``report`` of pages and files written. An
    exception here fails the command but leaves the new site in place.
    The return value is ignored.
    """


@hookspec
def townsquare_commands(cli: click.Group) -> None:
    """Add commands to ``python build.py``.

    Runs when the command line looks up a command or lists them. Add
    commands to ``cli`` with ``@cli.command()``; inside one,
    ``click.get_current_context().obj["content"]`` is the content folder.
    The return value is ignored.
    """
