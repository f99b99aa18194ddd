"""Generate a large, valid content folder for benchmarks and tests.

Usage: ``python bench/generate.py N OUT_DIR [--seed 1] [--force]``

The folder holds ``site.toml``, a handful of pages and N content files:
about half events, a quarter showcases and a quarter partners, each with
400 to 800 words of varied Markdown. Every reference (venue, partners,
image, logo) points at something that exists, so the folder loads with
``load_site(..., strict=True)`` and no problems.

Everything comes from one ``random.Random(seed)`` and the word lists
below, so the same N and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Events are spread over two years centred on this moment, so a build
# with ``--now 2027-01-01T00:00`` has both past and upcoming events.
CENTRE = dt.datetime(2027, 1, 1)
SPREAD_DAYS = 365

MEDIA_COUNT = 20
TIMEZONE = "Europe/London"


def _words(text: str) -> list[str]:
    """Split a pool written as words separated by white space."""
    return text.split()


def _phrases(text: str) -> list[str]:
    """Split a pool written as phrases separated by commas or new lines."""
    return [item.strip() for item in re.split(r"[,\n]", text) if item.strip()]


WORDS = _words("""
    about above across after afternoon again almost along always among apple
    autumn baker basket beach bench bicycle birch blanket bloom board bold book
    bread breakfast bridge bright brush busy cake calm candle canvas careful
    carry chair chalk cheese cherry children choir city clay clear clock cloth
    coffee colour corner cotton craft crisp cup dance daylight deep delight
    desk door dough dream early easy evening every fabric family festival field
    film fine flour flower folk friend garden gather gentle glass glaze good
    grain green ground guitar hall hand harbour harvest heavy hedge hill history
    honey hope house idea ink island jam journey keen kettle kitchen ladder
    lamp lane late leaf letter library light linen listen little local long
    loom lunch map market meadow meet melody mill moon morning music neighbour
    nest new night notebook oak often open orchard paint paper park path pattern
    pencil people piano picnic place plan plant poem porch pottery quiet quilt
    rain recipe repair ribbon river road roof room rose round row sail salt
    school season seed share shelf shop simple sing slow small soft song soup
    spring square stage stair start station stone story street summer sun table
    tea thread ticket together town tree trust tune valley village voice walk
    wall warm water weave welcome window winter wood wool word work workshop
    write yard year young
""")
CONNECTORS = _words("""
    and but so then while because with without for from into onto over under
    near beside before after through around the a an our their its this that
    these those some many each every
""")
ADJECTIVES = _words("""
    amber blue bright brass cedar copper crimson golden green hazel indigo ivory
    jade linen lively maple merry mossy old olive quiet red rosy rustic sage
    silver slate small snug sunny swift tidy velvet violet warm wild willow
""")
NOUNS = _words("""
    acorn anchor badger beacon bee bell bramble bridge candle cobble crane crow
    dove fern finch fox harbour hare heron hive kettle lantern lark meadow mill
    moon oak otter owl pebble pine quill raven robin sparrow spindle star teapot
    thistle wheel wren
""")
FIRST_NAMES = _words("""
    Ada Amara Ben Bilal Carmen Chloe Dara Dev Elena Emeka Farah Finn Grace Hamid
    Ines Isaac Jun Kemi Leila Luca Maya Milo Nadia Noor Oisin Olu Priya Rosa
    Sami Tariq Una Viktor Wen Yara Zoe
""")
LAST_NAMES = _words("""
    Adeyemi Baker Brennan Castro Chen Cooper Davies Eze Fischer Garcia Haddad
    Hughes Ibrahim Jones Kaur Kowalski Lewis Mensah Moreau Murphy Novak Okafor
    Patel Quinn Rossi Santos Silva Singh Taylor Thomas Walsh Wright Yilmaz Zhou
""")

# Forty tags, a few of several words so that tag slugs are exercised.
TAGS = _phrases("""
    music, books, crafts, food, family, repair, gardening, poetry, film,
    history, walking, cycling, art, pottery, knitting, sewing, coffee, baking,
    wellbeing, yoga, dance, theatre, photography, nature, sustainability,
    markets, volunteering, kids, seniors, language exchange, open mic,
    board games, local history, zero waste, live music, book club, tea,
    design, storytelling, science
""")

# Twelve partner categories, each with the kinds of place it groups.
CATEGORIES = {
    "Food and drink": ["Bakery", "Café", "Deli", "Kitchen"],
    "Books and stationery": ["Books", "Bookshop", "Paper Co."],
    "Arts and crafts": ["Studio", "Craft Rooms", "Workshop"],
    "Music": ["Records", "Music Hall", "Guitars"],
    "Community spaces": ["Hall", "Community Centre", "Rooms"],
    "Health and wellbeing": ["Yoga", "Wellbeing Centre", "Pharmacy"],
    "Outdoors": ["Cycles", "Outdoor Shop", "Garden Centre"],
    "Education": ["School", "Learning Centre", "Library"],
    "Fashion and textiles": ["Tailors", "Yarns", "Fabrics"],
    "Home and garden": ["Hardware", "Home Store", "Nursery"],
    "Repair and reuse": ["Repairs", "Refill Shop", "Swap Shop"],
    "Markets and stalls": ["Market", "Stall", "Traders"],
}
EVENT_TOPICS = _phrases("""
    Book Club, Repair Café, Poetry, Folk Music, Sourdough, Pottery, Knitting Circle,
    Board Games, Seed Swap, Local History, Film Club, Open Mic, Sketching, Photo Walk,
    Language Exchange, Yoga, Quiz, Storytelling, Choir, Zine Making, Bike Maintenance,
    Tea Tasting, Clothes Swap, Garden Work, Science
""")
EVENT_FORMATS = _phrases("""
    Evening, Morning, Workshop, Meetup, Night, Walk, Session, Afternoon, Market, Talk,
    Social, Masterclass
""")
MEDIUMS = _phrases("""
    Hand-dyed cotton, Stoneware, Oil on canvas, Watercolour on paper, Reclaimed oak,
    Merino wool, Linocut print, Silver and enamel, Recycled glass, Charcoal on paper,
    Woven willow, Digital photograph
""")
WORK_KINDS = _words("""
    Quilt Bowl Portrait Print Chair Scarf Vase Mural Basket Lamp Tapestry Jug Study
    Series Sculpture
""")
TOWNS = _words("Bristol Bath Stroud Frome Clevedon Keynsham")
STREETS = _phrases("""
    Mill Lane, High Street, Church Road, Quay Street, Park Row, Station Road,
    Victoria Street, Orchard Way, Market Place
""")
PRICES = _phrases("£3, £5, £7.50, £10, £12, Pay what you can")
HOURS = _phrases("""
    Mo-Fr 08:00-18:00, Sa 09:00-17:00, Su 10:00-16:00, Tu-Sa 10:00-18:00,
    Mo-Su 07:30-15:00, Th-Fr 17:00-22:00
""")
CODE_BITS = _phrases("""
    site.toml, --help, opening_hours, make tea, 2027-01-14, git pull, tags = music,
    Ctrl+S, v2.1, /dev/null
""")
TABLE_HEADS = [
    ("Day", "Time", "Where"),
    ("Item", "Amount", "Notes"),
    ("Name", "Role", "Contact"),
    ("Week", "Theme", "Host"),
]
PAGES = [
    ("about", "About us", 1),
    ("visit", "Visit", 2),
    ("code-of-conduct", "Code of conduct", 3),
    ("privacy", "Privacy", None),
    ("volunteer", "Volunteer with us", 4),
    ("accessibility", "Accessibility", None),
]
# Colours of the generated pictures and the words their alt text uses.
COLOURS = dict(
    line.split()
    for line in _phrases("""
        #264653 slate, #2a9d8f teal, #e9c46a mustard, #f4a261 sand, #e76f51 terracotta,
        #8ab17d sage, #6d597a plum, #b56576 rose, #355070 navy, #eaac8b peach,
        #f2e8cf cream, #386641 forest
    """)
)
SIZES = [(800, 600), (600, 800), (640, 640), (1200, 800)]

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'()-]*$")
_PLAIN_ITEM = re.compile(r"^[a-z0-9][a-z0-9 -]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Summary:
    """What one call of :func:`generate` wrote."""

    pages: int
    events: int
    showcases: int
    partners: int
    media: int
    words: int

    @property
    def files(self) -> int:
        """Return the number of Markdown files, pages included."""
        return self.pages + self.events + self.showcases + self.partners


@dataclass(frozen=True)
class _Partner:
    slug: str
    name: str


@dataclass(frozen=True)
class _Image:
    name: str
    alt: str


class _Writer:
    """Write Markdown files into a content folder and count their words."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.words = 0

    def write(
        self, folder: str, slug: str, fields: dict[str, object], body: str
    ) -> None:
        """Write one content file: front matter, then body."""
        lines = ["---", *(f"{key}: {_yaml(value)}" for key, value in fields.items())]
        text = "\n".join([*lines, "---", "", body])
        _write_text(self.root / folder / f"{slug}.md", text)
        self.words += _count_words(body)


def generate(
    n: int, out_dir: Path | str, seed: int = 1, *, force: bool = False
) -> Summary:
    """Write a content folder with ``n`` content files into ``out_dir``.

    ``out_dir`` must be empty or missing; with ``force`` the files and
    folders this function writes are removed from it first.
    """
    if n < 0:
        raise ValueError("n must be zero or more")
    root = Path(out_dir)
    _prepare(root, force)
    rng = random.Random(seed)
    events, showcases, partners = _split(n)
    writer = _Writer(root)

    _write_text(root / "site.toml", _site_toml())
    images = _write_media(rng, root / "media")
    for slug, title, menu in PAGES:
        _write_page(rng, writer, slug, title, menu)
    partner_list = _write_partners(rng, writer, partners, images)
    _write_events(rng, writer, events, partner_list, images)
    _write_showcases(rng, writer, showcases, partner_list, images)
    return Summary(len(PAGES), events, showcases, partners, len(images), writer.words)


def _split(n: int) -> tuple[int, int, int]:
    # At least one partner whenever there is anything, so events always
    # have a venue to point at.
    partners = max(1, n // 4) if n else 0
    showcases = min(n // 4, n - partners)
    return n - partners - showcases, showcases, partners


def _prepare(root: Path, force: bool) -> None:
    owned = ["site.toml", "pages", "events", "showcases", "partners", "media"]
    if force:
        for name in owned:
            path = root / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(
            f"{root} is not empty; choose an empty folder or use --force"
        )
    for folder in owned[1:]:
        (root / folder).mkdir(parents=True, exist_ok=True)


def _write_text(path: Path, text: str) -> None:
    # Fixed newlines keep files byte-identical on every platform.
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _site_toml() -> str:
    return (
        'name = "Benchmark Corner"\n'
        'base_url = "https://bench.example.org/"\n'
        'tagline = "Generated content for build benchmarks"\n'
        f'timezone = "{TIMEZONE}"\n'
        'locale = "en_GB"\n'
        'contact = "hello@bench.example.org"\n'
    )


# -- media --------------------------------------------------------------


def _write_media(rng: random.Random, folder: Path) -> list[_Image]:
    images = []
    for number in range(1, MEDIA_COUNT + 1):
        name = f"work-{number:02d}.svg"
        svg, alt = _svg(rng, f"Generated picture {number}")
        _write_text(folder / name, svg)
        images.append(_Image(name, alt))
    return images


def _svg(rng: random.Random, title: str) -> tuple[str, str]:
    """Return a small SVG picture and a description of what it shows."""
    width, height = rng.choice(SIZES)
    background, *palette = rng.sample(list(COLOURS), 4)
    shapes, colours = [], []
    for _ in range(rng.randint(3, 6)):
        colour = rng.choice(palette)
        shapes.append(_shape(rng, width, height, colour))
        colours.append(COLOURS[colour])
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
    svg = "\n".join(
        [
            f'{head} viewBox="0 0 {width} {height}">',
            f"<title>{title}</title>",
            f'<rect width="{width}" height="{height}" fill="{background}"/>',
            *shapes,
            "</svg>\n",
        ]
    )
    # The alt text names only what was drawn, so it stays true to the picture.
    kinds = sorted(
        {"discs" if shape.startswith("<circle") else "bars" for shape in shapes}
    )
    alt = (
        f"{' and '.join(kinds).capitalize()} in {_and(list(dict.fromkeys(colours)))} "
        f"on a {COLOURS[background]} background"
    )
    return svg, alt


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _shape(rng: random.Random, width: int, height: int, colour: str) -> str:
    x, y = rng.randint(0, width), rng.randint(0, height)
    size = rng.randint(min(width, height) // 10, min(width, height) // 3)
    if rng.random() < 0.5:
        return f'<circle cx="{x}" cy="{y}" r="{size}" fill="{colour}"/>'
    return (
        f'<rect x="{x - size}" y="{y - size}" width="{2 * size}" height="{size}" '
        f'fill="{colour}"/>'
    )


# -- content files ------------------------------------------------------


def _write_page(
    rng: random.Random, writer: _Writer, slug: str, title: str, menu: int | None
) -> None:
    fields: dict[str, object] = {"title": title, "summary": _sentence(rng, 8, 14)}
    if menu is not None:
        fields["menu"] = menu
    writer.write("pages", slug, fields, _body(rng))


def _write_partners(
    rng: random.Random, writer: _Writer, count: int, images: Sequence[_Image]
) -> list[_Partner]:
    seen: set[str] = set()
    partners = []
    categories = list(CATEGORIES)
    for _ in range(count):
        category = rng.choice(categories)
        kind = rng.choice(CATEGORIES[category])
        name = f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS).title()} {kind}"
        slug = _unique(_slugify(name), seen)
        writer.write(
            "partners",
            slug,
            _partner_fields(rng, name, category, slug, images),
            _body(rng),
        )
        partners.append(_Partner(slug, name))
    return partners


def _partner_fields(
    rng: random.Random, name: str, category: str, slug: str, images: Sequence[_Image]
) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": name,
        "category": category,
        "summary": _sentence(rng, 8, 16),
        "address": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
        "locality": rng.choice(TOWNS),
        "postcode": _postcode(rng),
        "country": "GB",
        "latitude": round(51.45 + rng.uniform(-0.08, 0.08), 4),
        "longitude": round(-2.59 + rng.uniform(-0.12, 0.12), 4),
        "website": f"https://{slug}.example.org/",
    }
    _maybe(rng, fields, 0.6, "email", lambda: f"hello@{slug}.example.org")
    _maybe(rng, fields, 0.5, "phone", lambda: f"+44 117 496 {rng.randint(0, 9999):04d}")
    _maybe(
        rng, fields, 0.7, "opening_hours", lambda: rng.sample(HOURS, rng.randint(1, 3))
    )
    _maybe(
        rng, fields, 0.4, "offer", lambda: f"{rng.choice([5, 10, 15])}% off for members"
    )
    _maybe(rng, fields, 0.1, "featured", lambda: True)
    if rng.random() < 0.3:
        image = rng.choice(images)
        fields["logo"] = image.name
        fields["logo_alt"] = f"Logo of {name}"
    _maybe(rng, fields, 0.6, "tags", lambda: rng.sample(TAGS, rng.randint(1, 3)))
    return fields


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"BS{rng.randint(1, 16)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _write_events(
    rng: random.Random,
    writer: _Writer,
    count: int,
    partners: Sequence[_Partner],
    images: Sequence[_Image],
) -> None:
    seen: set[str] = set()
    for _ in range(count):
        title = f"{rng.choice(EVENT_TOPICS)} {rng.choice(EVENT_FORMATS)}"
        start = _event_start(rng)
        slug = _unique(f"{_slugify(title)}-{start:%Y-%m-%d}", seen)
        writer.write(
            "events",
            slug,
            _event_fields(rng, title, start, partners, images),
            _body(rng),
        )


def _event_start(rng: random.Random) -> dt.datetime:
    day = CENTRE + dt.timedelta(days=rng.randint(-SPREAD_DAYS, SPREAD_DAYS - 1))
    return day.replace(hour=rng.randint(9, 20), minute=rng.choice([0, 15, 30, 45]))


def _event_fields(
    rng: random.Random,
    title: str,
    start: dt.datetime,
    partners: Sequence[_Partner],
    images: Sequence[_Image],
) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": title,
        "start": start,
        "end": start + dt.timedelta(minutes=rng.choice([60, 90, 120, 180, 240])),
        "summary": _sentence(rng, 8, 16),
    }
    _maybe(rng, fields, 0.03, "timezone", lambda: "Europe/Paris")
    where = rng.random()
    if where < 0.8 and partners:
        fields["venue"] = rng.choice(partners).slug
    elif where < 0.95:
        fields["location"] = (
            f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS).title()} Green"
        )
    if where >= 0.95 or rng.random() < 0.1:
        fields["online_url"] = f"https://meet.example.org/{_slugify(title)}"
    if partners and rng.random() < 0.5:
        chosen = rng.sample(partners, min(len(partners), rng.randint(1, 3)))
        fields["partners"] = [partner.slug for partner in chosen]
    fields["status"] = rng.choices(
        ["scheduled", "cancelled", "postponed", "moved-online"], [90, 4, 3, 3]
    )[0]
    _maybe(rng, fields, 0.4, "capacity", lambda: rng.choice([12, 20, 30, 40, 60, 120]))
    _maybe(rng, fields, 0.5, "price", lambda: rng.choice(PRICES))
    if rng.random() < 0.15:
        image = rng.choice(images)
        fields["image"] = image.name
        fields["image_alt"] = image.alt
    fields["tags"] = rng.sample(TAGS, rng.randint(1, 4))
    return fields


def _write_showcases(
    rng: random.Random,
    writer: _Writer,
    count: int,
    partners: Sequence[_Partner],
    images: Sequence[_Image],
) -> None:
    seen: set[str] = set()
    for _ in range(count):
        title = " ".join(
            [
                rng.choice(ADJECTIVES).title(),
                rng.choice(NOUNS).title(),
                rng.choice(WORK_KINDS),
            ]
        )
        slug = _unique(_slugify(title), seen)
        writer.write(
            "showcases",
            slug,
            _showcase_fields(rng, title, partners, images),
            _body(rng),
        )


def _showcase_fields(
    rng: random.Random,
    title: str,
    partners: Sequence[_Partner],
    images: Sequence[_Image],
) -> dict[str, object]:
    image = rng.choice(images)
    maker = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    fields: dict[str, object] = {
        "title": title,
        "maker": maker,
        "image": image.name,
        "image_alt": image.alt,
        "summary": _sentence(rng, 8, 16),
        "date": (CENTRE - dt.timedelta(days=rng.randint(0, 2 * SPREAD_DAYS))).date(),
    }
    _maybe(rng, fields, 0.7, "medium", lambda: rng.choice(MEDIUMS))
    _maybe(
        rng, fields, 0.4, "maker_url", lambda: f"https://{_slugify(maker)}.example.net/"
    )
    if partners and rng.random() < 0.4:
        chosen = rng.sample(partners, min(len(partners), rng.randint(1, 2)))
        fields["partners"] = [partner.slug for partner in chosen]
    fields["tags"] = rng.sample(TAGS, rng.randint(1, 3))
    return fields


def _maybe(
    rng: random.Random,
    fields: dict[str, object],
    chance: float,
    name: str,
    value: Callable[[], object],
) -> None:
    if rng.random() < chance:
        fields[name] = value()


def _unique(slug: str, seen: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in seen:
        candidate, number = f"{slug}-{number}", number + 1
    seen.add(candidate)
    return candidate


def _slugify(text: str) -> str:
    # Names such as "Repair Café" must give the file name the hub expects.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _NOT_SLUG.sub("-", decomposed.encode("ascii", "ignore").decode()).strip("-")


def _yaml(value: object) -> str:
    """Return ``value`` written as a YAML value an owner might type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, (dt.date, int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_item(str(item)) for item in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_item(text: str) -> str:
    if _PLAIN_ITEM.match(text) and text not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


# -- Markdown bodies ----------------------------------------------------


def _body(rng: random.Random) -> str:
    """Return 400 to 800 words of Markdown with a mix of block types."""
    target = rng.randint(400, 720)  # the last block may add up to ~80 words
    blocks = [_paragraph(rng)]
    words = _count_words(blocks[0])
    builders = [_paragraph, _bullets, _numbered, _quote, _table, _subheading]
    weights = [50, 14, 10, 10, 6, 10]
    while words < target:
        if rng.random() < 0.3:
            blocks.append("## " + _title(rng, 2, 5))
        block = rng.choices(builders, weights)[0](rng)
        blocks.append(block)
        words += _count_words(block)
    return "\n\n".join(blocks) + "\n"


def _count_words(markdown: str) -> int:
    # Link targets are not words a reader sees.
    visible = _LINK_TARGET.sub("]", markdown)
    return len(_WORD.findall(visible))


def _title(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize()


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """Return one plain sentence, with no Markdown in it."""
    tokens = _tokens(rng, rng.randint(low, high))
    return " ".join(tokens).capitalize() + "."


def _tokens(rng: random.Random, count: int) -> list[str]:
    # Mostly content words with a connector now and then reads closer to
    # prose than a uniform draw would.
    return [
        rng.choice(CONNECTORS) if rng.random() < 0.25 else rng.choice(WORDS)
        for _ in range(count)
    ]


def _rich_sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    """Return one sentence with occasional emphasis, links and code."""
    tokens = _tokens(rng, rng.randint(low, high))
    tokens[0] = tokens[0].capitalize()
    roll = rng.random()
    if roll < 0.10:
        _wrap(rng, tokens, "*", "*")
    elif roll < 0.16:
        _wrap(rng, tokens, "**", "**")
    elif roll < 0.19:
        tokens.insert(rng.randrange(1, len(tokens)), f"`{rng.choice(CODE_BITS)}`")
    if rng.random() < 0.08:
        first = rng.randrange(len(tokens) - 1)
        last = min(len(tokens) - 1, first + rng.randint(0, 2))
        url = f"https://example.org/{rng.choice(WORDS)}/{rng.choice(WORDS)}"
        tokens[first] = "[" + tokens[first]
        tokens[last] = f"{tokens[last]}]({url})"
    return " ".join(tokens) + rng.choices([".", "?", "!"], [90, 6, 4])[0]


def _wrap(rng: random.Random, tokens: list[str], before: str, after: str) -> None:
    index = rng.randrange(len(tokens))
    tokens[index] = f"{before}{tokens[index]}{after}"


def _paragraph(rng: random.Random) -> str:
    return " ".join(_rich_sentence(rng) for _ in range(rng.randint(2, 5)))


def _bullets(rng: random.Random) -> str:
    return "\n".join(
        f"- {_rich_sentence(rng, 3, 10)}" for _ in range(rng.randint(3, 6))
    )


def _numbered(rng: random.Random) -> str:
    count = rng.randint(3, 6)
    return "\n".join(f"{i}. {_rich_sentence(rng, 3, 10)}" for i in range(1, count + 1))


def _quote(rng: random.Random) -> str:
    lines = [f"> {_paragraph(rng)}"]
    if rng.random() < 0.5:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        lines += [">", f"> — {name}"]
    return "\n".join(lines)


def _table(rng: random.Random) -> str:
    head = rng.choice(TABLE_HEADS)
    rows = [
        "| " + " | ".join(_title(rng, 1, 3) for _ in head) + " |"
        for _ in range(rng.randint(3, 6))
    ]
    rule = "| " + " | ".join("---" for _ in head) + " |"
    return "\n".join(["| " + " | ".join(head) + " |", rule, *rows])


def _subheading(rng: random.Random) -> str:
    return f"### {_title(rng, 2, 4)}\n\n{_paragraph(rng)}"


# -- command line -------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, generate the folder and report what was written."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, help="number of events, showcases and partners")
    parser.add_argument("out_dir", type=Path, help="an empty or missing folder")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace generated files already in OUT_DIR",
    )
    args = parser.parse_args(argv)
    try:
        summary = generate(args.n, args.out_dir, args.seed, force=args.force)
    except (FileExistsError, ValueError) as e:
        parser.exit(2, f"generate.py: {e}\n")
    print(
        f"wrote {summary.files} files to {args.out_dir}: {summary.events} events, "
        f"{summary.showcases} showcases, {summary.partners} partners, "
        f"{summary.pages} pages, {summary.media} images, {summary.words} words"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
