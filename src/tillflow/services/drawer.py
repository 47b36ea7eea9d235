"""A cash drawer opened without a sale: the register tells the server before it opens
the drawer, and the opening is in the audit trail with who opened it and why."""

from __future__ import annotations

import uuid

from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext

MAX_REASON = 200


def drawer_opened(ctx: ServiceContext, actor: Actor, register: str, *, reason: str) -> str:
    """Record a drawer opening at ``register``; returns its id (the agent's idempotency
    key, so a retried opening is one opening)."""
    actor.check_register(register)
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(f"reason must have 1-{MAX_REASON} characters",
                           details={"field": "reason"})
    opening = str(uuid.uuid4())
    with ctx.uow() as uow:
        found = uow.registers.get(register)
        if found is None:
            raise NotFound(f"no register {register!r}", details={"register": register})
        shift = uow.shifts.open_shift_of(found.id)
        uow.emit("drawer.opened", {"id": opening, "register": register, "by": actor.name,
                                   "reason": reason, "shift_id": shift})
        audit.record(uow, actor, "drawer.opened", subject=f"register:{register}",
                     id=opening, reason=reason, shift_id=shift)
        uow.commit()
    return opening
