"""``tillflow connection check NAME``: prove a payments connection before going live."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.bootstrap import open_context
from tillflow.domain.errors import DomainError
from tillflow.services.payments.checks import check_connection
from tillflow.services.setup import NotInitialised
from tillflow.settings import Settings

connection_app = typer.Typer(help="Payment connections.", no_args_is_help=True)


@connection_app.command("check")
def check(name: Annotated[str, typer.Argument(help="The connection's name.")]) -> None:
    """Check credentials and webhook signing; in test mode, authorize and void 1.00."""
    try:
        with open_context(Settings.from_env()) as ctx:
            report = check_connection(ctx, name)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(code=1) from None
    except NotInitialised as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    for result in report["checks"]:
        typer.echo(f"{'ok  ' if result['ok'] else 'FAIL'} {result['name']}: {result['detail']}")
    typer.echo(f"{name} ({report['mode']} mode): {'ready' if report['ok'] else 'NOT ready'}")
    if not report["ok"]:
        raise typer.Exit(code=1)
