"""Split a generation's searchable pages into shards, each indexed on its own.

Pagefind has no incremental mode: it reads every page each time. A large
hub is therefore indexed in shards of :data:`PAGES_PER_SHARD` pages or
fewer on average, each a Pagefind bundle of its own that the search page merges. A
page belongs to a shard by a hash of its path, so it stays in the same
shard from build to build, and a shard whose pages are all unchanged
keeps the bundle the live generation has.

A :class:`ShardPlan` is plain data: which pages each shard holds and a
key that changes whenever anything the shard's bundle is made from does.
The record of the previous plan is kept beside its generation.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Only pages with this attribute are indexed (see the templates); when no
# page has it, Pagefind indexes every page whole, and so does the plan.
MARKER = b"data-pagefind-body"
PAGES_PER_SHARD = 300
_FORMAT = 1


@dataclass(frozen=True)
class Page:
    """One HTML file of a generation, as the search index sees it."""

    inode: int
    digest: str
    # Whether the page carries the marker of indexed content.
    marked: bool


@dataclass
class ShardPlan:
    """Which pages each shard holds, and the key of each shard's bundle."""

    engine: str
    pages: dict[str, Page] = field(default_factory=dict)
    members: list[list[str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        """Write the plan as the record of its generation, atomically."""
        data = {
            "format": _FORMAT,
            "engine": self.engine,
            "pages": {
                p: [page.inode, page.digest, page.marked]
                for p, page in self.pages.items()
            },
            "keys": self.keys,
        }
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


def load_plan(path: Path, engine: str) -> ShardPlan | None:
    """Return the plan recorded at ``path``, or None if it cannot be trusted."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != _FORMAT or data.get("engine") != engine:
        return None
    pages = {p: Page(*entry) for p, entry in data["pages"].items()}
    return ShardPlan(engine, pages, keys=list(data["keys"]))


def plan_shards(
    folder: Path,
    pages: dict[str, int],
    engine: str,
    previous: ShardPlan | None,
    *,
    per_shard: int | None = None,
) -> ShardPlan:
    """Return the shards of the HTML ``pages`` of ``folder`` (path to inode).

    A page whose inode is the one the previous plan saw is the same file
    (published files are never written again), so it is not read again.
    """
    plan = ShardPlan(engine)
    known = previous.pages if previous is not None else {}
    for path, inode in sorted(pages.items()):
        seen = known.get(path)
        if seen is not None and seen.inode == inode:
            plan.pages[path] = seen
        else:
            data = (folder / path).read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            plan.pages[path] = Page(inode, digest, MARKER in data)

    indexed = [path for path, page in plan.pages.items() if page.marked]
    whole = not indexed
    if whole:
        indexed = list(plan.pages)
    count = shard_count(len(indexed), per_shard or PAGES_PER_SHARD)
    while True:
        plan.members = [[] for _ in range(count)]
        for path in indexed:
            plan.members[_shard_of(path, count)].append(path)
        # Pagefind cannot index nothing; a shard left empty by chance
        # (only ever in a tiny hub) halves the count instead.
        if count == 1 or all(plan.members):
            break
        count //= 2
    plan.keys = [_key(plan, members, count, whole) for members in plan.members]
    return plan


def shard_count(pages: int, per_shard: int) -> int:
    """Return how many shards ``pages`` indexed pages are split into.

    Always a power of two, so that the count, and with it every page's
    shard, changes only when the hub doubles or halves in size.
    """
    if pages <= per_shard:
        return 1
    return int(2 ** math.ceil(math.log2(pages / per_shard)))


def _shard_of(path: str, count: int) -> int:
    number = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(number, "big") % count


def _key(plan: ShardPlan, members: list[str], count: int, whole: bool) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{plan.engine};{count};{whole}\n".encode())
    for path in members:
        digest.update(f"{path}\0{plan.pages[path].digest}\n".encode())
    return digest.hexdigest()


__all__ = ["MARKER", "PAGES_PER_SHARD", "Page", "ShardPlan", "load_plan", "plan_shards"]
