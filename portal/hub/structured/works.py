"""Showcases as creative works: schema.org VisualArtwork data."""

from __future__ import annotations

from typing import Any

from portal.content import Showcase


def showcase_data(showcase: Showcase, page_url: str, image_url: str) -> dict[str, Any]:
    """Return schema.org data for ``showcase``, whose hub page is at ``page_url``."""
    creator: dict[str, Any] = {"@type": "Person", "name": showcase.maker}
    if showcase.maker_url:
        creator["url"] = showcase.maker_url
    data: dict[str, Any] = {
        "@type": "VisualArtwork",
        "@id": f"{page_url}#work",
        "name": showcase.title,
        "url": page_url,
        "creator": creator,
        "image": image_url,
    }
    if showcase.summary:
        data["description"] = showcase.summary
    if showcase.date:
        data["dateCreated"] = showcase.date.isoformat()
    if showcase.medium:
        data["artMedium"] = showcase.medium
    if showcase.tags:
        data["keywords"] = ", ".join(showcase.tags)
    return data
