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

log = logging.getLogger(__name__)

F = Callable[..., Any]


class _EchoHandler(logging.Handler):
    """Send log records to the terminal through click, one line each."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        click.echo(f"{prefix}{record.getMessage()}", err=True)


def _setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * verbose + 10 * quiet
    root = logging.getLogger("portal")
    root.handlers[:] = [_EchoHandler()]
    root.setLevel(max(logging.DEBUG, level))
    root.propagate = False


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
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
        click.option("--strict", is_flag=True, default=None, help="Treat warnings as errors."),
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


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: os.environ.get("TOWNSQUARE_CONTENT", "content"),
    show_default="content",
    help="The folder of Markdown content.",
)
@click.option("-v", "--verbose", count=True, help="Say more; twice for debugging detail.")
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
@content_options
@click.pass_context
@reports_errors
def build(
    ctx: click.Context,
    output: Path | None = None,
    workers: int | None = None,
    now: dt.datetime | None = None,
    strict: bool | None = None,
) -> None:
    """Build the hub into public/, replacing the live site atomically."""
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
        )
    click.echo(report.summary())


@cli.command()
@content_options
@click.pass_context
@reports_errors
def check(ctx: click.Context, now: dt.datetime | None, strict: bool | None) -> None:
    """Validate the content without writing anything."""
    from portal.build import check_site

    site = check_site(
        ctx.obj["content"], now=_setting(ctx, "now", now), strict=_setting(ctx, "strict", strict)
    )
    count = sum(1 for _ in site.records())
    warnings = len(site.warnings)
    click.echo(f"The content is valid: {count} published files, {warnings} warnings.")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
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
@click.option("--readme", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default="README.md", show_default=True, help="The README to update.")
@click.option("--check", "check_only", is_flag=True,
              help="Only say whether the README is up to date; exit 1 if not.")
def docs(readme: Path, check_only: bool) -> None:
    """Rewrite the README's reference tables from the code."""
    from portal import docs as reference

    generated = reference.regions(cli)
    text = readme.read_text(encoding="utf-8")
    if reference.update(text, generated) == text:
        click.echo(f"{readme} is up to date.")
        return
    if check_only:
        click.echo(f"{readme} is out of date; run python build.py docs", err=True)
        sys.exit(1)
    reference.write_readme(readme, generated)
    click.echo(f"Updated {readme}.")


def main() -> None:
    """Run the command line."""
    cli(prog_name="townsquare")
