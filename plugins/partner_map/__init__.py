"""A map of the partners, drawn from their latitude and longitude.

Switch it on with ``plugins = ["partner_map"]`` in ``content/site.toml``.
It adds ``/partners/map/`` (the map and a numbered list of the partners),
``/partners/map.svg`` (the map alone, to print or embed), a link to the
map on the partners page, and a ``partner_map()`` template global that
draws the map inside any template. Nothing is fetched from anywhere: the
map is the partners' dots, a scale bar and a north mark.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for
from jinja2 import Environment
from markupsafe import Markup

from portal.content import Partner, Site
from portal.hub.views import current_site
from portal.plugins import hookimpl

from .drawing import lay_out, placed, render_svg

blueprint = Blueprint("partner_map", __name__, template_folder="templates")

LINK_CLASS = "partner-map-link"


@hookimpl
def townsquare_routes() -> Blueprint:
    """Serve the map page and the map file."""
    return blueprint


@hookimpl
def townsquare_urls() -> list[tuple[str, dict[str, str]]]:
    """Freeze the map page and the map file."""
    return [("partner_map.page", {}), ("partner_map.svg", {})]


@hookimpl
def townsquare_jinja(env: Environment) -> None:
    """Let any template draw the map with ``{{ partner_map() }}``."""
    env.globals["partner_map"] = inline_map


@hookimpl
def townsquare_page_rendered(
    path: str, body: str, mimetype: str, site: Site
) -> str | None:
    """Link the partners page to the map, under its heading."""
    if (
        mimetype != "text/html"
        or path != url_for("hub.partners")
        or not placed(site.partners)
    ):
        return None
    if LINK_CLASS in body or "</h1>" not in body:
        return None
    link = (
        f'<p class="{LINK_CLASS}"><a href="{url_for("partner_map.page")}">'
        "See the partners on a map</a></p>"
    )
    return body.replace("</h1>", "</h1>\n" + link, 1)


@blueprint.route("/partners/map/")
def page() -> str:
    """Show the map with a numbered list of the partners on it."""
    site = current_site()
    layout = lay_out(site.partners)
    on_map = {m.partner.slug for m in layout.markers} if layout else set()
    return render_template(
        "partner_map/map.html",
        site=site,
        map_svg=inline_map(),
        markers=layout.markers if layout else (),
        unplaced=[p for p in site.partners if p.slug not in on_map],
    )


@blueprint.route("/partners/map.svg")
def svg() -> Response:
    """Answer with the map alone as an SVG file."""
    layout = lay_out(current_site().partners)
    if layout is None:
        text = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
    else:
        text = render_svg(layout, _link, standalone=True)
    return Response(text, mimetype="image/svg+xml")


def inline_map() -> Markup:
    """Return the map as SVG to place inside an HTML page; empty with no positions."""
    layout = lay_out(current_site().partners)
    if layout is None:
        return Markup("")
    return Markup(render_svg(layout, _link, standalone=False))


def _link(partner: Partner) -> str:
    return url_for("hub.partner", slug=partner.slug)
