"""The public hub: every route here can be frozen into static files.

The hub reads a :class:`~portal.content.Site` and never writes anything.
"""

from __future__ import annotations

from flask import Flask

from portal.content import Site
from portal.hub.filters import register_filters
from portal.hub.urls import hub_urls
from portal.hub.views import blueprint, render_not_found

EXTENSION_KEY = "townsquare.site"


def init_app(app: Flask, site: Site) -> None:
    """Attach ``site`` and the hub's routes, filters and error pages to ``app``."""
    app.extensions[EXTENSION_KEY] = site
    app.register_blueprint(blueprint)
    app.register_error_handler(404, render_not_found)
    register_filters(app, site)


__all__ = ["hub_urls", "init_app"]
