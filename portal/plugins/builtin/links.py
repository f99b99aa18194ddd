"""Absolute addresses of hub pages, for documents read away from the site."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from flask import has_request_context, request, url_for

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_url(base_url: str, endpoint: str, **values: Any) -> str:
    """Return the address of ``endpoint`` under the site's ``base_url``."""
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    return urljoin(base_url, path[len(root) :].lstrip("/"))


def absolute_links(html: str, base_url: str) -> str:
    """Return ``html`` with links and images that start with ``/`` made absolute.

    A feed reader shows an entry away from the site, where an address
    like ``/events/`` would point at the reader's own host.
    """
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + base_url, html)
