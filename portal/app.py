"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal.content import Site

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_THEME = PROJECT_DIR / "site"


def create_app(site: Site, *, theme_dir: Path | None = None, preview: bool = False) -> Flask:
    """Return the application that serves ``site``.

    ``theme_dir`` holds ``templates/`` and ``static/``; it defaults to the
    project's ``site/`` folder. ``preview`` marks drafts with a banner.
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

    hub.init_app(app, site)
    return app
