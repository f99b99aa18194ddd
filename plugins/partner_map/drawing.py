"""Draw partners as numbered dots on a plain SVG map: no tiles, no network.

Positions use the Mercator projection, which keeps a small area's shape:
north is up and a street corner keeps its angle. The map is only the
dots, a scale bar and a north mark; the numbered list beside it names
each dot, which is also what screen readers get.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from portal.content import Partner

WIDTH = 720
MAX_HEIGHT = 540
MIN_HEIGHT = 240
PADDING = 40
RADIUS = 12

# The mean radius of the Earth in metres (IUGG), for the scale bar.
EARTH_RADIUS = 6_371_008.8

# Never zoom in closer than this many metres across, so that one partner,
# or several at one address, still sits on a map of its street.
MIN_SPAN_METRES = 800

# Okabe and Ito's colours, told apart with any common colour blindness,
# all dark enough for a white number on top.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#6F4E37", "#555555")


@dataclass(frozen=True)
class Marker:
    """One partner's dot: its number on the map, its place and its colour."""

    number: int
    partner: Partner
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class PartnerMap:
    """A laid-out map: its size, its dots and the length its scale bar shows."""

    width: int
    height: int
    markers: tuple[Marker, ...]
    scale_metres: int
    scale_pixels: float


def placed(partners: Sequence[Partner]) -> list[Partner]:
    """Return the partners that have both a latitude and a longitude, by name."""
    found = [p for p in partners if p.latitude is not None and p.longitude is not None]
    return sorted(found, key=lambda p: (p.name.casefold(), p.slug))


def lay_out(partners: Sequence[Partner]) -> PartnerMap | None:
    """Place ``partners`` on a map that fits them all; None when none has a position."""
    chosen = placed(partners)
    if not chosen:
        return None

    points = [_mercator(p.latitude or 0.0, p.longitude or 0.0) for p in chosen]
    middle_latitude = sum(p.latitude or 0.0 for p in chosen) / len(chosen)
    metres_per_unit = EARTH_RADIUS * math.cos(math.radians(middle_latitude))
    min_span = MIN_SPAN_METRES / metres_per_unit

    xs, ys = [x for x, _ in points], [y for _, y in points]
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span * MIN_HEIGHT / WIDTH)
    inner = WIDTH - 2 * PADDING
    scale = min(inner / span_x, (MAX_HEIGHT - 2 * PADDING) / span_y)
    height = round(max(MIN_HEIGHT, span_y * scale + 2 * PADDING))

    # Centre the partners in the frame; y grows downwards in SVG.
    centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    colours = _colours(chosen)
    markers = tuple(
        Marker(
            number,
            partner,
            round(WIDTH / 2 + (x - centre_x) * scale, 1),
            round(height / 2 - (y - centre_y) * scale, 1),
            colours[partner.category],
        )
        for number, (partner, (x, y)) in enumerate(
            zip(chosen, points, strict=True), start=1
        )
    )
    metres, pixels = _scale_bar(metres_per_unit / scale)
    return PartnerMap(WIDTH, height, markers, metres, pixels)


def render_svg(
    layout: PartnerMap, link: Callable[[Partner], str], *, standalone: bool
) -> str:
    """Return the map as SVG, each dot a link made by ``link``.

    A ``standalone`` map is a file of its own: it declares its namespace
    and its size. Inside an HTML page the map has only its proportions,
    so it shrinks with a narrow screen.
    """
    count = len(layout.markers)
    noun = "partner" if count == 1 else "partners"
    size = f' width="{layout.width}" height="{layout.height}"'
    opening = ' xmlns="http://www.w3.org/2000/svg"' + size if standalone else ""
    lines = [
        f'<svg{opening} class="partner-map" viewBox="0 0 {layout.width} {layout.height}" '
        'role="img" aria-labelledby="partner-map-title partner-map-desc">',
        f'<title id="partner-map-title">Map of {count} {noun}</title>',
        '<desc id="partner-map-desc">Each numbered dot is a partner at its address, '
        "with north at the top; the numbered list with the map names them.</desc>",
        f'<rect width="{layout.width}" height="{layout.height}" fill="#F4F1EA"/>',
    ]
    for marker in layout.markers:
        lines += _marker(marker, link(marker.partner))
    lines += _scale(layout)
    lines += _north(layout)
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def _marker(marker: Marker, href: str) -> list[str]:
    partner = marker.partner
    label = escape(f"{marker.number}. {partner.name} ({partner.category})")
    return [
        # The list beside the map holds the same links for keyboards and
        # screen readers, so the dots stay out of the tab order.
        f'<a href="{escape(href)}" tabindex="-1">',
        f"<title>{label}</title>",
        f'<circle cx="{marker.x}" cy="{marker.y}" r="{RADIUS}" fill="{marker.colour}" '
        'stroke="#FFFFFF" stroke-width="2"/>',
        f'<text x="{marker.x}" y="{marker.y}" dy="0.35em" text-anchor="middle" '
        f'font-family="sans-serif" font-size="12" font-weight="bold" fill="#FFFFFF">'
        f"{marker.number}</text>",
        "</a>",
    ]


def _scale(layout: PartnerMap) -> list[str]:
    x, y = PADDING / 2, layout.height - PADDING / 2
    end = round(x + layout.scale_pixels, 1)
    metres = layout.scale_metres
    text = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    return [
        f'<path d="M{x} {y - 5}V{y}H{end}V{y - 5}" fill="none" stroke="#333333" stroke-width="2"/>',
        f'<text x="{x}" y="{y - 9}" font-family="sans-serif" font-size="12" '
        f'fill="#333333">{text}</text>',
    ]


def _north(layout: PartnerMap) -> list[str]:
    x, y = layout.width - PADDING / 2, PADDING / 2
    return [
        f'<path d="M{x} {y - 6}l5 12h-10z" fill="#333333"/>',
        f'<text x="{x}" y="{y + 20}" text-anchor="middle" font-family="sans-serif" '
        'font-size="12" fill="#333333">N</text>',
    ]


def _mercator(latitude: float, longitude: float) -> tuple[float, float]:
    phi = math.radians(max(-85.0, min(85.0, latitude)))
    return math.radians(longitude), math.log(math.tan(math.pi / 4 + phi / 2))


def _colours(partners: Sequence[Partner]) -> dict[str, str]:
    categories = sorted({p.category for p in partners}, key=str.casefold)
    return {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(categories)}


def _scale_bar(metres_per_pixel: float) -> tuple[int, float]:
    # The longest round length (1, 2 or 5 times a power of ten) that
    # fits in a quarter of the map's width.
    longest = metres_per_pixel * WIDTH / 4
    power = 10 ** math.floor(math.log10(longest))
    step = max(s * power for s in (1, 2, 5) if s * power <= longest)
    metres = max(1, round(step))
    return metres, round(metres / metres_per_pixel, 1)
