"""Preview the hub live while the owner edits it: ``python build.py serve``.

The hub is the first service of a :class:`Supervisor`; a watcher beside
it reloads the content after every change and tells open pages to
reload. Later services (the members portal, Datasette) are added to the
same supervisor so that one command runs them all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from portal.app import DEFAULT_THEME
from portal.errors import TownsquareError
from portal.plugins.discovery import plugins_dir
from portal.serve.preview import Preview, label
from portal.serve.reload import Broadcaster, ChangeWatcher
from portal.serve.supervisor import (
    ProcessService,
    Service,
    ServiceError,
    Supervisor,
    ThreadService,
    WSGIService,
)

log = logging.getLogger(__name__)


class HubService(WSGIService):
    """Serve the live preview of the hub; read the content when starting."""

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        super().__init__("hub", preview, host, port, before_stop=preview.close)
        self.preview = preview

    def start(self) -> str:
        """Read the content, then start serving the preview."""
        self.preview.reload()
        return super().start()


def serve_hub(
    content_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    live_reload: bool = True,
    now: dt.datetime | None = None,
    strict: bool = False,
    theme_dir: Path | None = None,
    echo: Callable[[str], None],
) -> None:
    """Serve the live preview of ``content_dir`` until Ctrl-C.

    Drafts and scheduled files are shown with a banner. With
    ``live_reload`` every change to the content, the theme or the
    plugins reloads the open pages.
    """
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise TownsquareError(
            f"no content folder at {content_dir}; create it or name another with --content"
        )

    preview = Preview(
        content_dir,
        theme_dir=theme_dir,
        now=now,
        strict=strict,
        live_reload=live_reload,
        echo=echo,
    )
    supervisor = Supervisor(echo)
    supervisor.add(HubService(preview, host, port))
    if live_reload:
        folders = watched_folders(content_dir, theme_dir)
        watcher = ChangeWatcher(folders, preview.reload)
        where = "watching " + ", ".join(label(folder) for folder in watcher.folders)
        supervisor.add(ThreadService("reload", watcher.run, where))

    echo("Previewing the hub with drafts and scheduled files:")
    supervisor.run()
    echo("Stopped.")


def watched_folders(content_dir: Path, theme_dir: Path | None = None) -> list[Path]:
    """Return the folders whose changes reload the preview: content, theme, plugins."""
    candidates: Iterable[Path] = (
        content_dir,
        theme_dir or DEFAULT_THEME,
        plugins_dir(),
    )
    found: list[Path] = []
    for folder in candidates:
        folder = Path(folder).resolve()
        if folder.is_dir() and folder not in found:
            found.append(folder)
    return found


__all__ = [
    "Broadcaster",
    "ChangeWatcher",
    "HubService",
    "Preview",
    "ProcessService",
    "Service",
    "ServiceError",
    "Supervisor",
    "ThreadService",
    "WSGIService",
    "serve_hub",
    "watched_folders",
]
