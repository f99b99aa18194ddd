"""An Atom feed of the hub's events and showcases, at ``/feed.xml``.

The feed follows RFC 4287. Every date in it comes from the content, never
from the clock, so two builds of the same content write the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date, format_time
from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, url_for
from jinja2 import Environment

from portal.content import Event, Showcase, Site, slugify
from portal.hub.urls import Endpoint
from portal.hub.views import current_site
from portal.plugins.builtin.links import absolute_links, absolute_url
from portal.plugins.manager import hookimpl

FEED_PATH = "/feed.xml"
FEED_SIZE = 50
ATOM = "application/atom+xml"

# RFC 4287 §4.1.1 needs an updated date even for a feed with no entries.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

blueprint = Blueprint("feeds", __name__)


@dataclass(frozen=True)
class Entry:
    """One entry of the feed, already in the words and dates it will carry."""

    endpoint: str
    slug: str
    title: str
    updated: dt.datetime
    summary: str
    html: str
    author: str | None
    tags: tuple[str, ...]


@hookimpl
def townsquare_routes() -> Blueprint:
    """Serve the feed."""
    return blueprint


@hookimpl
def townsquare_urls() -> list[Endpoint]:
    """Freeze the feed."""
    return [("feeds.atom", {})]


@hookimpl
def townsquare_jinja(env: Environment) -> None:
    """Give templates ``feed_url()`` for the ``<link rel="alternate">`` of every page."""
    env.globals["feed_url"] = lambda: url_for("feeds.atom")


@blueprint.route(FEED_PATH)
def atom() -> Response:
    """Answer with the Atom feed of events and showcases."""
    return Response(render_feed(current_site()), mimetype=ATOM)


def render_feed(site: Site) -> bytes:
    """Return the Atom document of ``site``'s newest events and showcases."""
    base_url = site.settings.base_url
    entries = feed_entries(site)
    feed = FeedGenerator()
    feed.id(base_url)
    feed.title(site.settings.name)
    if site.settings.tagline:
        feed.subtitle(site.settings.tagline)
    feed.link(href=absolute_url(base_url, "feeds.atom"), rel="self", type=ATOM)
    feed.link(href=base_url, rel="alternate", type="text/html")
    author = {"name": site.settings.name}
    if site.settings.contact:
        author["email"] = site.settings.contact
    feed.author(author)
    feed.language(site.settings.locale.split("_")[0])
    feed.generator("Townsquare")
    feed.updated(max((entry.updated for entry in entries), default=EPOCH))

    for entry in entries:
        url = absolute_url(base_url, entry.endpoint, slug=entry.slug)
        item = feed.add_entry(order="append")
        # The page's address is the entry's permanent id (RFC 4287 §4.2.6):
        # it stays the same from build to build while the file keeps its name.
        item.id(url)
        item.title(entry.title)
        item.link(href=url, rel="alternate", type="text/html")
        item.updated(entry.updated)
        item.summary(entry.summary)
        if entry.html:
            item.content(absolute_links(entry.html, base_url), type="html")
        if entry.author:
            item.author({"name": entry.author})
        for tag in entry.tags:
            item.category(term=slugify(tag) or tag, label=tag)
    data: bytes = feed.atom_str(pretty=True)
    return data


def feed_entries(site: Site) -> list[Entry]:
    """Return the feed's entries, most recently updated first, at most :data:`FEED_SIZE`.

    Only the dates of every record are read to choose the entries; the
    rest only of those chosen, so an edit to an older record leaves the
    feed as it is (and an incremental build does not render it again).
    """
    timezone = site.settings.timezone
    dated: list[tuple[dt.datetime, str, str, Event | Showcase]] = [
        (event.publish_at or event.start, "hub.event", event.slug, event)
        for event in site.events
    ]
    dated += [
        (_showcase_date(showcase, timezone), "hub.showcase", showcase.slug, showcase)
        for showcase in site.showcases
    ]
    # An entry the content gives no date takes the newest date it does
    # give, which changes only when the content does.
    newest = max((d[0] for d in dated if d[0] != EPOCH), default=EPOCH)
    dated = [(newest, *d[1:]) if d[0] == EPOCH else d for d in dated]
    dated.sort(key=lambda d: d[:3], reverse=True)
    return [
        _event_entry(site, record, updated)
        if isinstance(record, Event)
        else _showcase_entry(record, updated)
        for updated, _, _, record in dated[:FEED_SIZE]
    ]


def _event_entry(site: Site, event: Event, updated: dt.datetime) -> Entry:
    locale = site.settings.locale
    when = f"{format_date(event.start, 'full', locale=locale)}, "
    when += format_time(event.start, "short", locale=locale)
    place = _place(site, event)
    summary = f"{when}, {place}." if place else f"{when}."
    if event.summary:
        summary += f" {event.summary}"
    title = event.title
    if event.status != "scheduled":
        title = f"{event.status.replace('-', ' ').capitalize()}: {title}"
    # An event's news is the event itself, so its date is its start,
    # unless the owner scheduled when it is announced.
    return Entry(
        "hub.event", event.slug, title, updated, summary, event.html, None, event.tags
    )


def _showcase_date(showcase: Showcase, timezone: dt.tzinfo) -> dt.datetime:
    if showcase.publish_at is not None:
        return showcase.publish_at
    if showcase.date is not None:
        return dt.datetime.combine(showcase.date, dt.time(), tzinfo=timezone)
    return EPOCH


def _showcase_entry(showcase: Showcase, updated: dt.datetime) -> Entry:
    return Entry(
        "hub.showcase",
        showcase.slug,
        showcase.title,
        updated,
        showcase.summary or f"{showcase.title}, by {showcase.maker}.",
        showcase.html,
        showcase.maker,
        showcase.tags,
    )


def _place(site: Site, event: Event) -> str:
    if event.mode == "online":
        return "online"
    venue = site.partners_by_slug.get(event.venue) if event.venue else None
    where = venue.name if venue else event.location
    if where and event.mode == "mixed":
        return f"at {where} and online"
    return f"at {where}" if where else ""
