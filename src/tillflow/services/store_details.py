"""The store's details an admin may change while it runs: its name and address on
receipts, and the time zone whose days the reports count."""

from __future__ import annotations

from typing import Any

from tillflow.domain.store import time_zone
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext


def describe(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        details = uow.details.read()
    return {"name": details.name, "address": details.address, "timezone": details.timezone}


def change(ctx: ServiceContext, actor: Actor, *, name: str | None = None,
           address: str | None = None, timezone: str | None = None) -> dict[str, Any]:
    """Replace the details given (audited); the others keep their value."""
    if timezone is not None:
        time_zone(timezone)
    with ctx.uow() as uow:
        before = uow.details.read()
        uow.details.write(name=name, address=address, timezone=timezone)
        after = uow.details.read()
        if after != before:
            audit.record(uow, actor, "settings.store_changed", subject="store",
                         before={"name": before.name, "address": before.address,
                                 "timezone": before.timezone},
                         after={"name": after.name, "address": after.address,
                                "timezone": after.timezone})
        uow.commit()
    return describe(ctx)
