"""Serve a built hub from disk, as a static host would."""

from __future__ import annotations

import functools
import http.server
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve files, answering unknown addresses with the hub's 404 page."""

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


def make_server(
    folder: Path, host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    """Return a server for ``folder``; the caller runs ``serve_forever``."""
    # The folder is resolved on each request through the public link, so a
    # rebuild shows at once without restarting the server.
    handler = functools.partial(_Handler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)
