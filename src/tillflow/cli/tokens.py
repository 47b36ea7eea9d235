"""``tillflow token``: API tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.cli.common import command_group, console, free_text, operator, store

app = command_group("API tokens.")


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help="admin, manager, cashier or integration.")],
    name: Annotated[str, typer.Option(help="Who or what uses the token.",
                                      callback=free_text)] = "",
    register: Annotated[str | None, typer.Option(
        help="Bind a cashier's or manager's token to this register: it acts only there.")] = None,
    expires_in_days: Annotated[int | None, typer.Option(
        min=1, help="The token stops working after this many days.")] = None,
) -> None:
    """Create an API token and print it (it is shown only this once)."""
    from datetime import UTC, datetime, timedelta

    from tillflow.services import tokens

    expires_at = None if expires_in_days is None else \
        datetime.now(UTC) + timedelta(days=expires_in_days)
    with store() as ctx:
        made = tokens.issue_token(ctx, operator(), role=role, name=name or role,
                                  register=register, expires_at=expires_at)
    typer.echo(made.token)


@app.command("list")
def list_tokens() -> None:
    """The live tokens (never their secrets): id, name, role, register, expiry, last use."""
    from rich.table import Table

    from tillflow.services import tokens

    with store() as ctx:
        found = tokens.list_tokens(ctx)
    table = Table("id", "name", "role", "register", "created", "expires", "last used")
    for t in found:
        table.add_row(str(t.id), t.name, t.role, t.register or "", _when(t.created_at),
                      _when(t.expires_at), _when(t.last_used_at))
    console.print(table)


@app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(
        min=1, max=2**31 - 1, help="The token's id (token list).")]) -> None:
    """Revoke a token: every API process refuses it within a second."""
    from tillflow.services import tokens

    with store() as ctx:
        revoked = tokens.revoke_token(ctx, operator(), token_id)
    typer.echo(f"token {revoked.id} ({revoked.name}, {revoked.role}) revoked")


def _when(moment: object) -> str:
    from datetime import datetime

    return moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""
