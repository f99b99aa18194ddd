"""Plugins: every hook works through a real plugin, and plugins are found as documented."""

from __future__ import annotations

import inspect
import json
import math
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from portal import docs
from portal.app import create_app
from portal.build import build_site
from portal.cli import cli
from portal.content import load_site
from portal.content.loader import PARALLEL_THRESHOLD
from portal.errors import ContentError
from portal.plugins import PluginError, hookimpl, load_plugins, plugins_for
from portal.plugins.discovery import PLUGINS_DIR_ENV, import_path
from portal.plugins.reference import hook_specs, hook_table
from tests.conftest import NOW, ROOT

SHIPPED_PLUGINS = ROOT / "plugins"

RECIPE_KIND = """
from dataclasses import dataclass
from typing import ClassVar

from portal.content import Record
from portal.content.fields import INTEGER, TEXT, spec
from portal.plugins import hookimpl


@dataclass(frozen=True, kw_only=True)
class Recipe(Record):
    kind: ClassVar[str] = "recipe"
    folder: ClassVar[str] = "recipes"

    title: str = spec(TEXT, "The dish.", required=True)
    serves: int | None = spec(INTEGER, "How many it feeds.")


@hookimpl
def townsquare_content_kinds():
    return [Recipe]
"""

RECIPE_ROUTES = """
from flask import Blueprint, abort
from portal.hub.views import current_site

blueprint = Blueprint("recipes", __name__)


@blueprint.route("/recipes/<slug>/")
def recipe(slug):
    for found in current_site().of_kind("recipe"):
        if found.slug == slug:
            return f"<!doctype html><title>{found.title}</title><h1>{found.title}</h1>"
    abort(404)


@hookimpl
def townsquare_routes():
    return blueprint


@hookimpl
def townsquare_urls(site):
    return [("recipes.recipe", {"slug": r.slug}) for r in site.of_kind("recipe")]
"""


@pytest.fixture()
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty plugins folder that the plugin loader reads."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.setenv(PLUGINS_DIR_ENV, str(folder))
    return folder


@pytest.fixture()
def add_plugin(plugin_dir: Path) -> Callable[[str, str], Path]:
    """Return a function writing one plugin module into the plugins folder."""

    def write(name: str, source: str) -> Path:
        path = plugin_dir / f"{name}.py"
        path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        return path

    return write


def enable(content: Path, *names: str) -> None:
    """Switch plugins of the plugins folder on in the content's site.toml."""
    with (content / "site.toml").open("a", encoding="utf-8") as settings:
        settings.write(f"plugins = {json.dumps(list(names))}\n")


def build(content: Path, tmp_path: Path) -> Path:
    """Build ``content`` and return the folder of the published site."""
    report = build_site(content, tmp_path / "public", now=NOW, workers=1)
    return report.generation


def test_plugin_kind_is_read_from_its_own_folder(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
) -> None:
    add_plugin("recipes", RECIPE_KIND)
    enable(content, "recipes")
    write(
        "recipes/scones.md",
        "---\ntitle: Cheese scones\nserves: 8\n---\nMix and bake.\n",
    )

    site = load_site(content, now=NOW, kinds=plugins_for(content).content_kinds())

    (recipe,) = site.of_kind("recipe")
    assert (recipe.slug, recipe.title, recipe.serves) == ("scones", "Cheese scones", 8)
    assert "<p>Mix and bake.</p>" in recipe.html
    assert list(site.records()) == []


def test_plugin_kind_is_read_by_parallel_workers_in_a_large_hub(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
) -> None:
    add_plugin("recipes", RECIPE_KIND)
    enable(content, "recipes")
    for number in range(PARALLEL_THRESHOLD):
        write(f"recipes/dish-{number}.md", f"---\ntitle: Dish {number}\n---\n")

    kinds = plugins_for(content).content_kinds()
    site = load_site(content, now=NOW, kinds=kinds, workers=2)

    assert len(site.of_kind("recipe")) == PARALLEL_THRESHOLD


def test_plugin_kind_fields_are_checked_like_built_in_ones(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
) -> None:
    add_plugin("recipes", RECIPE_KIND)
    enable(content, "recipes")
    write("recipes/soup.md", "---\nserves: lots\n---\n")

    with pytest.raises(ContentError) as caught:
        load_site(content, now=NOW, kinds=plugins_for(content).content_kinds())

    shown = "\n".join(caught.value.lines())
    assert "recipes/soup.md:1: title: is required; every recipe needs one" in shown
    assert "recipes/soup.md:2: serves: expected a whole number" in shown


def test_plugin_kind_without_routes_gets_no_pages(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
    tmp_path: Path,
) -> None:
    add_plugin("recipes", RECIPE_KIND)
    enable(content, "recipes")
    write("recipes/scones.md", "---\ntitle: Cheese scones\n---\n")

    built = build(content, tmp_path)

    assert not (built / "recipes").exists()
    assert "scones" not in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_plugin_routes_are_served_frozen_and_listed_in_the_sitemap(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
    tmp_path: Path,
) -> None:
    add_plugin("recipes", RECIPE_KIND + RECIPE_ROUTES)
    enable(content, "recipes")
    write("recipes/scones.md", "---\ntitle: Cheese scones\n---\n")

    built = build(content, tmp_path)

    page = built / "recipes" / "scones" / "index.html"
    assert "<h1>Cheese scones</h1>" in page.read_text(encoding="utf-8")
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://hub.example.org/recipes/scones/</loc>" in sitemap


def test_plugin_filters_and_globals_reach_templates(
    content: Path, add_plugin: Callable[[str, str], Path]
) -> None:
    add_plugin(
        "shouting",
        """
        from portal.plugins import hookimpl

        @hookimpl
        def townsquare_jinja(env, site):
            env.filters["shout"] = lambda text: text.upper() + "!"
            env.globals["motto"] = f"{site.settings.name} says hello"
        """,
    )
    enable(content, "shouting")
    app = create_app(load_site(content, now=NOW))

    with app.test_request_context("/"):
        rendered = app.jinja_env.from_string("{{ 'hi'|shout }} {{ motto }}").render()

    assert rendered == "HI! Test Hub says hello"


STAMP_PLUGIN = """
from portal.plugins import hookimpl

@hookimpl
def townsquare_page_rendered(path, body, mimetype):
    if mimetype == "text/html":
        return body + f"<!-- stamped {path} -->"
"""


def test_rendered_pages_pass_through_plugins_when_served_live(
    content: Path, add_plugin: Callable[[str, str], Path]
) -> None:
    add_plugin("stamp", STAMP_PLUGIN)
    enable(content, "stamp")
    client = create_app(load_site(content, now=NOW)).test_client()

    assert client.get("/events/").text.endswith("<!-- stamped /events/ -->")
    assert "stamped" not in client.get("/feed.xml").text


def test_rendered_pages_pass_through_plugins_when_frozen(
    content: Path,
    write: Callable[[str, str], Path],
    add_plugin: Callable[[str, str], Path],
    tmp_path: Path,
) -> None:
    add_plugin("stamp", STAMP_PLUGIN)
    enable(content, "stamp")
    logo = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'
    write("media/logo.svg", logo)
    write(
        "partners/mill.md",
        "---\nname: Mill\ncategory: Food\nlogo: logo.svg\nlogo_alt: A mill\n---\n",
    )

    built = build(content, tmp_path)

    home = (built / "index.html").read_text(encoding="utf-8")
    assert home.endswith("<!-- stamped / -->")
    partner = (built / "partners" / "mill" / "index.html").read_text(encoding="utf-8")
    assert partner.endswith("<!-- stamped /partners/mill/ -->")
    assert (built / "media" / "logo.svg").read_text(encoding="utf-8") == logo


def test_page_plugins_run_in_turn_each_seeing_the_last_result(
    content: Path, tmp_path: Path
) -> None:
    plugins = load_plugins(folder=tmp_path / "none", entry_points=False)
    first = SimpleNamespace(
        townsquare_page_rendered=hookimpl(tryfirst=True)(
            lambda body: body.replace("Events", "Happenings")
        )
    )
    second = SimpleNamespace(
        townsquare_page_rendered=hookimpl(
            lambda body, mimetype: (
                body.replace("Happenings", "What's on")
                if mimetype == "text/html"
                else None
            )
        )
    )
    plugins.register(first, "first")
    plugins.register(second, "second")
    client = create_app(load_site(content, now=NOW), plugins=plugins).test_client()

    page = client.get("/events/").text

    assert "What's on" in page
    assert "Happenings" not in page


def test_build_finished_receives_the_site_the_output_and_the_report(
    content: Path, add_plugin: Callable[[str, str], Path], tmp_path: Path
) -> None:
    add_plugin(
        "announce",
        """
        import json
        from portal.plugins import hookimpl

        @hookimpl
        def townsquare_build_finished(site, output, report):
            note = {"name": site.settings.name, "home": (output / "index.html").is_file(),
                    "pages": report.pages, "output": str(report.output)}
            (output.parent / "finished.json").write_text(json.dumps(note))
        """,
    )
    enable(content, "announce")

    build(content, tmp_path)

    note = json.loads((tmp_path / "finished.json").read_text(encoding="utf-8"))
    assert note["name"] == "Test Hub"
    assert note["home"] is True
    assert note["pages"] > 0
    assert note["output"] == str(tmp_path / "public")


HELLO_PLUGIN = """
import click
from portal.plugins import hookimpl

@hookimpl
def townsquare_commands(cli):
    @cli.command()
    @click.argument("who")
    def hello(who):
        '''Greet someone from the hub.'''
        content = click.get_current_context().obj["content"]
        click.echo(f"Hello, {who}, from {content.name}")
"""


def test_plugin_commands_run_from_the_command_line(
    content: Path,
    add_plugin: Callable[[str, str], Path],
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_plugin("hello", HELLO_PLUGIN)
    enable(content, "hello")
    monkeypatch.setenv("TOWNSQUARE_CONTENT", str(content))

    result = runner.invoke(cli, ["hello", "Ada"])
    listing = runner.invoke(cli, ["--help"])

    assert result.exit_code == 0, result.output
    assert result.output == "Hello, Ada, from content\n"
    assert re.search(r"hello\s+Greet someone from the hub\.", listing.output)


def test_plugin_in_the_folder_stays_off_until_site_toml_names_it(
    content: Path, add_plugin: Callable[[str, str], Path], runner: CliRunner
) -> None:
    add_plugin("hello", HELLO_PLUGIN)

    result = runner.invoke(cli, ["--content", str(content), "hello", "Ada"])
    listing = runner.invoke(cli, ["--content", str(content), "plugins"])

    assert result.exit_code == 2
    assert "No such command 'hello'" in result.output
    assert "not switched on" in listing.output
    assert listing.output.rstrip().endswith(": hello")


def test_unknown_plugin_named_in_site_toml_fails_the_build(
    content: Path,
    add_plugin: Callable[[str, str], Path],
    run_cli: Callable[..., object],
) -> None:
    add_plugin("hello", HELLO_PLUGIN)
    enable(content, "helo")

    result = run_cli("--content", str(content), "build", "--output", "out")

    assert result.exit_code == 1  # type: ignore[attr-defined]
    message = result.output  # type: ignore[attr-defined]
    assert "site.toml: plugins: no plugin named 'helo'" in message
    assert "the plugins there are: hello" in message
    assert "Traceback" not in message


def test_plugin_that_fails_to_import_is_reported_with_its_file_and_line(
    content: Path, add_plugin: Callable[[str, str], Path]
) -> None:
    add_plugin("broken", "import os\n\nos.nothing_here()\n")
    enable(content, "broken")

    with pytest.raises(
        PluginError,
        match=r"broken\.py:3: the plugin could not be loaded: "
        r"AttributeError",
    ):
        plugins_for(content)


def test_misspelt_hook_is_refused_with_the_list_of_hooks(
    content: Path, add_plugin: Callable[[str, str], Path]
) -> None:
    add_plugin(
        "typo",
        """
        from portal.plugins import hookimpl

        @hookimpl
        def townsquare_route():
            return None
        """,
    )
    enable(content, "typo")

    with pytest.raises(
        PluginError, match=r"'typo'.*the hooks are townsquare_build_finished"
    ):
        plugins_for(content)


def test_plugin_kind_may_not_take_a_built_in_folder(
    content: Path, tmp_path: Path
) -> None:
    from portal.content import Event

    plugins = load_plugins(folder=tmp_path / "none", entry_points=False)
    plugins.register(
        SimpleNamespace(townsquare_content_kinds=hookimpl(lambda: [Event])), "again"
    )

    with pytest.raises(
        PluginError, match="Event already reads kind 'event' from 'events'"
    ):
        plugins.content_kinds()


def test_installed_package_plugin_is_found_through_its_entry_point(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    runner: CliRunner,
    plugin_dir: Path,
) -> None:
    site_packages = tmp_path / "site-packages"
    info = site_packages / "townsquare_hello-1.2.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: townsquare-hello\nVersion: 1.2\n"
    )
    (info / "entry_points.txt").write_text("[townsquare]\nhello = townsquare_hello\n")
    (site_packages / "townsquare_hello.py").write_text(textwrap.dedent(HELLO_PLUGIN))
    monkeypatch.syspath_prepend(str(site_packages))

    listing = runner.invoke(cli, ["--content", str(content), "plugins"])
    result = runner.invoke(cli, ["--content", str(content), "hello", "Ada"])

    assert (
        "hello: package townsquare-hello 1.2\n  hooks: townsquare_commands"
        in listing.output
    )
    assert result.output == "Hello, Ada, from content\n"


def test_plugins_command_lists_built_in_plugins_and_their_hooks(
    content: Path, add_plugin: Callable[[str, str], Path], runner: CliRunner
) -> None:
    add_plugin("stamp", STAMP_PLUGIN)
    enable(content, "stamp")

    result = runner.invoke(cli, ["--content", str(content), "plugins"])

    assert result.exit_code == 0, result.output
    assert (
        "feeds: built-in (portal.plugins.builtin.feeds)\n"
        "  hooks: townsquare_jinja, townsquare_routes, townsquare_urls\n"
    ) in result.output
    assert (
        "sitemap: built-in (portal.plugins.builtin.sitemap)\n"
        "  hooks: townsquare_routes, townsquare_urls\n"
    ) in result.output
    assert re.search(
        r"stamp: plugins folder \(.*stamp\.py\)\n  hooks: townsquare_page_rendered\n",
        result.output,
    )


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_is_documented(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Plugins\n", 1)[1].split("\n## ", 1)[0]
    spec = hook_specs()[name]
    doc = inspect.getdoc(spec) or ""
    first = doc.splitlines()[0] if doc else ""

    assert f"`{name}`" in section, f"README's Plugins section does not describe {name}"
    assert re.match(r"^[A-Z][a-z]+ .*\.$", first), f"{name} needs a one-line summary"
    for argument in inspect.signature(spec).parameters:
        assert f"``{argument}``" in doc, (
            f"{name}'s docstring does not explain {argument}"
        )


def test_readme_hook_table_matches_the_hook_specifications() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert docs.update(readme, {"hooks": hook_table()}) == readme, (
        "run: python build.py docs"
    )


# The partner map, shipped in plugins/ and off until switched on.

PARTNERS = {
    # slug: (name, category, latitude, longitude)
    "west-mill": ("West Mill", "Food", 51.4545, -2.6000),
    "east-yard": ("East Yard", "Makers", 51.4545, -2.5800),
    "north-hall": ("North Hall", "Venues", 51.4600, -2.5900),
}


@pytest.fixture()
def partners(
    write: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write three placed partners and one without a position; use the shipped plugins."""
    monkeypatch.setenv(PLUGINS_DIR_ENV, str(SHIPPED_PLUGINS))
    for slug, (name, category, latitude, longitude) in PARTNERS.items():
        write(
            f"partners/{slug}.md",
            f"---\nname: {name}\ncategory: {category}\n"
            f"latitude: {latitude}\nlongitude: {longitude}\n---\n",
        )
    write(
        "partners/online-only.md", "---\nname: Online Only\ncategory: Services\n---\n"
    )


def _markers(svg: str) -> dict[str, tuple[float, float]]:
    tree = ET.fromstring(svg)
    found = {}
    for link in tree.iter("{http://www.w3.org/2000/svg}a"):
        circle = link.find("{http://www.w3.org/2000/svg}circle")
        assert circle is not None
        found[link.attrib["href"]] = (
            float(circle.attrib["cx"]),
            float(circle.attrib["cy"]),
        )
    return found


@pytest.mark.usefixtures("partners")
def test_partner_map_is_absent_until_switched_on(content: Path, tmp_path: Path) -> None:
    built = build(content, tmp_path)

    assert not (built / "partners" / "map").exists()
    assert not (built / "partners" / "map.svg").exists()
    assert "on a map" not in (built / "partners" / "index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.usefixtures("partners")
def test_partner_map_places_each_partner_by_its_position(
    content: Path, tmp_path: Path
) -> None:
    enable(content, "partner_map")

    built = build(content, tmp_path)

    markers = _markers((built / "partners" / "map.svg").read_text(encoding="utf-8"))
    assert set(markers) == {
        "/partners/west-mill/",
        "/partners/east-yard/",
        "/partners/north-hall/",
    }
    west, east = markers["/partners/west-mill/"], markers["/partners/east-yard/"]
    north = markers["/partners/north-hall/"]
    assert west[0] < north[0] < east[0]
    assert north[1] < west[1] == east[1]


@pytest.mark.usefixtures("partners")
def test_partner_map_page_lists_partners_and_is_linked_from_the_partners_page(
    content: Path, tmp_path: Path
) -> None:
    enable(content, "partner_map")

    built = build(content, tmp_path)

    page = (built / "partners" / "map" / "index.html").read_text(encoding="utf-8")
    assert '<svg class="partner-map"' in page
    assert re.search(
        r'<li value="1">.*href="/partners/east-yard/">East Yard</a>, Makers', page
    )
    assert re.search(
        r"Other partners</h2>\s*<ul>\s*<li><a href=\"/partners/online-only/\"", page
    )
    listing = (built / "partners" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/partners/map/">See the partners on a map</a>' in listing
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://hub.example.org/partners/map/</loc>" in sitemap


def test_partner_map_scale_bar_matches_the_distance_between_dots() -> None:
    from portal.content import Partner

    drawing = import_path(SHIPPED_PLUGINS / "partner_map")
    one = Partner(
        slug="a", source="a.md", name="A", category="C", latitude=51.45, longitude=-2.60
    )
    two = Partner(
        slug="b", source="b.md", name="B", category="C", latitude=51.46, longitude=-2.58
    )

    layout = drawing.lay_out([one, two])

    first, second = layout.markers
    pixels = math.dist((first.x, first.y), (second.x, second.y))
    metres = _haversine(51.45, -2.60, 51.46, -2.58)
    assert layout.scale_metres / layout.scale_pixels == pytest.approx(
        metres / pixels, rel=0.01
    )


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlon = phi2 - phi1, math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlon / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))
