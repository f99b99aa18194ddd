"""Jinja filters and globals the hub's templates use."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from babel.dates import format_date, format_time
from flask import Flask, request, url_for

from portal.content import Event, Site, slugify
from portal.hub.structured.places import describe_hours
from portal.images import find_picture, image_cache_dir

_SVG_SIZE = re.compile(
    rb'<svg[^>]*?\bwidth="(\d+)(?:px)?"[^>]*?\bheight="(\d+)(?:px)?"', re.S
)
_SVG_VIEWBOX = re.compile(rb'viewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"')


def register_filters(app: Flask, site: Site) -> None:
    """Add the hub's filters and globals to ``app``'s Jinja environment."""
    locale = site.settings.locale
    env = app.jinja_env
    env.filters["day"] = functools.partial(_day, locale=locale)
    env.filters["clock"] = functools.partial(_clock, locale=locale)
    env.filters["slugify"] = slugify
    env.filters["when"] = functools.partial(_when, locale=locale)
    env.globals["image_size"] = functools.partial(_image_size, site.media_dir)
    env.globals["picture_of"] = functools.partial(
        find_picture, site.media_dir, image_cache_dir(site.content_dir)
    )
    env.filters["hours"] = describe_hours
    env.globals["absolute_url"] = functools.partial(
        _absolute_url, site.settings.base_url
    )
    env.globals["join_url"] = _join_url(site)


def _day(value: dt.date, locale: str) -> str:
    return format_date(value, "full", locale=locale)


def _clock(value: dt.datetime, locale: str) -> str:
    return format_time(value, "short", locale=locale)


def _when(event: Event, locale: str) -> str:
    """Describe when an event happens, in the site's language."""
    start = event.start
    text = f"{_day(start.date(), locale)}, {_clock(start, locale)}"
    if event.end is None:
        return text
    if event.end.date() == start.date():
        return f"{text} – {_clock(event.end, locale)}"
    return f"{text} – {_day(event.end.date(), locale)}, {_clock(event.end, locale)}"


@functools.lru_cache(maxsize=4096)
def _image_size(media_dir: Path, filename: str) -> tuple[int, int] | None:
    """Return an image's width and height, or None when unknown."""
    path = media_dir / filename
    if path.suffix.lower() == ".svg":
        head = path.read_bytes()[:2048]
        match = _SVG_SIZE.search(head) or _SVG_VIEWBOX.search(head)
        if match:
            return round(float(match.group(1))), round(float(match.group(2)))
        return None
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def _absolute_url(base_url: str, endpoint: str, **values: Any) -> str:
    """Return the canonical address of a hub page, from the site's base URL."""
    path = url_for(endpoint, **values)
    script_root = request.script_root if request else ""
    return urljoin(base_url, path[len(script_root) :].lstrip("/"))


def page_url(site: Site, endpoint: str, **values: Any) -> str:
    """Return the canonical address of a hub page of ``site``."""
    return _absolute_url(site.settings.base_url, endpoint, **values)


def picture_url(site: Site, filename: str) -> str:
    """Return the canonical address of a picture: its widest variant, or the file."""
    found = find_picture(site.media_dir, image_cache_dir(site.content_dir), filename)
    if found is None:
        return page_url(site, "hub.media", filename=filename)
    return page_url(site, "hub.picture_variant", name=found.largest.name)


def _join_url(site: Site) -> str | None:
    portal = site.settings.portal_url
    return urljoin(portal, "join") if portal else None
