"""A sitemap of every page of the hub, at ``/sitemap.xml``.

It follows the sitemaps.org protocol 0.9: one ``<url>`` with an absolute
``<loc>`` per HTML page the build writes, taken from the same list of
addresses the build freezes, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, url_for

from portal.content import Site
from portal.hub import hub_urls
from portal.hub.urls import Endpoint
from portal.hub.views import current_site
from portal.plugins.builtin.links import absolute_url
from portal.plugins.extension import plugin_urls
from portal.plugins.manager import hookimpl

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"

# Static hosts serve this page for unknown addresses; it is no page of its own.
NOT_PAGES = frozenset({"hub.not_found"})

blueprint = Blueprint("sitemap", __name__)


@hookimpl
def townsquare_routes() -> Blueprint:
    """Serve the sitemap."""
    return blueprint


@hookimpl
def townsquare_urls() -> list[Endpoint]:
    """Freeze the sitemap."""
    return [("sitemap.sitemap", {})]


@blueprint.route("/sitemap.xml")
def sitemap() -> Response:
    """Answer with the sitemap of every HTML page."""
    site = current_site()
    endpoints = [*hub_urls(site), *plugin_urls(current_app, site)]
    return Response(render_sitemap(site, endpoints), mimetype="application/xml")


def render_sitemap(site: Site, endpoints: Iterable[Endpoint]) -> str:
    """Return the sitemap document listing the HTML pages among ``endpoints``."""
    # TODO: split into a sitemap index once a hub passes 50,000 pages,
    # the protocol's limit for one file.
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    for address in page_addresses(site, endpoints):
        lines.append(f"  <url><loc>{escape(address)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def page_addresses(site: Site, endpoints: Iterable[Endpoint]) -> Iterator[str]:
    """Yield the absolute address of each HTML page among ``endpoints``, once each."""
    seen: set[str] = set()
    for endpoint, values in endpoints:
        if endpoint in NOT_PAGES or not _is_page(url_for(endpoint, **values)):
            continue
        address = absolute_url(site.settings.base_url, endpoint, **values)
        if address not in seen:
            seen.add(address)
            yield address


def _is_page(path: str) -> bool:
    # Frozen-Flask writes an address ending in a slash as its index.html.
    return path.endswith(("/", ".html"))
