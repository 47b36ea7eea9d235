"""``tillflow staff``: staff members who sign in at registers, and register pairing."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.cli.common import command_group, console, free_text, operator, store

app = command_group("Staff and register pairing.")


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
        staff.add_staff(ctx, name=name, role=role, pin=pin, by=operator())
    typer.echo(f"{name.strip()} can sign in as {role}")


@app.command("pair")
def pair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Print a new pairing token for a register (shown only this once)."""
    from tillflow.services import staff

    with store() as ctx:
        token = staff.pair_register(ctx, register=register, by=operator())
    typer.echo(token)


@app.command("unpair")
def unpair(register: Annotated[str, typer.Option(help="The register's code.")]) -> None:
    """Revoke a register's pairing: its signed-in staff are signed out at once."""
    from tillflow.services import staff

    with store() as ctx:
        ended = staff.unpair_register(ctx, operator(), register=register)
    typer.echo(f"{register} is no longer paired ({ended} session(s) ended); "
               f"pair it again with: tillflow staff pair --register {register}")


@app.command("list")
def list_staff() -> None:
    """Who may sign in at registers, and who may not any more."""
    from rich.table import Table

    from tillflow.services import staff_admin

    with store() as ctx:
        found = staff_admin.list_staff(ctx)
    table = Table("name", "role", "active", "locked until")
    for member in found:
        table.add_row(member.name, member.role, "yes" if member.active else "no",
                      member.locked_until.strftime("%Y-%m-%d %H:%M:%S")
                      if member.locked_until else "")
    console.print(table)


@app.command("deactivate")
def deactivate(name: Annotated[str, typer.Argument(help="The staff member's name.")]) -> None:
    """Withdraw a member's access: they cannot sign in, their sessions end at once."""
    from tillflow.services import staff_admin

    with store() as ctx:
        ended = staff_admin.set_active(ctx, operator(), name, active=False)
    typer.echo(f"{name} deactivated ({ended} session(s) ended)")


@app.command("activate")
def activate(name: Annotated[str, typer.Argument(help="The staff member's name.")]) -> None:
    """Give a deactivated member their access back."""
    from tillflow.services import staff_admin

    with store() as ctx:
        staff_admin.set_active(ctx, operator(), name, active=True)
    typer.echo(f"{name} may sign in again")


@app.command("pin")
def reset_pin(
    name: Annotated[str, typer.Argument(help="The staff member's name.")],
    pin: Annotated[str, typer.Option(prompt="New PIN", hide_input=True,
                                     confirmation_prompt=True,
                                     help="4-8 digits (asked for when left out).")],
) -> None:
    """Reset a member's PIN: a lockout ends, and so do their sessions."""
    from tillflow.services import staff_admin

    with store() as ctx:
        ended = staff_admin.reset_pin(ctx, operator(), name, pin=pin)
    typer.echo(f"{name}'s PIN was reset ({ended} session(s) ended)")


@app.command("password")
def set_password(
    name: Annotated[str, typer.Argument(help="The manager's or admin's name.")],
    password: Annotated[str, typer.Option(prompt="New password", hide_input=True,
                                          confirmation_prompt=True,
                                          help="Their back-office password, at least 10 "
                                               "characters (asked for when left out).")],
) -> None:
    """Set a member's back-office password (apart from their PIN): their office sessions
    end; managers and admins then sign in at /office/."""
    from tillflow.services import office_sessions

    with store() as ctx:
        ended = office_sessions.set_password(ctx, operator(), name, password=password)
    typer.echo(f"{name}'s back-office password was set ({ended} session(s) ended)")
