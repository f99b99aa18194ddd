"""The whole content of a hub, validated, as one immutable value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from portal.content.records import Event, Page, Partner, Record, Showcase
from portal.content.recurrence import Occurrence
from portal.content.settings import Settings
from portal.content.slugs import slugify
from portal.errors import Problem


@dataclass(frozen=True)
class Tag:
    """A tag and the published records that carry it."""

    slug: str
    name: str
    records: tuple[Record, ...]


@dataclass(frozen=True)
class Site:
    """Settings and every published record of one hub."""

    settings: Settings
    content_dir: Path
    now: dt.datetime
    pages: tuple[Page, ...] = ()
    events: tuple[Event, ...] = ()
    showcases: tuple[Showcase, ...] = ()
    partners: tuple[Partner, ...] = ()
    # Records of kinds that plugins add; the hub's own pages, tags and
    # listings leave them out, since only their plugin knows their pages.
    extra: tuple[Record, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def media_dir(self) -> Path:
        """Return the folder holding images and other files of the content."""
        return self.content_dir / "media"

    def of_kind(self, kind: str) -> tuple[Record, ...]:
        """Return the published records of a kind a plugin adds, by slug."""
        return tuple(record for record in self.extra if record.kind == kind)

    def records(self) -> Iterator[Record]:
        """Yield every published record of every built-in kind."""
        yield from self.pages
        yield from self.events
        yield from self.showcases
        yield from self.partners

    @cached_property
    def partners_by_slug(self) -> dict[str, Partner]:
        """Return the published partners keyed by slug."""
        return {partner.slug: partner for partner in self.partners}

    @cached_property
    def index(self) -> dict[str, dict[str, Record]]:
        """Return published records keyed by kind, then by slug."""
        found: dict[str, dict[str, Record]] = {}
        for record in self.records():
            found.setdefault(record.kind, {})[record.slug] = record
        return found

    @cached_property
    def partner_links(
        self,
    ) -> dict[str, tuple[tuple[Event, ...], tuple[Showcase, ...]]]:
        """Return, for each partner slug, the events and showcases naming it."""
        events: dict[str, list[Event]] = {}
        showcases: dict[str, list[Showcase]] = {}
        for event in self.upcoming_events:
            for slug in dict.fromkeys(filter(None, (event.venue, *event.partners))):
                events.setdefault(slug, []).append(event)
        for showcase in self.showcases:
            for slug in showcase.partners:
                showcases.setdefault(slug, []).append(showcase)
        return {
            partner.slug: (
                tuple(events.get(partner.slug, ())),
                tuple(showcases.get(partner.slug, ())),
            )
            for partner in self.partners
        }

    @cached_property
    def next_occurrences(self) -> dict[str, Occurrence]:
        """Return, for each event with a date not yet over, that next date by slug."""
        found = {}
        for event in self.events:
            coming = event.occurrences(after=self.now, limit=1)
            if coming:
                found[event.slug] = coming[0]
        return found

    @cached_property
    def upcoming_events(self) -> tuple[Event, ...]:
        """Return events with a date not yet over at build time, soonest first.

        A series is listed once, at its next date.
        """
        upcoming = (e for e in self.events if e.slug in self.next_occurrences)
        return tuple(
            sorted(
                upcoming, key=lambda e: (self.next_occurrences[e.slug].start, e.slug)
            )
        )

    @cached_property
    def past_events(self) -> tuple[Event, ...]:
        """Return events whose every date is over at build time, most recent first."""
        past = (e for e in self.events if e.slug not in self.next_occurrences)
        return tuple(
            sorted(
                past,
                key=lambda e: (self.listed_occurrence(e).start, e.slug),
                reverse=True,
            )
        )

    def listed_occurrence(self, event: Event) -> Occurrence:
        """Return the date a listing shows: the next one, or the last of a past event."""
        return (
            self.next_occurrences.get(event.slug)
            or event.last_occurrence()
            or Occurrence(event.start, event.end)
        )

    @cached_property
    def categories(self) -> dict[str, tuple[Partner, ...]]:
        """Return partners grouped by category, categories and names sorted."""
        groups: dict[str, list[Partner]] = {}
        for partner in self.partners:
            groups.setdefault(partner.category, []).append(partner)
        return {
            name: tuple(sorted(groups[name], key=lambda p: p.name.casefold()))
            for name in sorted(groups, key=str.casefold)
        }

    @cached_property
    def tags(self) -> dict[str, Tag]:
        """Return every tag in use keyed by its slug, in alphabetical order."""
        names: dict[str, str] = {}
        members: dict[str, list[Record]] = {}
        for record in self.records():
            for name in record.tags:
                slug = slugify(name)
                if not slug:
                    continue
                names.setdefault(slug, name)
                members.setdefault(slug, []).append(record)
        return {
            slug: Tag(slug, names[slug], tuple(members[slug])) for slug in sorted(names)
        }

    @cached_property
    def menu(self) -> tuple[Page, ...]:
        """Return the pages shown in the site menu, in their order."""
        listed = [page for page in self.pages if page.menu is not None]
        return tuple(sorted(listed, key=lambda page: (page.menu, page.slug)))
