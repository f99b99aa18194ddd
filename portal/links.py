"""Check that every link inside a built hub leads to a file and an anchor.

The checker reads the frozen HTML, not the templates: what it verifies is
exactly what visitors get. It works in two passes. The first parses each
page once with the standard library's :mod:`html.parser`, keeping the
addresses it names and the ids it defines; the second resolves every
address against the files of the build. Addresses outside the hub
(another host, ``mailto:``, the live portal) are left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from portal.content import Site

log = logging.getLogger(__name__)

# The attributes that hold one address, by element (HTML, "URLs" in
# section 2.4 and each element's definition).
_ADDRESS_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "object": ("data",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
}
_SRCSET_ELEMENTS = frozenset({"img", "source"})

# What an owner calls the thing an element points at.
_NOUNS = {
    "a": "link",
    "area": "link",
    "img": "image",
    "source": "image",
    "script": "script",
    "form": "form",
    "iframe": "frame",
    "video": "video",
    "audio": "audio",
}

_WEB_SCHEMES = frozenset({"http", "https"})
_AUTHORITY = re.compile(r"(?:https?:)?//([^/?#]*)", re.IGNORECASE)

# Most tags of a page (end tags, <p>, <li class="card">) can neither name
# an address nor define an id. Blanking them with one regular expression
# before parsing leaves the parser less than half the work. Tags that switch
# the parser into raw text stay, as do tags spread over several lines, so
# that line numbers do not move.
_RAW_TEXT = "script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext"
_IDLE_TAG = re.compile(
    rf"</?(?!(?:{_RAW_TEXT})\b)[a-z][a-z0-9]*"
    r"(?:[ \t]+(?!(?:id|name|href|src|srcset|action|data|poster|xlink:href)[ \t]*=)"
    r"""[^\s"'>/=]+(?:[ \t]*=[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'=<>`]+))?)*"""
    r"[ \t]*/?>",
    re.IGNORECASE,
)

# Below this many pages a second process costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass(frozen=True)
class BrokenLink:
    """One address on one built page that leads nowhere."""

    page: str
    line: int
    address: str
    missing: str
    element: str = "a"
    source: str = ""

    def __str__(self) -> str:
        noun = _NOUNS.get(self.element, self.element)
        where = f" (page made from {self.source})" if self.source else ""
        return (
            f"{self.page}:{self.line}: {noun} {self.address} points at nothing: "
            f"{self.missing}{where}"
        )


@dataclass(frozen=True)
class LinkReport:
    """What a link check found in one built hub."""

    pages: int
    links: int
    broken: tuple[BrokenLink, ...]

    def summary(self) -> str:
        """Return the one line that closes a link check."""
        checked = f"{self.links} internal links on {self.pages} pages"
        if not self.broken:
            return f"Checked {checked}: every one leads somewhere."
        noun = "link leads" if len(self.broken) == 1 else "links lead"
        return f"Checked {checked}: {len(self.broken)} {noun} nowhere."


@dataclass
class ParsedPage:
    """What one page names and defines: addresses with their lines, and ids.

    Each address is ``(line, element, address)``; ``base`` is the page's
    ``<base href>``, if it has one.
    """

    addresses: list[tuple[int, str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    base: str | None = None


class _PageParser(HTMLParser):
    """Collect a page's addresses (with their lines) and its ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the ids this element defines and the addresses it names."""
        wanted = _ADDRESS_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in wanted:
                self.page.addresses.append((self.getpos()[0], tag, value.strip()))
            elif name == "srcset" and tag in _SRCSET_ELEMENTS:
                line = self.getpos()[0]
                for candidate in value.split(","):
                    words = candidate.split()
                    if words:
                        self.page.addresses.append((line, tag, words[0]))
            elif tag == "base" and name == "href":
                self.page.base = value.strip()


def parse_page(text: str) -> ParsedPage:
    """Return the addresses and ids of one page's HTML."""
    parser = _PageParser()
    parser.feed(_IDLE_TAG.sub(" ", text))
    parser.close()
    return parser.page


def check_links(
    folder: Path,
    base_url: str,
    *,
    outside: Sequence[str] = (),
    sources: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> LinkReport:
    """Check every internal address on every page built in ``folder``.

    ``base_url`` is where the hub is published: an absolute address under
    it, or any root-relative one, must lead to a file of ``folder`` (a
    path ending in ``/`` to its ``index.html``) and its ``#fragment`` to
    an id on that page. Addresses starting with one of ``outside`` (the
    live portal, Datasette) are not part of the build and are skipped.
    ``sources`` maps a page's path to the content file it was made from,
    so that a report can say which file to edit.
    """
    folder = Path(folder)
    files = _files_of(folder)
    names = sorted(name for name in files if name.endswith(".html"))
    pages = dict(zip(names, _parse_all(folder, names, workers), strict=True))

    resolver = _Resolver(base_url, files, pages, outside)
    broken: list[BrokenLink] = []
    links = 0
    for name, page in pages.items():
        source = (sources or {}).get(name, "")
        for line, element, address in page.addresses:
            missing = resolver.missing(name, page, address)
            if missing is None:
                continue
            links += 1
            if missing:
                broken.append(BrokenLink(name, line, address, missing, element, source))

    report = LinkReport(len(pages), links, tuple(broken))
    log.info("%s", report.summary())
    return report


def check_built_links(
    site: Site,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    workers: int | None = None,
) -> LinkReport:
    """Build ``site``'s content into a temporary folder and check its links.

    The published hub is never touched: the build happens in a folder of
    its own, removed afterwards.
    """
    from portal.build import build_site

    settings = site.settings
    outside = [url for url in (settings.portal_url, settings.datasette_url) if url]
    with tempfile.TemporaryDirectory(prefix="townsquare-links-") as scratch:
        built = build_site(
            site.content_dir,
            Path(scratch) / "public",
            now=now,
            strict=strict,
            workers=workers,
        )
        return check_links(
            built.generation,
            settings.base_url,
            outside=outside,
            sources=page_sources(site),
            workers=workers,
        )


def page_sources(site: Site) -> dict[str, str]:
    """Return the built path of each record's page mapped to its content file."""
    from portal.app import create_app

    app = create_app(site)
    found: dict[str, str] = {}
    adapter = app.url_map.bind("localhost")
    for record in site.records():
        endpoint = f"hub.{record.kind}"
        if endpoint not in app.view_functions:
            continue
        path = adapter.build(endpoint, {"slug": record.slug}).lstrip("/")
        found[_file_of(path)] = record.source
    return found


class _Resolver:
    """Decide whether one address on one page leads somewhere."""

    def __init__(
        self,
        base_url: str,
        files: set[str],
        pages: Mapping[str, ParsedPage],
        outside: Sequence[str],
    ) -> None:
        base = urlsplit(base_url)
        self.host = base.netloc.lower()
        self.root = base.path if base.path.endswith("/") else base.path + "/"
        self.files = files
        self.pages = pages
        self.outside = [
            (urlsplit(url).netloc.lower(), urlsplit(url).path) for url in outside
        ]
        # Most addresses (menus, footers, stylesheets) repeat on every
        # page, and an absolute one means the same thing on each of them.
        self._absolute: dict[str, str | None] = {}

    def missing(self, name: str, page: ParsedPage, address: str) -> str | None:
        """Return what ``address`` on page ``name`` lacks.

        The answer is "" when it leads somewhere and None when it is not
        an address inside the hub.
        """
        if page.base is None:
            if address.startswith("#"):
                return self._missing_anchor(name, address[1:])
            if address.startswith("/") or ":" in address.split("/", 1)[0]:
                if address not in self._absolute:
                    self._absolute[address] = self._resolve(address, self._url(""))
                return self._absolute[address]
        page_url = self._url(_url_of(name))
        if page.base is not None:
            page_url = urljoin(page_url, page.base)
        return self._resolve(address, page_url)

    def _url(self, path: str) -> str:
        # The scheme is only there to let urljoin work; http and https
        # addresses of the hub's host are treated alike.
        return f"https://{self.host}{self.root}{path}"

    def _resolve(self, address: str, page_url: str) -> str | None:
        # Links to other sites are most of the unique addresses of a hub;
        # telling them by their host alone spares parsing each in full.
        other = _AUTHORITY.match(address)
        if other is not None and other.group(1).lower() != self.host:
            return None
        written = urlsplit(address)
        if written.scheme and written.scheme.lower() not in _WEB_SCHEMES:
            return None
        parts = urlsplit(urljoin(page_url, address))
        if parts.netloc.lower() != self.host:
            return None
        if any(
            parts.path.startswith(path)
            for host, path in self.outside
            if host == self.host
        ):
            return None
        if not parts.path.startswith(self.root):
            if written.netloc:
                return None
            return f"the hub lives under {self.root}, so this address is outside it"

        path = unquote(parts.path[len(self.root) :])
        name = self._file(path)
        if name is None:
            return f"no file {_file_of(path)}"
        if "#" not in address:
            return ""
        return self._missing_anchor(name, parts.fragment)

    def _file(self, path: str) -> str | None:
        # A static host answers /events/ with events/index.html, and most
        # send /events on to /events/.
        directory = path == "" or path.endswith("/")
        path = posixpath.normpath(path or ".")
        path = "" if path == "." else path + ("/" if directory else "")
        for candidate in (_file_of(path), path.rstrip("/") + "/index.html"):
            if candidate in self.files:
                return candidate
        return None

    def _missing_anchor(self, name: str, fragment: str) -> str:
        # An empty fragment and "top" scroll to the top of any page (HTML,
        # "scroll to the fragment"); a text fragment names no id.
        if fragment in {"", "top"} or fragment.startswith(":~:"):
            return ""
        page = self.pages.get(name)
        if page is None or fragment in page.ids or unquote(fragment) in page.ids:
            return ""
        return f'{name} has no id "{unquote(fragment)}"'


def _url_of(name: str) -> str:
    return (
        name.removesuffix("index.html")
        if posixpath.basename(name) == "index.html"
        else name
    )


def _file_of(path: str) -> str:
    return path + "index.html" if path == "" or path.endswith("/") else path


def _files_of(folder: Path) -> set[str]:
    found: set[str] = set()
    for parent, _, names in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found


def _parse_chunk(args: tuple[Path, Sequence[str]]) -> list[ParsedPage]:
    folder, names = args
    return [parse_page((folder / name).read_text(encoding="utf-8")) for name in names]


def _parse_all(
    folder: Path, names: Sequence[str], workers: int | None
) -> Iterable[ParsedPage]:
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(names) < PARALLEL_THRESHOLD:
        return _parse_chunk((folder, names))

    size = -(-len(names) // (workers * 4))
    chunks = [(folder, names[i : i + size]) for i in range(0, len(names), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parsed = pool.map(_parse_chunk, chunks)
    return [page for chunk in parsed for page in chunk]
