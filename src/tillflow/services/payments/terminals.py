"""Which card terminal each register uses, through which payments connection."""

from __future__ import annotations

from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.services.context import ServiceContext
from tillflow.services.payments.gateways import gateways_of


def set_terminal(ctx: ServiceContext, *, register: str, connection: str,
                 terminal: str) -> dict[str, str]:
    gateways_of(ctx).connection(ctx, connection)
    if not terminal.strip():
        raise InvalidInput("terminal must not be empty", details={"field": "terminal"})
    with ctx.uow() as uow:
        if not uow.payments.set_terminal(
                register_code=register, connection=connection, terminal=terminal,
                now=uow.now):
            raise NotFound(f"no register {register!r}", details={"register": register})
        view = {"register": register, "connection": connection, "terminal": terminal}
        uow.emit("register.terminal_set", view)
        uow.commit()
    return view


def terminal_of(ctx: ServiceContext, register: str) -> tuple[str, str] | None:
    """The (connection, terminal) a register pays with, if one is set."""
    with ctx.uow(read_only=True) as uow:
        return uow.payments.terminal_of(register)
