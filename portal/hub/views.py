"""The hub's routes: home, events, showcases, partners, tags and pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.content import Site

blueprint = Blueprint("hub", __name__)

HOME_EVENTS = 3
HOME_SHOWCASES = 3


def current_site() -> Site:
    """Return the site the running application serves."""
    site: Site = current_app.extensions["townsquare.site"]
    return site


def _render(template: str, **context: Any) -> str:
    return render_template(template, site=current_site(), **context)


@blueprint.route("/")
def home() -> str:
    """Show what is coming up, the newest work and featured partners."""
    site = current_site()
    showcases = sorted(
        site.showcases, key=lambda s: (s.date is not None, s.date, s.slug), reverse=True
    )
    featured = [partner for partner in site.partners if partner.featured]
    return _render(
        "home.html",
        events=site.upcoming_events[:HOME_EVENTS],
        showcases=showcases[:HOME_SHOWCASES],
        partners=featured,
    )


@blueprint.route("/events/")
def events() -> str:
    """List upcoming events, then past ones."""
    site = current_site()
    return _render("events.html", upcoming=site.upcoming_events, past=site.past_events)


@blueprint.route("/events/<slug>/")
def event(slug: str) -> str:
    """Show one event."""
    site = current_site()
    found = _find(site, "event", slug)
    venue = site.partners_by_slug.get(found.venue) if found.venue else None
    return _render(
        "event.html",
        record=found,
        event=found,
        venue=venue,
        partners=_partners(site, found.partners),
    )


@blueprint.route("/showcases/")
def showcases() -> str:
    """Show the gallery of makers' work."""
    site = current_site()
    ordered = sorted(
        site.showcases, key=lambda s: (s.date is not None, s.date, s.slug), reverse=True
    )
    return _render("showcases.html", showcases=ordered)


@blueprint.route("/showcases/<slug>/")
def showcase(slug: str) -> str:
    """Show one piece of work."""
    site = current_site()
    found = _find(site, "showcase", slug)
    return _render(
        "showcase.html", record=found, showcase=found, partners=_partners(site, found.partners)
    )


@blueprint.route("/partners/")
def partners() -> str:
    """List partners grouped by category."""
    return _render("partners.html", categories=current_site().categories)


@blueprint.route("/partners/<slug>/")
def partner(slug: str) -> str:
    """Show one partner, with the events it hosts or supports."""
    site = current_site()
    found = _find(site, "partner", slug)
    hosted, shown = site.partner_links[slug]
    return _render("partner.html", record=found, partner=found, events=hosted, showcases=shown)


@blueprint.route("/tags/")
def tags() -> str:
    """List every tag in use."""
    return _render("tags.html", tags=current_site().tags.values())


@blueprint.route("/tags/<slug>/")
def tag(slug: str) -> str:
    """List everything carrying one tag."""
    found = current_site().tags.get(slug)
    if found is None:
        abort(404)
    return _render("tag.html", tag=found)


@blueprint.route("/media/<path:filename>")
def media(filename: str) -> Response:
    """Send a file from the content's media folder."""
    return send_from_directory(current_site().media_dir, filename)


@blueprint.route("/404.html")
def not_found() -> str:
    """Render the not-found page as a file that static hosts serve on 404."""
    return _render("404.html")


@blueprint.route("/<slug>/")
def page(slug: str) -> str:
    """Show one of the owner's pages."""
    found = _find(current_site(), "page", slug)
    return _render("page.html", record=found, page=found)


def render_not_found(error: HTTPException) -> tuple[str, int]:
    """Answer an unknown address with the hub's own 404 page."""
    return _render("404.html"), 404


def _find(site: Site, kind: str, slug: str) -> Any:
    record = site.index.get(kind, {}).get(slug)
    if record is None:
        abort(404)
    return record


def _partners(site: Site, slugs: tuple[str, ...]) -> list[Any]:
    return [site.partners_by_slug[slug] for slug in slugs if slug in site.partners_by_slug]
