"""Render only what changed since the live generation; take the rest from it.

A page of the previous generation is reused when nothing it was made
from has changed: every fact in its manifest entry still has the same
digest on the new site, and nothing every page depends on (code,
packages, plugins, theme folder, settings, pictures) has changed. Its
file is hard-linked into the new generation (see
:mod:`portal.build.reuse`). Every other URL, and
every new one, is rendered; URLs that are gone are simply not carried.

Whenever the previous generation cannot be trusted as a whole, the
build renders everything and says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from portal.build.facts import Evaluator, digest_of
from portal.build.freeze import FrozenPage, freeze, page_urls
from portal.build.generations import Generations
from portal.build.manifest import (
    Manifest,
    PageEntry,
    engine_digest,
    load_manifest,
    media_digests,
)
from portal.build.reuse import fill_folder
from portal.content import Site
from portal.hub.urls import Endpoint
from portal.plugins import plugins_of

log = logging.getLogger(__name__)


@dataclass
class Plan:
    """Which URLs a build renders and which it takes from the previous generation."""

    render: list[str]
    evaluator: Evaluator
    reuse: dict[str, PageEntry] = field(default_factory=dict)
    # Why every page is rendered, or None when the build is incremental.
    reason: str | None = None


@dataclass(frozen=True)
class FreezeOutcome:
    """How many files a build rendered and reused, and why it rendered all if it did."""

    rendered: int
    reused: int
    reason: str | None


def freeze_incrementally(
    app: Flask,
    site: Site,
    endpoints: Iterable[Endpoint],
    generations: Generations,
    folder: Path,
    *,
    clean: bool = False,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    keep: tuple[str, ...] = (),
) -> FreezeOutcome:
    """Fill ``folder`` with every page of ``endpoints``, rendering only what changed.

    With ``clean`` the previous generation is ignored. Files of ``folder``
    whose paths start with one of ``keep`` (what a later step of the build
    makes, such as the search index) are left for that step. The manifest
    is written beside ``folder``.
    """
    urls = page_urls(app, list(endpoints))
    previous_folder = generations.current()
    previous = None
    if not clean and previous_folder is not None:
        previous = load_manifest(generations.manifest_path(previous_folder))

    evaluator = Evaluator(site, app.jinja_env)
    current = _describe(app, site, previous)
    plan = plan_build(previous, current, urls, evaluator, clean=clean)
    if plan.reason:
        log.info("rendering every page: %s", plan.reason)
    _carry(previous_folder, folder, plan, keep)

    if on_start is not None:
        on_start(len(plan.render))
    frozen = freeze(
        app,
        site,
        plan.render,
        folder,
        workers=workers,
        progress=progress,
        ignore=(generations.root.resolve(),),
    )
    manifest = record_pages(
        current, previous if plan.reason is None else None, plan, frozen
    )
    manifest.records = {key: evaluator.record_digest(key) for key in evaluator.records}
    manifest.save(generations.manifest_path(folder))
    log.info("rendered %d files, reused %d", len(frozen), len(plan.reuse))
    log.debug("rendered %s", ", ".join(page.url for page in frozen))
    return FreezeOutcome(len(frozen), len(plan.reuse), plan.reason)


def plan_build(
    previous: Manifest | None,
    current: Manifest,
    urls: list[str],
    evaluator: Evaluator,
    *,
    clean: bool = False,
) -> Plan:
    """Decide which of ``urls`` must be rendered and which can be reused."""
    reason = _reason_for_everything(previous, current, clean)
    if reason is not None or previous is None:
        return Plan(list(urls), evaluator, reason=reason)

    changed = _changed_facts(previous, evaluator)
    plan = Plan([], evaluator)
    for url in urls:
        entry = previous.pages.get(url)
        if entry is None or entry.always or not changed.isdisjoint(entry.facts):
            plan.render.append(url)
        else:
            plan.reuse[url] = entry
    return plan


def record_pages(
    current: Manifest, previous: Manifest | None, plan: Plan, frozen: list[FrozenPage]
) -> Manifest:
    """Return the manifest of the new generation: reused entries, then rendered ones.

    The table of facts is the previous one, with its digests brought up
    to date by :func:`plan_build`, and the new facts added; it is
    compacted once most of it is no longer referred to.
    """
    if previous is not None:
        current.facts, current.digests = previous.facts, previous.digests
    current.pages = dict(plan.reuse)
    evaluator = plan.evaluator
    for page in frozen:
        numbers = [
            current.position(fact, evaluator.digest(fact)) for fact in page.facts
        ]
        current.pages[page.url] = PageEntry(page.path, numbers, page.always)
    used = {n for entry in current.pages.values() for n in entry.facts}
    if len(used) * 2 < len(current.facts):
        return current.compacted()
    return current


def _changed_facts(previous: Manifest, evaluator: Evaluator) -> set[int]:
    """Return the positions of the facts whose digest differs now, and update the digests.

    The fields of a record whose whole digest is unchanged are not
    looked at one by one: most records of a big hub are untouched.
    """
    settled = {
        key
        for key, old in previous.records.items()
        if evaluator.record_digest(key) == old
    }
    changed = set()
    for number, (fact, old) in enumerate(
        zip(previous.facts, previous.digests, strict=True)
    ):
        if fact[0] == "field" and (fact[1], fact[2]) in settled:
            evaluator.trust(fact, old)
            continue
        new = evaluator.digest(fact)
        if new != old:
            changed.add(number)
            previous.digests[number] = new
    return changed


def _carry(
    previous_folder: Path | None, folder: Path, plan: Plan, keep: tuple[str, ...]
) -> None:
    """Put the reused files into ``folder``; render those the previous one lacks."""
    wanted = {entry.path: url for url, entry in plan.reuse.items()}
    for path in fill_folder(previous_folder, folder, wanted, keep=keep):
        url = wanted[path]
        plan.render.append(url)
        del plan.reuse[url]


def _describe(app: Flask, site: Site, previous: Manifest | None) -> Manifest:
    theme = Path(app.root_path, app.template_folder or ".").parent
    plugins = plugins_of(app).manager.list_name_plugin()
    return Manifest(
        engine=engine_digest(theme, plugins),
        settings=digest_of(site.settings),
        media=media_digests(site.media_dir, previous.media if previous else {}),
    )


def _reason_for_everything(
    previous: Manifest | None, current: Manifest, clean: bool
) -> str | None:
    if clean:
        return "a clean build was asked for"
    if previous is None:
        return "there is no earlier build to reuse"
    if previous.engine != current.engine:
        return "Townsquare, its packages, its plugins or the theme folder changed"
    if previous.settings != current.settings:
        return "the settings in site.toml changed"
    # Pictures are read through caches (sizes, variants) that no page
    # notes; a picture that changed in place could change any page.
    for name, (_, _, digest) in previous.media.items():
        now = current.media.get(name)
        if now is not None and now[2] != digest:
            return f"the picture content/media/{name} changed"
    return None
