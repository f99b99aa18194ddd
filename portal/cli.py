"""The command line: ``python build.py`` and the ``townsquare`` script."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from portal.errors import ContentError, TownsquareError
from portal.plugins.commands import PluginGroup

log = logging.getLogger(__name__)

F = Callable[..., Any]


class _EchoHandler(logging.Handler):
    """Send log records to the terminal through click, one line each."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = (
            "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        )
        click.echo(f"{prefix}{record.getMessage()}", err=True)


def _setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * verbose + 10 * quiet
    root = logging.getLogger("portal")
    root.handlers[:] = [_EchoHandler()]
    root.setLevel(max(logging.DEBUG, level))
    root.propagate = False


def _parse_now(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date and time like 2027-01-14T18:30, got {value!r}"
        ) from None


def content_options(command: F) -> F:
    """Add the options every command that reads content shares."""
    options = [
        click.option(
            "--now",
            callback=_parse_now,
            metavar="DATETIME",
            help="Build as if it were this time, like 2027-01-14T18:30.",
        ),
        click.option(
            "--strict", is_flag=True, default=None, help="Treat warnings as errors."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def reports_errors(command: F) -> F:
    """Turn Townsquare's errors into messages and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ContentError as e:
            for line in e.lines():
                click.echo(line, err=True)
            publishes = click.get_current_context().info_name in {"build", "demo"}
            outcome = "; the published site was left as it was" if publishes else ""
            click.secho(f"Error: {e}{outcome}.", fg="red", err=True)
            sys.exit(e.exit_code)
        except TownsquareError as e:
            for line in e.lines():
                click.secho(f"Error: {line}", fg="red", err=True)
            sys.exit(e.exit_code)

    return wrapper


@click.group(
    cls=PluginGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: os.environ.get("TOWNSQUARE_CONTENT", "content"),
    show_default="content",
    help="The folder of Markdown content.",
)
@click.option(
    "-v", "--verbose", count=True, help="Say more; twice for debugging detail."
)
@click.option("-q", "--quiet", count=True, help="Say less: only errors.")
@content_options
@click.version_option(package_name="townsquare")
@click.pass_context
def cli(
    ctx: click.Context,
    content: Path,
    verbose: int,
    quiet: int,
    now: dt.datetime | None,
    strict: bool | None,
) -> None:
    """Build and run a Townsquare community hub.

    With no command, build the hub into public/.
    """
    _setup_logging(verbose, quiet)
    ctx.obj = {"content": content, "now": now, "strict": bool(strict), "quiet": quiet}
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


def _setting(ctx: click.Context, name: str, value: Any) -> Any:
    return ctx.obj[name] if value is None else value


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=lambda: os.environ.get("TOWNSQUARE_OUTPUT", "public"),
    show_default="public",
    help="Where the built hub is published.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to use; defaults to one per core.",
)
@click.option(
    "--clean",
    is_flag=True,
    default=False,
    help="Render every page again instead of reusing those that did not change.",
)
@content_options
@click.pass_context
@reports_errors
def build(
    ctx: click.Context,
    output: Path | None = None,
    workers: int | None = None,
    now: dt.datetime | None = None,
    strict: bool | None = None,
    clean: bool = False,
) -> None:
    """Build the hub into public/, replacing the live site atomically.

    Pages are rendered only when something they show has changed.
    """
    from portal.build import build_site
    from portal.build.progress import progress_bar

    output = output or Path(os.environ.get("TOWNSQUARE_OUTPUT", "public"))
    with progress_bar(enabled=not ctx.obj["quiet"]) as (on_start, advance):
        report = build_site(
            ctx.obj["content"],
            output,
            now=_setting(ctx, "now", now),
            strict=_setting(ctx, "strict", strict),
            workers=workers,
            on_start=on_start,
            progress=advance,
            clean=clean,
        )
    click.echo(report.summary())


@cli.command()
@click.option(
    "--links",
    is_flag=True,
    help="Also build the hub in a temporary folder and check every internal link.",
)
@content_options
@click.pass_context
@reports_errors
def check(
    ctx: click.Context, links: bool, now: dt.datetime | None, strict: bool | None
) -> None:
    """Validate the content without writing anything."""
    from portal.build import check_site

    now, strict = _setting(ctx, "now", now), _setting(ctx, "strict", strict)
    site = check_site(ctx.obj["content"], now=now, strict=strict)
    count = sum(1 for _ in site.records())
    warnings = len(site.warnings)
    click.echo(f"The content is valid: {count} published files, {warnings} warnings.")
    if links:
        _check_links(site, now, strict)


def _check_links(site: Any, now: dt.datetime | None, strict: bool) -> None:
    from portal.links import check_built_links

    report = check_built_links(site, now=now, strict=strict)
    for broken in report.broken:
        click.echo(str(broken), err=True)
    if report.broken:
        click.secho(f"Error: {report.summary()}", fg="red", err=True)
        sys.exit(1)
    click.echo(report.summary())


def _record_type(ctx: click.Context, param: click.Parameter, value: str) -> Any:
    from portal.scaffold import record_types

    kinds = record_types(ctx.obj["content"])
    if value.lower() not in kinds:
        raise click.BadParameter(f"expected one of {', '.join(kinds)}, got {value!r}")
    return kinds[value.lower()]


def _parse_date(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date like 2027-01-14, got {value!r}"
        ) from None


@cli.command()
@click.argument("kind", metavar="KIND", callback=_record_type)
@click.argument("title")
@click.option(
    "--start",
    callback=_parse_now,
    metavar="DATETIME",
    help="When an event starts, like 2027-01-14T18:30; else the next full hour.",
)
@click.option(
    "--date",
    callback=_parse_date,
    metavar="DATE",
    help="When a showcase was made, like 2027-01-14.",
)
@click.pass_context
@reports_errors
def new(
    ctx: click.Context,
    kind: Any,
    title: str,
    start: dt.datetime | None,
    date: dt.date | None,
) -> None:
    """Write a new event, showcase, partner or page with every field explained.

    KIND is event, showcase, partner or page (or a kind a plugin adds);
    TITLE names it and makes its file name.
    """
    from portal.content import specs_of
    from portal.scaffold import scaffold

    values = {
        name: value for name, value in (("start", start), ("date", date)) if value
    }
    for name in values:
        if name not in specs_of(kind):
            raise click.UsageError(
                f"--{name} does not fit a {kind.kind}, which has no {name} field"
            )
    written = scaffold(
        ctx.obj["content"], kind, title, values=values, now=ctx.obj["now"]
    )
    for line in written.lines():
        click.echo(line)
    for problem in written.problems:
        click.echo(f"warning: {problem}", err=True)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default="public",
    show_default=True,
    help="Where the built hub is published.",
)
@click.pass_context
@reports_errors
def demo(ctx: click.Context, host: str, port: int, output: Path) -> None:
    """Build the sample community and serve it on this computer."""
    from portal.build.static_server import make_server

    ctx.invoke(build, output=output)
    server = make_server(output, host, port)
    bound_host, bound_port = server.server_address[:2]
    address = f"http://{bound_host!s}:{bound_port}/"
    click.echo(f"Serving the hub at {address} (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--reload/--no-reload",
    "live_reload",
    default=True,
    show_default=True,
    help="Reload open pages when content, theme or plugins change.",
)
@content_options
@click.pass_context
@reports_errors
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    live_reload: bool,
    now: dt.datetime | None,
    strict: bool | None,
) -> None:
    """Preview the hub live from the content, drafts included, until Ctrl-C."""
    from portal.serve import serve_hub

    serve_hub(
        ctx.obj["content"],
        host=host,
        port=port,
        live_reload=live_reload,
        now=_setting(ctx, "now", now),
        strict=_setting(ctx, "strict", strict),
        echo=click.echo,
    )


@cli.command()
@click.option(
    "--readme",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default="README.md",
    show_default=True,
    help="The README to update.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Only say whether the README is up to date; exit 1 if not.",
)
def docs(readme: Path, check_only: bool) -> None:
    """Rewrite the README's reference tables from the code."""
    from portal import docs as reference
    from portal.plugins.reference import hook_table

    generated = reference.regions(cli, hooks=hook_table)
    text = readme.read_text(encoding="utf-8")
    if reference.update(text, generated) == text:
        click.echo(f"{readme} is up to date.")
        return
    if check_only:
        click.echo(f"{readme} is out of date; run python build.py docs", err=True)
        sys.exit(1)
    reference.write_readme(readme, generated)
    click.echo(f"Updated {readme}.")


@cli.command()
@click.pass_context
@reports_errors
def plugins(ctx: click.Context) -> None:
    """List the plugins switched on, where each comes from and its hooks."""
    from portal.plugins import plugins_for
    from portal.plugins.commands import describe_plugins

    for line in describe_plugins(plugins_for(ctx.obj["content"])):
        click.echo(line)


def main() -> None:
    """Run the command line."""
    cli(prog_name="townsquare")
