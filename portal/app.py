"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from portal.content import Site

if TYPE_CHECKING:
    from portal.plugins import Plugins

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_THEME = PROJECT_DIR / "site"


def create_app(
    site: Site,
    *,
    theme_dir: Path | None = None,
    preview: bool = False,
    plugins: Plugins | None = None,
) -> Flask:
    """Return the application that serves ``site``.

    ``theme_dir`` holds ``templates/`` and ``static/``; it defaults to the
    project's ``site/`` folder. ``preview`` marks drafts with a banner.
    ``plugins`` defaults to the built-in and installed plugins and those
    the site's ``plugins`` setting switches on.
    """
    theme_dir = Path(theme_dir or DEFAULT_THEME)
    app = Flask(
        "portal",
        template_folder=str(theme_dir / "templates"),
        static_folder=str(theme_dir / "static"),
        static_url_path="/static",
    )
    app.config.update(
        TOWNSQUARE_PREVIEW=preview,
        SERVER_NAME=None,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from portal import hub
    from portal import plugins as plugin_hooks

    hub.init_app(app, site)
    if plugins is None:
        plugins = plugin_hooks.load_plugins(site.settings.plugins)
    plugin_hooks.init_app(app, site, plugins)
    return app
