"""``tillflow token``: API tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.cli.common import free_text, store

app = typer.Typer(help="API tokens.", no_args_is_help=True)


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help="admin, manager, cashier or integration.")],
    name: Annotated[str, typer.Option(help="Who or what uses the token.",
                                      callback=free_text)] = "",
) -> None:
    """Create an API token and print it (it is shown only this once)."""
    from tillflow.services import tokens

    with store() as ctx:
        token = tokens.create_token(ctx, role=role, name=name or role)
    typer.echo(token)
