"""The hub's routes: home, events, showcases, partners, tags and pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.content import Site, slugify
from portal.hub.calendar import MEDIA_TYPE as CALENDAR_TYPE
from portal.hub.calendar import event_calendar, site_calendar, webcal_url
from portal.hub.filters import page_url, picture_url
from portal.hub.structured import to_script
from portal.hub.structured.events import EventLinks, event_data
from portal.hub.structured.places import partner_data
from portal.hub.structured.works import showcase_data
from portal.hub.vcard import MEDIA_TYPE as VCARD_TYPE
from portal.hub.vcard import partner_vcard
from portal.images import cached_file, image_cache_dir

blueprint = Blueprint("hub", __name__)

HOME_EVENTS = 3
HOME_SHOWCASES = 3
OCCURRENCES_SHOWN = 12


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
    """List upcoming events, then past ones, with the calendar to subscribe to."""
    site = current_site()
    calendar_url = page_url(site, "hub.calendar")
    return _render(
        "events.html",
        upcoming=site.upcoming_events,
        past=site.past_events,
        calendar_url=calendar_url,
        webcal_url=webcal_url(calendar_url),
    )


@blueprint.route("/events/<slug>/")
def event(slug: str) -> str:
    """Show one event: its coming dates, how to take part and how to RSVP."""
    site = current_site()
    found = _find(site, "event", slug)
    venue = site.partners_by_slug.get(found.venue) if found.venue else None
    coming = found.occurrences(after=site.now, limit=OCCURRENCES_SHOWN)
    # No RSVP for a cancelled event or one whose every date is over.
    bookable = found.status != "cancelled" and bool(coming)
    portal = site.settings.portal_url
    links = EventLinks(
        page=page_url(site, "hub.event", slug=slug),
        rsvp=urljoin(portal, f"events/{slug}/rsvp") if portal and bookable else None,
        image=picture_url(site, found.image) if found.image else None,
        venue=page_url(site, "hub.partner", slug=venue.slug) if venue else None,
    )
    return _render(
        "event.html",
        record=found,
        event=found,
        venue=venue,
        partners=_partners(site, found.partners),
        occurrences=coming,
        bookable=bookable,
        rsvp_url=links.rsvp,
        structured=to_script(event_data(site, found, coming, links, bookable=bookable)),
    )


@blueprint.route("/events/<slug>.ics")
def event_calendar_file(slug: str) -> Response:
    """Send one event, or one series with its rule, as an iCalendar file."""
    site = current_site()
    found = _find(site, "event", slug)
    data = event_calendar(site, found, page_url(site, "hub.event", slug=slug))
    return Response(data, content_type=CALENDAR_TYPE)


@blueprint.route("/calendar.ics")
def calendar() -> Response:
    """Send every upcoming event as one calendar that apps can subscribe to."""
    site = current_site()
    data = site_calendar(
        site,
        lambda event: page_url(site, "hub.event", slug=event.slug),
        events_url=page_url(site, "hub.events"),
        source_url=page_url(site, "hub.calendar"),
    )
    return Response(data, content_type=CALENDAR_TYPE)


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
    work = showcase_data(
        found, page_url(site, "hub.showcase", slug=slug), picture_url(site, found.image)
    )
    return _render(
        "showcase.html",
        record=found,
        showcase=found,
        partners=_partners(site, found.partners),
        structured=to_script(work),
    )


@blueprint.route("/partners/")
def partners() -> str:
    """List partners grouped by category."""
    return _render("partners.html", categories=current_site().categories)


@blueprint.route("/partners/category/<slug>/")
def partner_category(slug: str) -> str:
    """List the partners of one category."""
    site = current_site()
    groups = [
        (name, group)
        for name, group in site.categories.items()
        if slugify(name) == slug
    ]
    if not groups:
        abort(404)
    members = sorted(
        (p for _, group in groups for p in group), key=lambda p: p.name.casefold()
    )
    return _render(
        "partner_category.html",
        name=groups[0][0],
        slug=slug,
        partners=members,
        categories=site.categories,
    )


@blueprint.route("/partners/<slug>/")
def partner(slug: str) -> str:
    """Show one partner, with the events it hosts or supports."""
    site = current_site()
    found = _find(site, "partner", slug)
    hosted, shown = site.partner_links[slug]
    logo = picture_url(site, found.logo) if found.logo else None
    place = partner_data(found, page_url(site, "hub.partner", slug=slug), logo)
    return _render(
        "partner.html",
        record=found,
        partner=found,
        events=hosted,
        showcases=shown,
        structured=to_script(place),
    )


@blueprint.route("/partners/<slug>.vcf")
def partner_vcard_file(slug: str) -> Response:
    """Send one partner's contact card, for a visitor's address book."""
    site = current_site()
    found = _find(site, "partner", slug)
    card = partner_vcard(
        found,
        page_url(site, "hub.partner", slug=slug),
        logo_url=picture_url(site, found.logo) if found.logo else None,
        source_url=page_url(site, "hub.partner_vcard_file", slug=slug),
    )
    return Response(card, content_type=VCARD_TYPE)


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
    # Flask reads a relative folder from the package, not the working folder.
    return send_from_directory(current_site().media_dir.resolve(), filename)


@blueprint.route("/images/<name>")
def picture_variant(name: str) -> Response:
    """Send one resized variant of a picture, prepared by the build."""
    cached = cached_file(name)
    if cached is None:
        abort(404)
    return send_from_directory(image_cache_dir(current_site().content_dir), cached)


@blueprint.route("/404.html")
def not_found() -> str:
    """Render the not-found page as a file that static hosts serve on 404."""
    return _render("404.html")


@blueprint.route("/search/")
def search() -> str:
    """Show the search page; a small script runs the query in the browser."""
    return _render("search.html")


@blueprint.route("/robots.txt")
def robots() -> Response:
    """Let every crawler in and tell it where the sitemap is."""
    sitemap = urljoin(current_site().settings.base_url, "sitemap.xml")
    text = f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"
    return Response(text, mimetype="text/plain")


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
    return [
        site.partners_by_slug[slug] for slug in slugs if slug in site.partners_by_slug
    ]
