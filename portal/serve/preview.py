"""The live preview: the hub rendered from the content as it is now.

:class:`Preview` is a WSGI application that forwards each request to the
hub application built from the latest reading of the content. After a
change it reads the content again and builds a fresh application, so
nothing that captured the previous :class:`~portal.content.Site` (the
hub's filters and globals, cached templates) can outlive it. While the
content has problems it answers every address with a page listing them.

The preview's own routes live under ``/__townsquare__/`` and exist only
here: the frozen hub never registers them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Flask,
    current_app,
    render_template,
    send_from_directory,
    url_for,
)
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
from werkzeug.wrappers import Response

from portal.app import create_app
from portal.content import load_site
from portal.errors import ContentError
from portal.images import prepare_images
from portal.plugins import plugins_for
from portal.serve.reload import Broadcaster

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

PREVIEW_KEY = "townsquare.preview"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PROBLEMS_TEMPLATE = "townsquare_preview/problems.html"

# Served while the content has problems or a template fails: the preview
# cannot show the page until a file is fixed, and says so.
UNAVAILABLE = 503

blueprint = Blueprint("townsquare_preview", __name__, template_folder="templates")


class Preview:
    """Serve the hub from ``content_dir``, rebuilt by :meth:`reload`."""

    def __init__(
        self,
        content_dir: Path,
        *,
        theme_dir: Path | None = None,
        now: dt.datetime | None = None,
        strict: bool = False,
        live_reload: bool = True,
        echo: Callable[[str], None] = log.info,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.theme_dir = theme_dir
        self.now = now
        self.strict = strict
        self.live_reload = live_reload
        self.broadcaster = Broadcaster()
        self._echo = echo
        self._lock = threading.Lock()
        self._app: Flask | None = None
        self.problems: list[str] = []

    @property
    def app(self) -> Flask:
        """Return the application answering requests now, reading the content first if needed."""
        if self._app is None:
            self.reload()
        assert self._app is not None
        return self._app

    def reload(self, changed: Sequence[Path] = ()) -> list[str]:
        """Read the content again, swap in a fresh application and tell open pages.

        Return the content's problems, one line each; none when it is valid.
        """
        with self._lock:
            if changed:
                self._echo(f"Changed: {', '.join(label(path) for path in changed)}")
            try:
                plugins = plugins_for(self.content_dir)
                site = load_site(
                    self.content_dir,
                    now=self.now,
                    include_drafts=True,
                    strict=self.strict,
                    kinds=plugins.content_kinds(),
                )
                # The hub only reads picture variants; the preview makes them
                # as the build does, reusing the same cache.
                prepare_images(site)
            except ContentError as e:
                self.problems = e.lines()
                app = _problems_app(f"Fix {e} to see the preview", self.problems)
                for line in self.problems:
                    self._echo(line)
                self._echo(f"{e}; the preview lists the problems until they are fixed.")
            else:
                self.problems = []
                app = create_app(
                    site, theme_dir=self.theme_dir, preview=True, plugins=plugins
                )
            self._install(app)
            self._app = app
            self.broadcaster.publish()
            return self.problems

    def close(self) -> None:
        """End the open event streams, so that the server can stop."""
        self.broadcaster.close()

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer one request with the current application."""
        return self.app(environ, start_response)

    def _install(self, app: Flask) -> None:
        app.extensions[PREVIEW_KEY] = self
        app.register_blueprint(blueprint)
        app.register_error_handler(TemplateError, _show_template_error)
        if self.live_reload:
            app.after_request(_add_reload_script)


def _problems_app(heading: str, problems: Sequence[str]) -> Flask:
    """Return an application answering every address with the list of problems."""
    app = Flask("portal.serve", static_folder=None)

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def show_problems(path: str) -> tuple[str, int]:
        return _render_problems(heading, problems), UNAVAILABLE

    return app


@blueprint.route("/__townsquare__/events")
def events() -> Response:
    """Stream the hub's versions to one open page as server-sent events."""
    preview: Preview = current_app.extensions[PREVIEW_KEY]
    return Response(
        preview.broadcaster.stream(),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store"},
    )


@blueprint.route("/__townsquare__/live-reload.js")
def script() -> Response:
    """Send the script that reloads a page when the hub changes."""
    return send_from_directory(ASSETS_DIR, "live-reload.js", max_age=0)


def _add_reload_script(response: Response) -> Response:
    """Put the reload script before ``</body>`` of every HTML page."""
    if (
        response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
    ):
        return response

    preview: Preview = current_app.extensions[PREVIEW_KEY]
    tag = (
        f'<script src="{url_for("townsquare_preview.script")}" '
        f'data-events="{url_for("townsquare_preview.events")}" '
        f'data-version="{preview.broadcaster.version}" defer></script>\n'
    ).encode()
    body = response.get_data()
    end = body.lower().rfind(b"</body>")
    response.set_data(body + tag if end < 0 else body[:end] + tag + body[end:])
    return response


def _show_template_error(error: TemplateError) -> tuple[str, int]:
    """Show a broken template on the page instead of a bare server error."""
    line = _template_error_line(error)
    log.error("%s", line)
    return _render_problems(
        "A template of the theme has a problem", [line]
    ), UNAVAILABLE


def _template_error_line(error: TemplateError) -> str:
    if isinstance(error, TemplateNotFound):
        return (
            f"{error.name}: no such template in the theme; restore it or fix the name"
        )

    message = error.message or type(error).__name__
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return f"{label(Path(error.filename))}:{error.lineno}: {message}"

    # Jinja rewrites tracebacks so that template frames carry the
    # template's file and line: the innermost one is where it failed.
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2"))
    ]
    if frames:
        return f"{label(Path(frames[-1].filename))}:{frames[-1].lineno}: {message}"
    return message


def _render_problems(heading: str, lines: Sequence[str]) -> str:
    return render_template(PROBLEMS_TEMPLATE, heading=heading, problems=lines)


def label(path: Path) -> str:
    """Return how the terminal and the browser name ``path``: relative when nearby."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return Path(path).resolve().as_posix() if relative.startswith("..") else relative


__all__ = ["PREVIEW_KEY", "Preview", "blueprint", "label"]
