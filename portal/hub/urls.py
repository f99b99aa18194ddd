"""The list of every URL of the hub, for freezing and link checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portal.content import Site, slugify
from portal.images import find_picture, image_cache_dir, used_pictures

Endpoint = tuple[str, dict[str, Any]]


def hub_urls(site: Site) -> Iterator[Endpoint]:
    """Yield ``(endpoint, values)`` for every page and file the hub publishes."""
    yield "hub.home", {}
    yield "hub.events", {}
    yield "hub.showcases", {}
    yield "hub.partners", {}
    yield "hub.tags", {}
    yield "hub.not_found", {}
    yield "hub.search", {}
    yield "hub.robots", {}
    for page in site.pages:
        yield "hub.page", {"slug": page.slug}
    yield "hub.calendar", {}
    for event in site.events:
        yield "hub.event", {"slug": event.slug}
        yield "hub.event_calendar_file", {"slug": event.slug}
    for showcase in site.showcases:
        yield "hub.showcase", {"slug": showcase.slug}
    for partner in site.partners:
        yield "hub.partner", {"slug": partner.slug}
        yield "hub.partner_vcard_file", {"slug": partner.slug}
    for category in dict.fromkeys(slugify(name) for name in site.categories):
        if category:
            yield "hub.partner_category", {"slug": category}
    for tag in site.tags:
        yield "hub.tag", {"slug": tag}
    pictures = used_pictures(site)
    for filename in pictures:
        yield "hub.media", {"filename": filename}
    cache_dir = image_cache_dir(site.content_dir)
    for filename in pictures:
        picture = find_picture(site.media_dir, cache_dir, filename)
        for variant in picture.variants if picture else ():
            yield "hub.picture_variant", {"name": variant.name}
