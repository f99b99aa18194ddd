"""Responsive variants of the content's raster pictures, made once and cached.

The build calls :func:`prepare_images` before freezing: every JPEG, PNG or
WebP picture the site uses is resized to a few widths, never wider than
its source, in WebP and in a fallback format that every browser reads
(JPEG, or PNG when the picture has transparency). Each variant is stored
in a cache folder under a name made of the source's content hash, its
width and its format, so a build encodes only what is new or changed. A
small manifest per source, written after its variants, marks it complete.

The hub reads the manifests through :func:`find_picture` and never
writes. SVG pictures are vectors and pass through untouched, as do GIFs,
whose frames resizing would lose.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from portal.content import Site, slugify
from portal.errors import ContentError, Problem

log = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
CACHE_PARTS = (".townsquare", "cache", "images")

# Part of every cache key: changing how variants are made must not reuse
# variants made the old way.
_RECIPE = f"widths={WIDTHS};webp=80;jpeg=82;png=6;v1".encode()
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": False, "compress_level": 6},
}
_EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
_FORMATS = {extension: name for name, extension in _EXTENSIONS.items()}
_PUBLIC_NAME = re.compile(r"^(?:[a-z0-9-]+-)?(\d+)\.([0-9a-f]{16})\.(webp|jpg|png)$")
# Unused variants stay this long, in case a preview still needs them.
_PRUNE_AFTER = 7 * 24 * 3600
_keys: dict[tuple[str, int, int, int], str] = {}


@dataclass(frozen=True)
class Variant:
    """One resized copy of a picture, in one format."""

    name: str
    width: int
    height: int
    format: str

    @property
    def media_type(self) -> str:
        """Return the variant's MIME type, for a ``<source type>``."""
        return f"image/{self.format}"


@dataclass(frozen=True)
class Picture:
    """Every variant of one source picture, narrowest first per format."""

    filename: str
    width: int
    height: int
    variants: tuple[Variant, ...]

    @property
    def modern(self) -> tuple[Variant, ...]:
        """Return the WebP variants."""
        return tuple(v for v in self.variants if v.format == "webp")

    @property
    def fallback(self) -> tuple[Variant, ...]:
        """Return the variants in the format every browser reads."""
        return tuple(v for v in self.variants if v.format != "webp")

    @property
    def largest(self) -> Variant:
        """Return the widest fallback variant, for ``src`` and share cards."""
        return self.fallback[-1]


class _UnreadablePictureError(Exception):
    """A source file is not a picture Pillow can decode."""


@dataclass(frozen=True)
class ImageReport:
    """What one preparation of the pictures did."""

    sources: int
    made: int
    reused: int

    def summary(self) -> str:
        """Return the one line the build logs about its pictures."""
        return (
            f"pictures: {self.sources} sources, {self.made} variants made, "
            f"{self.reused} reused from the cache"
        )


def image_cache_dir(content_dir: Path) -> Path:
    """Return the cache folder of variants for the content in ``content_dir``.

    It sits beside the content folder, in ``.townsquare/``, which holds
    local state that is never published nor committed.
    """
    return Path(content_dir).resolve().parent.joinpath(*CACHE_PARTS)


def used_pictures(site: Site) -> list[str]:
    """Return the media files the site's records show as pictures, sorted."""
    used: set[str] = set()
    for record in site.records():
        for name in ("image", "logo"):
            value = getattr(record, name, None)
            if value:
                used.add(value)
    return sorted(used)


def is_raster(filename: str) -> bool:
    """Tell whether a picture gets resized variants (SVG and GIF do not)."""
    return Path(filename).suffix.lower() in RASTER_SUFFIXES


def prepare_images(
    site: Site, *, cache_dir: Path | None = None, workers: int | None = None
) -> ImageReport:
    """Make the variants of every raster picture ``site`` uses, if not cached.

    Sources are encoded in threads: Pillow releases the interpreter lock
    while it resizes and compresses. A picture that cannot be read raises
    :class:`ContentError` naming each file that shows it.
    """
    cache_dir = cache_dir or image_cache_dir(site.content_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    names = [
        name
        for name in used_pictures(site)
        if is_raster(name) and (site.media_dir / name).is_file()
    ]
    workers = max(1, min(workers or os.cpu_count() or 1, len(names)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(
            pool.map(lambda name: _try_prepare(site.media_dir / name, cache_dir), names)
        )

    unreadable = [
        name for name, outcome in zip(names, outcomes, strict=True) if outcome is None
    ]
    if unreadable:
        raise ContentError(_unreadable_problems(site, unreadable))

    counts = [outcome for outcome in outcomes if outcome is not None]
    _prune(cache_dir, {_source_key(site.media_dir / name) for name in names})
    report = ImageReport(
        len(names), sum(c[0] for c in counts), sum(c[1] for c in counts)
    )
    log.info("%s", report.summary())
    return report


def find_picture(media_dir: Path, cache_dir: Path, filename: str) -> Picture | None:
    """Return the prepared variants of ``filename``, or None when there are none.

    None means the picture is shown as it is: an SVG or GIF, a file that
    is missing, or a raster picture whose variants are not prepared yet.
    """
    source = media_dir / filename
    if not is_raster(filename) or not source.is_file():
        return None
    key = _source_key(source)
    entry = _read_manifest(cache_dir / f"{key}.json")
    if entry is None:
        return None
    width, height, sizes = entry
    stem = slugify(Path(filename).stem)
    variants = tuple(
        Variant(_public_name(stem, key, w, fmt), w, h, fmt)
        for fmt in ("webp", "jpeg", "png")
        for w, h, f in sizes
        if f == fmt
    )
    if not all(
        (cache_dir / _cache_name(key, v.width, v.format)).is_file() for v in variants
    ):
        return None
    return Picture(filename, width, height, variants)


def cached_file(name: str) -> str | None:
    """Return the cache file name behind a public variant name, or None."""
    match = _PUBLIC_NAME.match(name)
    if match is None:
        return None
    width, key, extension = match.groups()
    return _cache_name(key, int(width), _FORMATS[extension])


def variant_widths(width: int) -> tuple[int, ...]:
    """Return the widths to make for a source ``width`` pixels wide.

    A picture is never enlarged: a source narrower than the widest
    variant gets its own width as the last one.
    """
    chosen = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1] or not chosen:
        chosen.append(min(width, WIDTHS[-1]))
    return tuple(chosen)


def _prepare_one(source: Path, cache_dir: Path) -> tuple[int, int]:
    """Make the missing variants of one source; return (made, reused)."""
    key = _source_key(source)
    entry = _read_manifest(cache_dir / f"{key}.json")
    if entry is not None and all(
        (cache_dir / _cache_name(key, w, fmt)).is_file() for w, _, fmt in entry[2]
    ):
        return 0, len(entry[2])

    image, icc_profile = _open_upright(source)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    fallback = "png" if has_alpha else "jpeg"

    made = reused = 0
    sizes: list[tuple[int, int, str]] = []
    for width in variant_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized: Image.Image | None = None
        for fmt in ("webp", fallback):
            target = cache_dir / _cache_name(key, width, fmt)
            sizes.append((width, height, fmt))
            if target.is_file():
                reused += 1
                continue
            if resized is None:
                resized = (
                    image if width == image.width else _resize(image, width, height)
                )
            _save(resized, target, fmt, icc_profile)
            made += 1

    manifest = {"source": source.name, "width": image.width, "height": image.height}
    manifest["variants"] = [{"width": w, "height": h, "format": f} for w, h, f in sizes]
    _write_atomically(
        cache_dir / f"{key}.json", json.dumps(manifest, indent=1).encode()
    )
    log.debug("prepared %s: %d variants made, %d reused", source.name, made, reused)
    return made, reused


def _try_prepare(source: Path, cache_dir: Path) -> tuple[int, int] | None:
    """Prepare one source; return None when it is not a picture Pillow reads."""
    try:
        return _prepare_one(source, cache_dir)
    except _UnreadablePictureError:
        return None


def _open_upright(source: Path) -> tuple[Image.Image, bytes | None]:
    try:
        with Image.open(source) as opened:
            # Phones store pictures sideways plus an orientation tag; variants
            # are turned upright, and their EXIF (GPS included) is left out.
            image = ImageOps.exif_transpose(opened)
            image.load()
            return image, opened.info.get("icc_profile")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        log.debug("cannot read %s: %s", source, e)
        raise _UnreadablePictureError(source.name) from None


def _unreadable_problems(site: Site, names: list[str]) -> list[Problem]:
    problems = []
    for record in site.records():
        for field in ("image", "logo"):
            name = getattr(record, field, None)
            if name in names:
                message = (
                    f"expected a JPEG, PNG or WebP picture, but content/media/{name} "
                    "cannot be read as one; save or export it again"
                )
                problems.append(
                    Problem(
                        record.source, _field_line(record.source, field), field, message
                    )
                )
    return problems


def _field_line(label: str, field: str) -> int:
    """Return the line of ``field`` in a content file, or 1 if it cannot be found."""
    try:
        lines = Path(label).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^{re.escape(field)}\s*:")
    return next(
        (number for number, line in enumerate(lines, 1) if pattern.match(line)), 1
    )


def _resize(image: Image.Image, width: int, height: int) -> Image.Image:
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _save(
    image: Image.Image, target: Path, fmt: str, icc_profile: bytes | None
) -> None:
    options = dict(_SAVE_OPTIONS[fmt])
    if icc_profile:
        options["icc_profile"] = icc_profile
    with tempfile.NamedTemporaryFile(
        dir=target.parent, suffix=".part", delete=False
    ) as handle:
        try:
            image.save(handle, format=fmt.upper(), **options)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    # A variant appears whole or not at all, even for a build run beside a
    # preview server or stopped half-way.
    os.replace(handle.name, target)


def _write_atomically(target: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(
        dir=target.parent, suffix=".part", delete=False
    ) as handle:
        handle.write(data)
    os.replace(handle.name, target)


def _read_manifest(path: Path) -> tuple[int, int, list[tuple[int, int, str]]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sizes = [
            (int(v["width"]), int(v["height"]), str(v["format"]))
            for v in data["variants"]
        ]
        return int(data["width"]), int(data["height"]), sizes
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _source_key(source: Path) -> str:
    """Return the cache key of a source: a hash of its bytes and the recipe."""
    # The file is opened even when its hash is known: whoever watches the
    # files a page reads (incremental builds) must see that it reads this one.
    with source.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        identity = (str(source.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        key = _keys.get(identity)
        if key is None:
            digest = hashlib.blake2b(_RECIPE, digest_size=8)
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            key = _keys[identity] = digest.hexdigest()
    return key


def _cache_name(key: str, width: int, fmt: str) -> str:
    return f"{key}-{width}.{_EXTENSIONS[fmt]}"


def _public_name(stem: str, key: str, width: int, fmt: str) -> str:
    prefix = f"{stem}-" if stem else ""
    return f"{prefix}{width}.{key}.{_EXTENSIONS[fmt]}"


def _prune(cache_dir: Path, keep: Iterable[str]) -> None:
    """Remove variants of sources no longer used, once they are a week old."""
    kept = set(keep)
    cutoff = time.time() - _PRUNE_AFTER
    for path in cache_dir.iterdir():
        key = path.name.split("-", 1)[0].split(".", 1)[0]
        if key in kept:
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue
