"""Plugins that ship inside the package and are always on: feeds and the sitemap."""
