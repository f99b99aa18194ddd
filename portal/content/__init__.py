"""Read and validate the owner's content folder into typed records.

Nothing here knows about Flask, SQLite or the web: files go in, a
:class:`Site` of records (or a list of problems) comes out.
"""

from __future__ import annotations

from portal.content.fields import Spec, specs_of
from portal.content.loader import load_site, read_record
from portal.content.records import KINDS, Event, Page, Partner, Record, Showcase
from portal.content.settings import Settings, read_settings
from portal.content.site import Site, Tag
from portal.content.slugs import slugify

__all__ = [
    "KINDS",
    "Event",
    "Page",
    "Partner",
    "Record",
    "Settings",
    "Showcase",
    "Site",
    "Spec",
    "Tag",
    "load_site",
    "read_record",
    "read_settings",
    "slugify",
    "specs_of",
]
