"""The record of what each file of a generation was made from.

A manifest sits beside its generation (``<generation>.manifest.json`` in
``public.generations/``), never inside it, so deploying the output never
carries it. It holds, for each frozen URL, the file written and the
facts it was rendered from (see :mod:`portal.build.facts`), each with
its digest at the time; and the digests of what every page depends on
at once: the code, its libraries and plugins (``engine``), the settings
and the content's pictures.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.build.facts import Fact, file_digest

log = logging.getLogger(__name__)

FORMAT = 2
# A picture changed this recently may have kept its size and time.
RACY_NS = 2_000_000_000
PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageEntry:
    """One frozen URL: the file it became and the facts it was made from.

    ``facts`` are positions in the manifest's table of facts.
    """

    path: str
    facts: list[int]
    # True when the page read something that cannot be looked up again.
    always: bool = False


@dataclass
class Manifest:
    """What one generation was built from."""

    engine: str
    settings: str
    media: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    # A digest of every field of each record, by kind and slug.
    records: dict[tuple[str, str], str] = field(default_factory=dict)
    # The facts pages were made from, each with its digest at the time.
    facts: list[Fact] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    pages: dict[str, PageEntry] = field(default_factory=dict)
    _index: dict[Fact, int] | None = field(default=None, repr=False, compare=False)

    def position(self, fact: Fact, digest: str) -> int:
        """Return the position of ``fact`` in the table, adding it with ``digest`` if new."""
        if self._index is None:
            self._index = {known: number for number, known in enumerate(self.facts)}
        number = self._index.get(fact)
        if number is None:
            number = self._index[fact] = len(self.facts)
            self.facts.append(fact)
            self.digests.append(digest)
        return number

    def compacted(self) -> Manifest:
        """Return a copy whose table holds only the facts some page still refers to."""
        used = sorted({n for entry in self.pages.values() for n in entry.facts})
        moved = {old: new for new, old in enumerate(used)}
        return Manifest(
            self.engine,
            self.settings,
            self.media,
            self.records,
            [self.facts[n] for n in used],
            [self.digests[n] for n in used],
            {
                url: PageEntry(
                    entry.path, [moved[n] for n in entry.facts], entry.always
                )
                for url, entry in self.pages.items()
            },
        )

    def save(self, path: Path) -> None:
        """Write the manifest to ``path`` in one rename."""
        data = {
            "format": FORMAT,
            "engine": self.engine,
            "settings": self.settings,
            "media": self.media,
            "records": [
                [kind, slug, digest] for (kind, slug), digest in self.records.items()
            ],
            "facts": [list(fact) for fact in self.facts],
            "digests": self.digests,
            "pages": {
                url: [entry.path, int(entry.always), entry.facts]
                for url, entry in self.pages.items()
            },
        }
        # One call to the C encoder: json.dump would encode piece by piece in Python.
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)


def load_manifest(path: Path) -> Manifest | None:
    """Read the manifest at ``path``; return None if there is none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        facts = [tuple(fact) for fact in data["facts"]]
        digests = list(data["digests"])
        if len(facts) != len(digests):
            raise ValueError("as many facts as digests were expected")
        pages = {
            url: PageEntry(path, numbers, bool(always))
            for url, (path, always, numbers) in data["pages"].items()
        }
        media = {
            name: (size, mtime, digest)
            for name, (size, mtime, digest) in data["media"].items()
        }
        records = {(kind, slug): digest for kind, slug, digest in data["records"]}
        return Manifest(
            data["engine"], data["settings"], media, records, facts, digests, pages
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, IndexError) as e:
        log.warning(
            "ignored the unreadable build record %s (%s); building everything", path, e
        )
        return None


def engine_digest(theme_dir: Path, plugins: Iterable[tuple[str, Any]]) -> str:
    """Return a digest of everything that renders pages but is not content.

    That is Townsquare's own code, the version of every installed
    package, Python itself, the theme's folder and each plugin's code.
    Any change means that no earlier page can be trusted.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    digest.update("\n".join(_installed_packages()).encode())
    digest.update(str(Path(theme_dir).resolve()).encode())
    for name, plugin in plugins:
        digest.update(f"plugin:{name}".encode())
        source = _source_file(plugin)
        if source is not None:
            digest.update(file_digest(source).encode())
    return digest.hexdigest()


def media_digests(
    folder: Path, previous: dict[str, tuple[int, int, str]]
) -> dict[str, tuple[int, int, str]]:
    """Return the size, time and digest of each file in the content's media folder.

    A file whose size and time match ``previous`` keeps its digest
    without being read again: pictures can be large.
    """
    found: dict[str, tuple[int, int, str]] = {}
    settled = time.time_ns() - RACY_NS
    if not folder.is_dir():
        return found
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            stat = path.stat()
            known = previous.get(relative)
            same = known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns)
            if known is not None and same and stat.st_mtime_ns < settled:
                found[relative] = known
            else:
                found[relative] = (stat.st_size, stat.st_mtime_ns, file_digest(path))
    return found


def _installed_packages() -> list[str]:
    """Return the name and version of every installed package, from its folder's name.

    Reading each package's metadata would cost a fifth of a second; the
    folder names (``name-version.dist-info``) say the same.
    """
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found += [
            f"{folder}/{n}" for n in names if n.endswith((".dist-info", ".egg-info"))
        ]
    return sorted(found)


def _source_file(plugin: Any) -> Path | None:
    module = (
        plugin
        if hasattr(plugin, "__file__")
        else sys.modules.get(type(plugin).__module__)
    )
    source = getattr(module, "__file__", None)
    return Path(source) if source else None
