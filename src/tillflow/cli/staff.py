"""``tillflow staff``: staff members who sign in at registers, and register pairing."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.cli.common import free_text, store

app = typer.Typer(help="Staff and register pairing.", no_args_is_help=True)
CLI_ADMIN = ("cli", "admin")


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="The name shown at the register.",
                                      callback=free_text)],
    role: Annotated[str, typer.Option(help="cashier, manager or admin.")],
    pin: Annotated[str, typer.Option(help="4-8 digits; stored only as a scrypt hash.")],
) -> None:
    """Add a staff member who signs in at registers with a PIN."""
    from tillflow.services import staff

    with store() as ctx:
        staff.add_staff(ctx, name=name, role=role, pin=pin)
    typer.echo(f"{name.strip()} can sign in as {role}")


@app.command("pair")
def pair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Print a new pairing token for a register (shown only this once)."""
    from tillflow.services import staff

    with store() as ctx:
        token = staff.pair_register(ctx, register=register)
    typer.echo(token)


@app.command("unpair")
def unpair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Revoke a register's pairing: its signed-in staff are signed out at once."""
    from tillflow.services import staff
    from tillflow.services.context import Actor

    with store() as ctx:
        ended = staff.unpair_register(ctx, Actor(*CLI_ADMIN), register=register)
    typer.echo(f"{register} is no longer paired ({ended} session(s) ended); "
               f"pair it again with: tillflow staff pair --register {register}")
