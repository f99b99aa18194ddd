"""Attach plugins to the Flask application: routes, templates and page rewrites."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, request
from flask.wrappers import Response

from portal.content import Site
from portal.plugins.discovery import PluginError
from portal.plugins.manager import Endpoint, Plugins

EXTENSION_KEY = "townsquare.plugins"

# Rendered responses of these types pass through townsquare_page_rendered.
TEXT_MIMETYPES = frozenset(
    {"application/javascript", "application/json", "application/xml"}
)


def init_app(app: Flask, site: Site, plugins: Plugins) -> None:
    """Register the plugins' routes, Jinja additions and page rewrites on ``app``."""
    app.extensions[EXTENSION_KEY] = plugins
    for name, blueprint in plugins.blueprints(site):
        try:
            app.register_blueprint(blueprint)
        except ValueError as e:
            raise PluginError(f"the routes of the plugin '{name}' clash: {e}") from e
    plugins.configure_jinja(app.jinja_env, site)

    if plugins.rewrites_pages():

        @app.after_request
        def rewrite_page(response: Response) -> Response:
            return _rewrite(response, plugins, site)


def plugins_of(app: Flask) -> Plugins:
    """Return the plugins ``app`` was created with."""
    plugins: Plugins = app.extensions[EXTENSION_KEY]
    return plugins


def plugin_urls(app: Flask, site: Site) -> Iterator[Endpoint]:
    """Yield the ``(endpoint, values)`` pairs the plugins of ``app`` add to a build."""
    plugins = app.extensions.get(EXTENSION_KEY)
    if plugins is not None:
        yield from plugins.urls(site)


def _rewrite(response: Response, plugins: Plugins, site: Site) -> Response:
    # Files streamed from disk are the owner's or the theme's, not pages.
    if response.direct_passthrough or response.is_streamed:
        return response
    mimetype = response.mimetype or ""
    is_text = mimetype.startswith("text/") or mimetype.endswith(("+xml", "+json"))
    if not (is_text or mimetype in TEXT_MIMETYPES):
        return response

    body = response.get_data(as_text=True)
    changed = plugins.page_rendered(request.path, body, mimetype, site)
    if changed is not body:
        response.set_data(changed)
    return response
