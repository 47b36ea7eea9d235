"""What a register's card terminal is doing, and cancelling the payment it waits on.

The register shows the terminal's progress while its sale request waits for the card,
and can cancel: the terminal is asked to stop waiting (Adyen's AbortRequest), and the
waiting sale request then answers ``payment_declined`` with the terminal's reason. An
abort never gives money back, so a card taken just before the cancel still makes the
sale: nothing is charged twice or lost.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from tillflow.domain.errors import Conflict, NotFound
from tillflow.ports.payments import GatewayError, PaymentOrder
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import lifecycle, records, terminals
from tillflow.services.payments.gateways import gateways_of


@runtime_checkable
class Abortable(Protocol):
    """A gateway whose terminal can be told to stop waiting for the card."""

    def abort(self, order: PaymentOrder) -> None: ...


def progress(ctx: ServiceContext, actor: Actor, register: str) -> dict[str, Any]:
    actor.check_register(register)
    found = terminals.terminal_of(ctx, register)
    if found is None:
        raise NotFound(f"register {register!r} has no card terminal",
                       details={"register": register})
    with ctx.uow(read_only=True) as uow:
        waiting = uow.payments.waiting_for_terminal(register)
    return {"register": register, "connection": found[0], "terminal": found[1],
            "payment": None if waiting is None else records.payload(waiting, ctx)}


def cancel(ctx: ServiceContext, actor: Actor, register: str) -> dict[str, Any]:
    """Ask the register's terminal to stop waiting for the card of its current payment."""
    actor.check_register(register)
    with ctx.uow(read_only=True) as uow:
        waiting = uow.payments.waiting_for_terminal(register)
    if waiting is None:
        raise Conflict("no card payment is waiting at this register's terminal",
                       details={"register": register})
    gateway = gateways_of(ctx).connection(ctx, waiting.connection).gateway
    if not isinstance(gateway, Abortable):
        raise Conflict("this terminal cannot be cancelled from the register; cancel on the "
                       "terminal itself", details={"payment": waiting.id})
    try:
        gateway.abort(lifecycle.order_of(waiting))
    except GatewayError:
        raise Conflict("the terminal did not take the cancel; cancel on the terminal itself",
                       details={"payment": waiting.id}) from None
    return {"payment": waiting.id, "cancel_requested": True}
