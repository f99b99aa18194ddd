"""Record, while a page renders, every input the rendering reads.

During :func:`tracking` every attribute read on the site or on a record,
every template loaded and every file opened is noted as a fact of the
page being rendered (see :mod:`portal.build.facts`). This works for any
view, template, filter or plugin without their cooperation, because it
watches the objects they read rather than the code that reads them.

A page that reads a record the site did not hand it during the same
request (one kept from an earlier request, say) has inputs that cannot
be named; it is marked to be rendered on every build.
"""

from __future__ import annotations

import os
import site as python_site
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import Template

from portal.build.facts import (
    Fact,
    encode_arguments,
    materialise,
    record_fields,
    record_key,
    records_in,
)
from portal.content import Record, Site

# Dunder reads that copy or compare a whole record.
_WHOLE_RECORD = frozenset({"__dict__", "__getstate__", "__reduce__", "__reduce_ex__"})
_SIMPLE_KEYS = (str, int, float, bool, type(None))
_READ_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@dataclass
class PageInputs:
    """The facts one page was rendered from."""

    site: Site
    facts: set[Fact] = field(default_factory=set)
    delivered: set[int] = field(default_factory=set)
    untracked: bool = False
    paused: int = 0

    def note_site(self, steps: tuple[Any, ...], value: Any) -> None:
        """Note a value reached from the site and the records it hands over."""
        self.facts.add(("site", *steps))
        self.delivered.update(_record_ids(value))

    def note_field(self, record: Record, name: str) -> None:
        """Note one field read of ``record``."""
        if id(record) not in self.delivered:
            self.untracked = True
        kind, slug = record_key(record)
        self.facts.add(("field", kind, slug, name))


@dataclass
class _State:
    ignored: tuple[str, ...] = ()
    wrapped: dict[tuple[Any, ...], TrackedDict] = field(default_factory=dict)


class _Current(threading.local):
    # Only the thread that renders a page adds to its facts; a preview
    # serving other requests in the same process adds nothing.
    page: PageInputs | None = None


_state = _State()
_current = _Current()
_ids: dict[int, tuple[Any, frozenset[int]]] = {}
_audit_installed = False


class TrackedDict(dict[Any, Any]):
    """A read-only copy of a mapping of the site that notes what is looked up in it.

    Looking one key up is a fact about that key; anything that sees the
    whole mapping (iteration, length, comparison) is a fact about all of it.
    """

    def __init__(self, steps: tuple[Any, ...], source: dict[Any, Any]) -> None:
        super().__init__(source)
        self._steps = steps
        self._source = source

    def _item(self, key: Any) -> Any:
        value = dict.get(self, key, _NOT_FOUND)
        page = _active()
        if page is None:
            return value
        if not isinstance(key, _SIMPLE_KEYS):
            page.note_site(self._steps, self._source)
            return value
        steps = (*self._steps, "k", key)
        if isinstance(value, dict):
            # A nested mapping notes the keys looked up in it in turn.
            return _wrap(steps, value)
        page.note_site(steps, None if value is _NOT_FOUND else value)
        return value

    def _whole(self) -> None:
        page = _active()
        if page is not None:
            page.note_site(self._steps, self._source)

    def __getitem__(self, key: Any) -> Any:
        value = self._item(key)
        if value is _NOT_FOUND:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the value for ``key``, noting the lookup."""
        value = self._item(key)
        return default if value is _NOT_FOUND else value

    def __contains__(self, key: object) -> bool:
        return self._item(key) is not _NOT_FOUND

    def __iter__(self) -> Iterator[Any]:
        self._whole()
        return super().__iter__()

    def __len__(self) -> int:
        self._whole()
        return super().__len__()

    def __eq__(self, other: object) -> bool:
        self._whole()
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        self._whole()
        return super().__ne__(other)

    def __reversed__(self) -> Iterator[Any]:
        self._whole()
        return super().__reversed__()

    def __repr__(self) -> str:
        self._whole()
        return super().__repr__()

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._whole()
        return (dict, (dict(self),))

    def keys(self) -> Any:
        """Return the keys, noting that the whole mapping was seen."""
        self._whole()
        return super().keys()

    def values(self) -> Any:
        """Return the values, noting that the whole mapping was seen."""
        self._whole()
        return super().values()

    def items(self) -> Any:
        """Return the items, noting that the whole mapping was seen."""
        self._whole()
        return super().items()

    def copy(self) -> dict[Any, Any]:
        """Return a plain copy, noting that the whole mapping was seen."""
        self._whole()
        return dict(self)

    __hash__ = None  # type: ignore[assignment]


_NOT_FOUND = object()


@contextmanager
def tracking(site: Site, app: Flask, ignore: tuple[Path, ...] = ()) -> Iterator[None]:
    """Watch reads of the site, its records, templates and files until the block ends.

    Files under ``ignore`` (the output folder, caches) are never facts;
    neither is anything of Python or of the installed packages.
    """
    _warm(site)
    _state.ignored = tuple(str(p) for p in (*ignore, *_library_folders()))
    _state.wrapped = {}
    _install_audit_hook()
    original_load = app.jinja_env._load_template

    def load_template(name: str, globals: Any) -> Template:
        page = _active()
        if page is not None:
            page.facts.add(("template", name))
        return original_load(name, globals)

    app.jinja_env._load_template = load_template  # type: ignore[method-assign]
    Site.__getattribute__ = _site_getattribute  # type: ignore[method-assign,assignment]
    Record.__getattribute__ = _record_getattribute  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del Site.__getattribute__
        del Record.__getattribute__
        del app.jinja_env._load_template
        _current.page = None
        _state.wrapped = {}


@contextmanager
def rendering(site: Site) -> Iterator[PageInputs]:
    """Collect the facts of one page rendered inside the block."""
    page = PageInputs(site)
    _current.page = page
    try:
        yield page
    finally:
        _current.page = None


def _active() -> PageInputs | None:
    page = _current.page
    if page is None or page.paused:
        return None
    return page


def _site_getattribute(self: Site, name: str) -> Any:
    value = object.__getattribute__(self, name)
    page = _current.page
    if page is None or page.paused or name.startswith("__"):
        return value
    if self is not page.site:
        # Another site than the one being built: its values cannot be
        # looked up again on the next build.
        page.untracked = True
        return value
    if callable(value) and not isinstance(value, type):
        return _tracked_call(page, name, value)
    if isinstance(value, dict):
        return _wrap(("a", name), value)
    page.note_site(("a", name), value)
    return value


def _tracked_call(
    page: PageInputs, name: str, method: Callable[..., Any]
) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        # What a method of the site reads inside is summed up by its result.
        page.paused += 1
        try:
            result = materialise(method(*args, **kwargs))
        finally:
            page.paused -= 1
        arguments = encode_arguments(args, kwargs)
        if arguments is None:
            page.untracked = True
        else:
            page.note_site(("a", name, "c", arguments), result)
            for value in (*args, *kwargs.values()):
                if isinstance(value, Record):
                    page.delivered.add(id(value))
        return iter(result) if isinstance(result, tuple) and _yields(method) else result

    return call


def _yields(method: Callable[..., Any]) -> bool:
    code = getattr(getattr(method, "__func__", method), "__code__", None)
    # CO_GENERATOR: the caller expects an iterator, and gets one back.
    return code is not None and bool(code.co_flags & 0x20)


def _record_getattribute(self: Record, name: str) -> Any:
    value = object.__getattribute__(self, name)
    page = _current.page
    if page is None or page.paused or name == "slug":
        return value
    if name in _fields_of(type(self)):
        page.note_field(self, name)
    elif name in _WHOLE_RECORD:
        page.note_field(self, "*")
    return value


_field_names: dict[type[Record], frozenset[str]] = {}


def _fields_of(record_type: type[Record]) -> frozenset[str]:
    names = _field_names.get(record_type)
    if names is None:
        names = _field_names[record_type] = record_fields(record_type)
    return names


def _wrap(steps: tuple[Any, ...], value: dict[Any, Any]) -> TrackedDict:
    wrapped = _state.wrapped.get(steps)
    if wrapped is None:
        wrapped = _state.wrapped[steps] = TrackedDict(steps, value)
    return wrapped


def _record_ids(value: Any) -> frozenset[int]:
    if isinstance(value, Record):
        return frozenset((id(value),))
    if value is None or isinstance(value, str | int | float | Path):
        return frozenset()
    known = _ids.get(id(value))
    if known is None or known[0] is not value:
        # The value is kept alongside its ids so that its id is not reused.
        known = _ids[id(value)] = (value, frozenset(id(r) for r in records_in(value)))
    return known[1]


def _warm(site: Site) -> None:
    """Compute the site's cached values before any page reads them.

    Otherwise the first page to read a listing would also note every
    record the listing was computed from.
    """
    for name in dir(type(site)):
        if isinstance(getattr(type(site), name, None), _cached_property_types()):
            getattr(site, name)


def _cached_property_types() -> tuple[type, ...]:
    from functools import cached_property

    return (cached_property,)


def _library_folders() -> list[str]:
    folders = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        *python_site.getsitepackages(),
    }
    folders.update(sysconfig.get_paths().values())
    folders.add(str(Path(__file__).resolve().parent.parent))
    # Time zones and locale data belong to the system, like the libraries.
    folders.update({"/usr/", "/etc/", "/proc/", "/sys/", "/dev/"})
    return sorted(folders)


def _install_audit_hook() -> None:
    global _audit_installed
    if not _audit_installed:
        sys.addaudithook(_audit)
        _audit_installed = True


def _audit(event: str, args: tuple[Any, ...]) -> None:
    page = _current.page
    if page is None:
        return
    if event == "open":
        path, mode, flags = args
        writing = mode is not None and any(c in str(mode) for c in "wax+")
        if writing or (mode is None and isinstance(flags, int) and flags & _READ_FLAGS):
            return
        _note_path(page, "file", path)
    elif event == "sqlite3.connect":
        _note_path(page, "file", args[0])
    elif event in {"os.listdir", "os.scandir"}:
        _note_path(page, "dir", args[0] if args[0] is not None else ".")


def _note_path(page: PageInputs, kind: str, path: Any) -> None:
    if isinstance(path, int) or path is None:
        return
    try:
        text = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    if text.startswith(_state.ignored) or text == ":memory:":
        return
    page.facts.add((kind, text))
