"""Townsquare: a community hub for a small business."""

from __future__ import annotations

from portal.app import create_app

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]
