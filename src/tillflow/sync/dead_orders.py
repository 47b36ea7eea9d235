"""Web orders tillflow cannot record: one dead letter each, never a blocked queue.

Whatever path brought the order (a webhook, a poll, the reconciler), an order refused
for its own sake (an unknown or withdrawn SKU, figures that do not add up, another
currency, unreadable contact details) becomes a dead letter carrying the reason and the
shop's order id, and the path goes on with the next order. A replay fetches the order
as the shop holds it then and applies it again; an order applied by any path later
(say, once its SKU exists) clears its dead letter.
"""

from __future__ import annotations

import hashlib

import structlog

from tillflow.db.uow import connection_of
from tillflow.ports.commerce import CommerceChannel, Rejected
from tillflow.services.context import ServiceContext
from tillflow.sync import work_queue
from tillflow.sync.channels import Shop
from tillflow.sync.inbound import apply_order, is_refusal

log = structlog.get_logger("tillflow.sync")


def dead_letter_order(ctx: ServiceContext, shop: Shop, external_id: str,
                      exc: BaseException, *, version: str | None = None) -> None:
    """``version`` is the order's ``updated_at`` when known: polling passes that copy by
    rather than refusing it again at every pass."""
    reason = str(exc)
    with ctx.uow() as uow:
        work_queue.dead_letter(connection_of(uow), shop.name, kind=work_queue.WEB_ORDER,
                               key=work_queue.order_key(external_id),
                               payload={"external_id": external_id, "version": version},
                               reason=reason, now=uow.now)
        uow.commit()
    log.warning("web order dead-lettered", connection=shop.name, order=external_id,
                reason=reason)


def dead_letter_body(ctx: ServiceContext, name: str, body: bytes, reason: str) -> None:
    """A signed webhook whose body cannot be read: kept once per body, with its reason."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    with ctx.uow() as uow:
        work_queue.dead_letter(connection_of(uow), name, kind=work_queue.WEBHOOK,
                               key=f"webhook:{digest}",
                               payload={"external_id": None, "size": len(body)},
                               reason=f"the webhook's body cannot be read: {reason}",
                               now=uow.now)
        uow.commit()


def replay_order(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                 external_id: str) -> str:
    """Fetch and apply a dead-lettered order; still refused: ``Rejected`` with the reason."""
    order = channel.order(external_id)
    if order is None:
        raise Rejected(f"the shop no longer has order {external_id}")
    try:
        return apply_order(ctx, shop, order)
    except Exception as exc:
        if is_refusal(exc):
            raise Rejected(str(exc)) from exc
        raise


def dead_version(ctx: ServiceContext, shop: Shop, external_id: str) -> str | None:
    """The copy of an order its dead letter was refused at, while it is dead."""
    with ctx.uow(read_only=True) as uow:
        return work_queue.dead_order_version(connection_of(uow), shop.name, external_id)
