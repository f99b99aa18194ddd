"""What earlier builds learned from the content folder, kept for later builds.

Two caches make reading an unchanged content folder cheap:

- :class:`MarkdownCache` keeps each rendered body in a SQLite file, by a
  hash of the text, named by a hash of the renderer itself (this
  package's Markdown module and the versions of cmark-gfm and nh3):
  Markdown rendered once for a given text is reused, and a change to how
  it is rendered never reuses the old HTML.
- :class:`FileCache` keeps what reading each file gave (its record, or its
  problems) and hands it back while the file's bytes are unchanged, so an
  unchanged file is neither parsed nor converted again.

The file cache is written with a rename and the Markdown cache is a
SQLite database, so processes reading content in parallel, or two builds
at once, never see half an entry.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import pickle
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.content import markdown

# A file changed within this long of the cache being written may have
# changed without its size or time changing; its bytes are compared.
RACY_NS = 2_000_000_000
_FORMAT = 1

log = logging.getLogger(__name__)

_renderer: str | None = None


def renderer_id() -> str:
    """Return a short hash that changes whenever Markdown would render differently."""
    global _renderer
    if _renderer is None:
        digest = hashlib.blake2b(digest_size=8)
        digest.update(Path(markdown.__file__).read_bytes())
        for package in ("cmarkgfm", "nh3"):
            try:
                digest.update(f"{package}={metadata.version(package)};".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{package}=?;".encode())
        _renderer = digest.hexdigest()
    return _renderer


class MarkdownCache:
    """HTML of Markdown texts rendered before, kept in a SQLite file on disk.

    One file per renderer, ``<renderer id>.sqlite``, keyed by a hash of
    the text. Processes reading content in parallel share it: each opens
    its own connection on first use, and writes one row per new text.
    It is a cache, so nothing waits for the disk (``synchronous=OFF``):
    a crash can lose only rows that the next build renders again.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / f"{renderer_id()}.sqlite"
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def __getstate__(self) -> dict[str, Any]:
        # A connection belongs to one process; a worker opens its own.
        return {**self.__dict__, "_db": None, "_pid": 0}

    def render(self, text: str) -> str:
        """Return ``text`` as sanitised HTML, rendering it only if no build has before."""
        key = markdown.content_hash(text)
        db = self._connect()
        if db is not None:
            try:
                row = db.execute(
                    "SELECT html FROM rendered WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as e:
                log.debug("could not read rendered Markdown from %s: %s", self.path, e)
                row = None
            if row is not None:
                self.hits += 1
                return str(row[0])

        self.misses += 1
        html = markdown.render_markdown(text)
        self._store(key, html)
        return html

    def keep(self, text: str, html: str) -> None:
        """Keep ``html`` as what ``text`` renders to."""
        self._store(markdown.content_hash(text), html)

    def _store(self, key: str, html: str) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO rendered (key, html) VALUES (?, ?)",
                    (key, html),
                )
        except sqlite3.Error as e:
            # A cache that cannot be written only makes the next build slower.
            log.debug("could not keep rendered Markdown in %s: %s", self.path, e)

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None and self._pid == os.getpid():
            return self._db
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS rendered (key TEXT PRIMARY KEY, html TEXT)"
            )
        except (OSError, sqlite3.Error) as e:
            log.debug("could not open the Markdown cache %s: %s", self.path, e)
            return None
        self._db, self._pid = db, os.getpid()
        self._forget_older_renderers()
        return db

    def _forget_older_renderers(self) -> None:
        """Remove what older versions of the renderer left behind."""
        for path in self.root.iterdir():
            if not path.name.startswith(self.path.name):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                log.debug("removed Markdown rendered by an older renderer: %s", path)


class ContentCache:
    """The caches of one content folder, kept under ``root`` (``.townsquare/cache``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.markdown = MarkdownCache(self.root / "markdown")

    def render(self, text: str) -> str:
        """Return ``text`` as sanitised HTML, from the cache when it was rendered before."""
        return self.markdown.render(text)

    def files(
        self, content_dir: Path, timezone: ZoneInfo, kinds: Iterable[type]
    ) -> FileCache:
        """Return the cache of files read from ``content_dir`` in this context."""
        kinds = tuple(kinds)
        name = hashlib.blake2b(str(Path(content_dir).resolve()).encode(), digest_size=8)
        path = self.root / "files" / f"{name.hexdigest()}.pickle"
        return FileCache(path, reading_context(content_dir, timezone, kinds))


class FileCache:
    """What reading each content file gave, reused while the file is unchanged.

    ``context`` names everything besides a file's bytes that reading it
    depends on (see :func:`reading_context`); a cache written in another
    context is ignored.
    """

    def __init__(self, path: Path, context: str) -> None:
        self.path = Path(path)
        self.context = context
        self.entries: dict[str, tuple[int, int, str, Any]] = {}
        self.written_ns = 0
        self._seen: set[str] = set()
        self._changed = False
        self._load()

    def recall(self, path: Path) -> Any | None:
        """Return what reading ``path`` gave before, or None if it changed since."""
        key = str(path)
        self._seen.add(key)
        entry = self.entries.get(key)
        if entry is None:
            return None
        size, mtime_ns, digest, outcome = entry
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns) and (
            mtime_ns < self.written_ns - RACY_NS
        ):
            return outcome
        try:
            current = _digest(path.read_bytes())
        except OSError:
            return None
        if current != digest:
            return None
        self.entries[key] = (stat.st_size, stat.st_mtime_ns, digest, outcome)
        self._changed = True
        return outcome

    def remember(self, path: Path, outcome: Any) -> None:
        """Keep what reading ``path`` gave, for as long as its bytes stay the same."""
        key = str(path)
        self._seen.add(key)
        try:
            stat = path.stat()
            digest = _digest(path.read_bytes())
        except OSError:
            return
        self.entries[key] = (stat.st_size, stat.st_mtime_ns, digest, outcome)
        self._changed = True

    def save(self) -> None:
        """Write the cache back if anything in it changed, dropping files no longer read."""
        gone = set(self.entries) - self._seen
        if not (self._changed or gone):
            return
        for key in gone:
            del self.entries[key]
        data = (_FORMAT, self.context, time.time_ns(), self.entries)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError as e:
            log.debug("could not keep what was read in %s: %s", self.path, e)

    def _load(self) -> None:
        try:
            with self.path.open("rb") as file:
                version, context, written_ns, entries = pickle.load(file)
        except FileNotFoundError:
            return
        except Exception as e:  # any unreadable cache only makes a slower build
            log.debug("ignored an unreadable cache %s: %s", self.path, e)
            return
        if version == _FORMAT and context == self.context:
            self.entries, self.written_ns = entries, written_ns


def reading_context(
    content_dir: Path, timezone: ZoneInfo, kinds: Iterable[type]
) -> str:
    """Return a hash of everything besides a file's bytes that reading it depends on.

    That is the code that reads and checks content, the site's time zone,
    the working folder (file names in messages are relative to it) and
    the names in the media folder (pictures a file names must exist).
    """
    digest = hashlib.blake2b(digest_size=16)
    modules = set(Path(__file__).resolve().parent.glob("*.py"))
    for kind in kinds:
        module = sys.modules.get(kind.__module__)
        source = inspect.getsourcefile(module) if module is not None else None
        if source:
            modules.add(Path(source).resolve())
    for module_path in sorted(modules):
        digest.update(str(module_path).encode())
        digest.update(module_path.read_bytes())
    digest.update(f"{timezone.key};{os.getcwd()};{sys.version}".encode())
    try:
        digest.update(
            "\x1f".join(sorted(os.listdir(Path(content_dir) / "media"))).encode()
        )
    except OSError:
        digest.update(b"no media")
    for kind in kinds:
        digest.update(f"{kind.__module__}.{kind.__qualname__};".encode())
    return digest.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
