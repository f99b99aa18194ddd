"""Pictures: resized variants made once at build time, and the markup that uses them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from portal.app import create_app
from portal.build import build_site
from portal.content import load_site
from portal.images import find_picture, image_cache_dir, prepare_images, variant_widths

NOW = dt.datetime(2027, 1, 1, 12, 0)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"></svg>'


def _photo(
    path: Path, size: tuple[int, int], colour: tuple[int, int, int] = (200, 90, 40)
) -> None:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 50):
        # Stripes give the encoder some work and the variants some detail.
        image.paste((30, 60, 120), (x, 0, x + 10, size[1]))
    image.save(path, "JPEG", quality=90)


def _showcase(
    write: Callable[[str, str], Path], slug: str, image: str, date: str
) -> None:
    write(
        f"showcases/{slug}.md",
        f"""
        ---
        title: "{slug.title()}"
        maker: "Ada Okafor"
        image: {image}
        image_alt: "A picture of {slug}"
        date: {date}
        ---
        """,
    )


@pytest.fixture()
def gallery(write: Callable[[str, str], Path], content: Path) -> Path:
    """Return content with two photographs and one drawing, each shown once."""
    media = content / "media"
    _photo(media / "quilt.jpg", (2000, 1000))
    _photo(media / "jugs.jpg", (1200, 900), (90, 160, 120))
    (media / "map.svg").write_text(SVG, encoding="utf-8")
    _showcase(write, "quilt", "quilt.jpg", "2026-09-01")
    _showcase(write, "jugs", "jugs.jpg", "2026-08-01")
    _showcase(write, "map", "map.svg", "2026-07-01")
    return content


def _cache_state(content: Path) -> dict[str, int]:
    folder = image_cache_dir(content)
    return {path.name: path.stat().st_mtime_ns for path in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (2400, (480, 960, 1600)),
        (1600, (480, 960, 1600)),
        (1200, (480, 960, 1200)),
        (300, (300,)),
    ],
    ids=["wider", "exactly-widest", "between", "narrower-than-all"],
)
def test_variant_widths_never_exceed_the_source(
    width: int, expected: tuple[int, ...]
) -> None:
    assert variant_widths(width) == expected


def test_variants_are_made_once_and_reused_while_source_unchanged(
    gallery: Path,
) -> None:
    site = load_site(gallery, now=NOW)

    first = prepare_images(site)
    before = _cache_state(gallery)
    second = prepare_images(site)

    # Two photographs, three widths each, in WebP and JPEG; the SVG gets none.
    assert (first.sources, first.made, first.reused) == (2, 12, 0)
    assert (second.made, second.reused) == (0, 12)
    assert _cache_state(gallery) == before


def test_second_build_does_not_encode_again(gallery: Path, tmp_path: Path) -> None:
    build_site(gallery, tmp_path / "public", now=NOW)
    before = _cache_state(gallery)

    build_site(gallery, tmp_path / "public", now=NOW)

    assert _cache_state(gallery) == before
    assert sum(name.endswith(".webp") for name in before) == 6


def test_changed_source_gets_new_variants(gallery: Path) -> None:
    site = load_site(gallery, now=NOW)
    prepare_images(site)
    old = find_picture(site.media_dir, image_cache_dir(gallery), "quilt.jpg")

    _photo(gallery / "media" / "quilt.jpg", (2000, 1000), (20, 120, 200))
    report = prepare_images(site)
    new = find_picture(site.media_dir, image_cache_dir(gallery), "quilt.jpg")

    assert (report.made, report.reused) == (6, 6)
    assert old is not None and new is not None
    assert {v.name for v in old.variants}.isdisjoint(v.name for v in new.variants)


def test_variants_are_never_upscaled_and_keep_proportions(gallery: Path) -> None:
    site = load_site(gallery, now=NOW)
    prepare_images(site)
    cache = image_cache_dir(gallery)

    picture = find_picture(site.media_dir, cache, "jugs.jpg")

    assert picture is not None
    assert [(v.width, v.height) for v in picture.modern] == [
        (480, 360),
        (960, 720),
        (1200, 900),
    ]
    for variant in picture.variants:
        name = variant.name.rsplit(".", 2)
        with Image.open(cache / f"{name[1]}-{variant.width}.{name[2]}") as made:
            assert made.size == (variant.width, variant.height)
            assert made.format == ("WEBP" if variant.format == "webp" else "JPEG")


def test_sideways_photo_is_turned_upright_without_its_exif(
    write: Callable[[str, str], Path], content: Path
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "Phone maker"
    Image.new("RGB", (1200, 800), (10, 200, 10)).save(
        content / "media" / "side.jpg", exif=exif
    )
    _showcase(write, "side", "side.jpg", "2026-01-01")
    site = load_site(content, now=NOW)

    prepare_images(site)
    picture = find_picture(site.media_dir, image_cache_dir(content), "side.jpg")

    assert picture is not None
    assert (picture.largest.width, picture.largest.height) == (800, 1200)
    largest = next(image_cache_dir(content).glob("*-800.jpg"))
    with Image.open(largest) as made:
        assert made.size == (800, 1200)
        assert not made.getexif()


def test_transparent_png_keeps_a_png_fallback(
    write: Callable[[str, str], Path], content: Path
) -> None:
    Image.new("RGBA", (600, 400), (255, 0, 0, 0)).save(content / "media" / "logo.png")
    _showcase(write, "logo", "logo.png", "2026-01-01")
    site = load_site(content, now=NOW)

    prepare_images(site)
    picture = find_picture(site.media_dir, image_cache_dir(content), "logo.png")

    assert picture is not None
    assert {v.format for v in picture.fallback} == {"png"}


def test_hub_shows_originals_until_variants_are_prepared(gallery: Path) -> None:
    client = create_app(load_site(gallery, now=NOW)).test_client()

    html = client.get("/showcases/quilt/").get_data(as_text=True)

    assert '<img src="/media/quilt.jpg"' in html
    assert "srcset" not in html
    assert not image_cache_dir(gallery).exists(), "the hub must not write"


def _img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html.split("<main", 1)[1])


def test_built_pages_use_responsive_variants(gallery: Path, tmp_path: Path) -> None:
    output = tmp_path / "public"
    build_site(gallery, output, now=NOW)

    page = (output / "showcases" / "quilt" / "index.html").read_text(encoding="utf-8")
    source = re.search(
        r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', page
    )
    img = _img_tags(page)[0]

    assert source is not None
    candidates = [item.split() for item in source.group(1).split(", ")]
    assert [width for _, width in candidates] == ["480w", "960w", "1600w"]
    for url, _ in candidates:
        assert (output / url.lstrip("/")).is_file()
    assert 'srcset="/images/quilt-480.' in img
    assert 'sizes="' in img
    assert 'width="1600" height="800"' in img
    assert "loading=" not in img, "the first picture of a page loads at once"


def test_gallery_loads_pictures_below_the_fold_lazily(
    write: Callable[[str, str], Path], gallery: Path, tmp_path: Path
) -> None:
    for number in range(4):
        _showcase(write, f"extra-{number}", "quilt.jpg", f"2025-0{number + 1}-01")
    output = tmp_path / "public"
    build_site(gallery, output, now=NOW)

    page = (output / "showcases" / "index.html").read_text(encoding="utf-8")
    images = _img_tags(page)

    assert len(images) == 7
    assert "loading=" not in images[0]
    assert all('loading="lazy"' in img for img in images[3:])
    assert all(re.search(r'width="\d+" height="\d+"', img) for img in images)


def test_svg_passes_through_untouched(gallery: Path, tmp_path: Path) -> None:
    output = tmp_path / "public"
    build_site(gallery, output, now=NOW)

    page = (output / "showcases" / "map" / "index.html").read_text(encoding="utf-8")
    img = _img_tags(page)[0]

    assert 'src="/media/map.svg"' in img
    assert "srcset" not in img
    assert 'width="1200" height="800"' in img
    assert (output / "media" / "map.svg").read_text(encoding="utf-8") == SVG
    assert not any(p.name.startswith("map-") for p in (output / "images").iterdir())


def test_unreadable_picture_stops_the_build_with_one_line_problem(
    write: Callable[[str, str], Path], content: Path, run_cli: Callable[..., Any]
) -> None:
    (content / "media" / "broken.jpg").write_bytes(b"not a picture at all")
    _showcase(write, "broken", "broken.jpg", "2026-01-01")

    result = run_cli("--now", "2027-01-01T12:00", "build", "--output", "public")

    assert result.exit_code == 1
    assert (
        "content/showcases/broken.md:4: image: expected a JPEG, PNG or WebP picture, but "
        "content/media/broken.jpg cannot be read as one; save or export it again\n"
    ) in result.output
    assert "Traceback" not in result.output
    assert not (content.parent / "public").exists()
