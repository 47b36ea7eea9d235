"""``tillflow staff``: staff members who sign in at registers, and register pairing."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from tillflow.bootstrap import open_context
from tillflow.domain.errors import DomainError
from tillflow.services import staff
from tillflow.services.context import Actor
from tillflow.services.setup import NotInitialised
from tillflow.settings import Settings

staff_app = typer.Typer(help="Staff and register pairing.", no_args_is_help=True)
errors = Console(stderr=True)


@staff_app.command("add")
def add(
    name: Annotated[str, typer.Option(help="The name shown at the register.")],
    role: Annotated[str, typer.Option(help="cashier, manager or admin.")],
    pin: Annotated[str, typer.Option(help="4-8 digits; stored only as a scrypt hash.")],
) -> None:
    """Add a staff member who signs in at registers with a PIN."""
    try:
        with open_context(Settings.from_env()) as ctx:
            staff.add_staff(ctx, name=name, role=role, pin=pin)
    except (NotInitialised, DomainError) as exc:
        errors.print(f"[red]error:[/red] {getattr(exc, 'message', str(exc))}")
        raise typer.Exit(code=1) from None
    typer.echo(f"{name.strip()} can sign in as {role}")


@staff_app.command("pair")
def pair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Print a new pairing token for a register (shown only this once)."""
    try:
        with open_context(Settings.from_env()) as ctx:
            token = staff.pair_register(ctx, register=register)
    except (NotInitialised, DomainError) as exc:
        errors.print(f"[red]error:[/red] {getattr(exc, 'message', str(exc))}")
        raise typer.Exit(code=1) from None
    typer.echo(token)


@staff_app.command("unpair")
def unpair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Revoke a register's pairing: its signed-in staff are signed out at once."""
    try:
        with open_context(Settings.from_env()) as ctx:
            ended = staff.unpair_register(ctx, Actor(name="cli", role="admin"),
                                          register=register)
    except (NotInitialised, DomainError) as exc:
        errors.print(f"[red]error:[/red] {getattr(exc, 'message', str(exc))}")
        raise typer.Exit(code=1) from None
    typer.echo(f"{register} is no longer paired ({ended} session(s) ended); "
               f"pair it again with: tillflow staff pair --register {register}")
