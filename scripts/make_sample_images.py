"""Draw the sample community's photographs of work as JPEG files.

Usage: ``python scripts/make_sample_images.py [OUT_DIR]`` (default
``content/media``). Writes ``rooftops-linocut.jpg``, ``tidewater-jugs.jpg``
and ``storm-wood-bowls.jpg``, each 2000 × 1333 pixels.

The pictures stand in for an owner's photographs so that the build's
resizing shows in the demo. Every stroke comes from ``random.Random`` with
a fixed seed, so the same Pillow gives the same files on every run.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 2000, 1333
# Drawn at twice the size, then reduced: smooth edges without antialiasing.
SCALE = 2
QUALITY = 80

Colour = tuple[int, int, int]
Point = tuple[float, float]


def _canvas(colour: Colour) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), colour)
    return image, ImageDraw.Draw(image)


def _s(*values: float) -> list[float]:
    return [v * SCALE for v in values]


def _texture(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """Lay a soft grain over the picture, like paper or a photograph's noise."""
    small = (WIDTH // 4, HEIGHT // 4)
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    noise = noise.resize(image.size, Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(2)
    )
    grain = Image.merge("RGB", (noise, noise, noise))
    return Image.blend(image, grain, strength)


def _finish(image: Image.Image) -> Image.Image:
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def rooftops(rng: random.Random) -> Image.Image:
    """Draw a two-colour linocut of terraces climbing a hill under an orange sun."""
    paper: Colour = (244, 236, 217)
    indigo: Colour = (36, 44, 92)
    image, draw = _canvas(paper)
    draw.rectangle(_s(150, 110, 1850, 1223), fill=(250, 243, 226))
    draw.ellipse(_s(1180, 170, 1620, 610), fill=(232, 118, 42))
    for _ in range(140):
        # Gouge marks left in the sky by the carving tool.
        x, y = rng.uniform(170, 1830), rng.uniform(130, 700)
        length = rng.uniform(20, 70)
        draw.line(
            _s(x, y, x + length, y + rng.uniform(-4, 4)), fill=paper, width=3 * SCALE
        )

    terraces = image.copy()
    draw = ImageDraw.Draw(terraces)
    for row, (base, rise, colour) in enumerate(
        ((980, 0.22, (70, 84, 140)), (1100, 0.26, indigo), (1223, 0.30, (22, 28, 64)))
    ):
        x = 150.0 - row * 40
        while x < 1850:
            width = rng.uniform(90, 130)
            top = base - 260 - (x - 150) * rise - rng.uniform(0, 25)
            house = [
                (x, base + 130),
                (x, top),
                (x + width / 2, top - 55),
                (x + width, top),
            ]
            house.append((x + width, base + 130))
            draw.polygon([(px * SCALE, py * SCALE) for px, py in house], fill=colour)
            chimney = x + width * rng.uniform(0.55, 0.75)
            draw.rectangle(_s(chimney, top - 80, chimney + 18, top), fill=colour)
            for pot in range(rng.randint(1, 3)):
                px = chimney + 1 + pot * 6
                draw.rectangle(_s(px, top - 94, px + 5, top - 80), fill=colour)
            for wx in (x + width * 0.2, x + width * 0.6):
                lit = rng.random() < 0.15
                draw.rectangle(
                    _s(wx, top + 40, wx + width * 0.18, top + 75),
                    fill=(246, 190, 90) if lit else paper,
                )
            x += width
    # The block is the size of the print: terraces stop at its edge.
    inside = Image.new("L", image.size, 0)
    ImageDraw.Draw(inside).rectangle(_s(150, 110, 1850, 1223), fill=255)
    image = Image.composite(terraces, image, inside)
    return _finish(_texture(image, rng, 0.06))


def _bezier(start: Point, bend: Point, end: Point, t: float) -> Point:
    """Return the point at ``t`` along a quadratic Bézier curve."""
    u = 1 - t
    return (
        u * u * start[0] + 2 * u * t * bend[0] + t * t * end[0],
        u * u * start[1] + 2 * u * t * bend[1] + t * t * end[1],
    )


def _jug(draw: ImageDraw.ImageDraw, left: float, floor: float, height: float) -> None:
    """Draw one glazed jug whose profile is a belly, a neck and a flared lip."""
    green: Colour = (174, 198, 172)
    pool: Colour = (78, 98, 116)
    centre = left + height * 0.36

    def radius(t: float) -> float:
        # t runs from 0 at the foot to 1 at the lip.
        belly = 0.30 * math.sin(math.pi * min(t / 0.8, 1.0)) + 0.12
        lip = 0.10 * max(0.0, (t - 0.82) / 0.18) ** 2
        return height * (belly + lip)

    steps = 120
    for i in range(steps):
        t0, t1 = i / steps, (i + 1) / steps
        y0, y1 = floor - t0 * height, floor - t1 * height
        # The glaze pools darker in a band round the belly and at the lip.
        depth = max(
            math.exp(-(((t0 - 0.42) / 0.07) ** 2)),
            math.exp(-(((t0 - 0.96) / 0.05) ** 2)),
        )
        colour = tuple(
            round(g + (p - g) * depth) for g, p in zip(green, pool, strict=True)
        )
        band = [
            (centre - radius(t0), y0),
            (centre + radius(t0), y0),
            (centre + radius(t1), y1),
            (centre - radius(t1), y1),
        ]
        draw.polygon([(px * SCALE, py * SCALE) for px, py in band], fill=colour)
    start = (centre + radius(0.85) - 6, floor - height * 0.85)
    bend = (centre + radius(0.62) + height * 0.22, floor - height * 0.82)
    end = (centre + radius(0.5) - 8, floor - height * 0.45)
    handle = [_bezier(start, bend, end, i / 40) for i in range(41)]
    draw.line(
        [(px * SCALE, py * SCALE) for px, py in handle],
        fill=pool,
        width=round(height * 0.05) * SCALE,
        joint="curve",
    )
    spout = [
        (centre - radius(1.0) - 30, floor - height - 8),
        (centre - radius(1.0) + 10, floor - height),
    ]
    spout.append((centre - radius(0.95), floor - height * 0.93))
    draw.polygon([(px * SCALE, py * SCALE) for px, py in spout], fill=pool)


def jugs(rng: random.Random) -> Image.Image:
    """Draw three ash-glazed stoneware jugs on a wooden shelf."""
    image, draw = _canvas((228, 222, 210))
    for y in range(0, HEIGHT, 4):
        shade = round(228 - 24 * y / HEIGHT)
        draw.rectangle(_s(0, y, WIDTH, y + 4), fill=(shade, shade - 5, shade - 16))
    draw.rectangle(_s(0, 1040, WIDTH, 1110), fill=(152, 112, 76))
    draw.rectangle(_s(0, 1110, WIDTH, 1150), fill=(112, 80, 52))
    draw.rectangle(_s(0, 1150, WIDTH, HEIGHT), fill=(198, 190, 176))
    for left, height in ((330, 820), (900, 620), (1420, 430)):
        centre = left + height * 0.36
        draw.ellipse(
            _s(centre - height * 0.4, 1040, centre + height * 0.45, 1075),
            fill=(120, 88, 60),
        )
        _jug(draw, left, 1060, height)
    return _finish(_texture(image, rng, 0.05))


def _bowl(
    image: Image.Image,
    centre: Point,
    radii: Point,
    depth: float,
    wood: Colour,
    inside: Colour,
) -> Image.Image:
    """Draw one turned bowl in three-quarter view and return the picture.

    The bowl is drawn on a copy and pasted back except where the front
    wall of the bowl drawn before it would hide it, which nests them.
    """
    (cx, cy), (rx, ry) = centre, radii
    layer = image.copy()
    draw = ImageDraw.Draw(layer)
    draw.ellipse(
        _s(cx - rx * 0.8, cy + depth - 40, cx + rx * 0.9, cy + depth + 30),
        fill=(132, 100, 66),
    )
    draw.chord(_s(cx - rx, cy - depth, cx + rx, cy + depth), 0, 180, fill=wood)
    draw.ellipse(_s(cx - rx, cy - ry, cx + rx, cy + ry), fill=inside)
    for ring in range(1, 8):
        k = ring / 8
        box = _s(cx - rx * k, cy - ry * k + 8 * k, cx + rx * k, cy + ry * k + 8 * k)
        draw.ellipse(box, outline=wood, width=3 * SCALE)
    draw.arc(_s(cx - rx, cy - ry, cx + rx, cy + ry), 0, 360, fill=wood, width=6 * SCALE)
    return layer


def _front_wall(
    size: tuple[int, int], centre: Point, radii: Point, depth: float
) -> Image.Image:
    """Return a mask that is black where a bowl's front wall hides what is inside."""
    (cx, cy), (rx, ry) = centre, radii
    mask = Image.new("L", size, 255)
    draw = ImageDraw.Draw(mask)
    draw.chord(_s(cx - rx, cy - depth, cx + rx, cy + depth), 0, 180, fill=0)
    draw.ellipse(_s(cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    return mask


def bowls(rng: random.Random) -> Image.Image:
    """Draw three nested turned bowls, ash and cherry, on a workbench with shavings."""
    image, draw = _canvas((196, 160, 116))
    for line in range(60):
        # Long, wavy grain of the bench top.
        y0 = line * 24 + rng.uniform(-6, 6)
        points = [
            (x * SCALE, (y0 + 9 * math.sin(x / 170 + line)) * SCALE)
            for x in range(0, WIDTH + 40, 40)
        ]
        draw.line(points, fill=(176, 138, 96), width=2 * SCALE)
    for _ in range(70):
        x, y = rng.uniform(60, WIDTH - 60), rng.uniform(900, HEIGHT - 40)
        size = rng.uniform(14, 36)
        start = rng.uniform(0, 360)
        box = _s(x - size, y - size / 2, x + size, y + size / 2)
        draw.arc(box, start, start + 250, fill=(236, 214, 170), width=4 * SCALE)

    mask: Image.Image | None = None
    for centre, radii, depth, wood, inside in (
        ((1000, 600), (640, 200), 420, (226, 206, 168), (204, 180, 140)),
        ((1000, 500), (430, 135), 330, (172, 88, 56), (142, 68, 44)),
        ((1000, 430), (210, 66), 180, (232, 214, 178), (206, 184, 146)),
    ):
        layer = _bowl(image, centre, radii, depth, wood, inside)
        image = layer if mask is None else Image.composite(layer, image, mask)
        mask = _front_wall(image.size, centre, radii, depth)
    return _finish(_texture(image, rng, 0.05))


PICTURES: dict[str, tuple[int, Callable[[random.Random], Image.Image]]] = {
    "rooftops-linocut.jpg": (1, rooftops),
    "tidewater-jugs.jpg": (2, jugs),
    "storm-wood-bowls.jpg": (3, bowls),
}


def main(out_dir: Path) -> None:
    """Write every sample picture into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (seed, draw) in PICTURES.items():
        path = out_dir / name
        draw(random.Random(seed)).save(path, "JPEG", quality=QUALITY, optimize=True)
        sys.stdout.write(f"{path} ({path.stat().st_size // 1024} KB)\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("content/media"))
