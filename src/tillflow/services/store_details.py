"""The store's details, the one place they are changed: its name, address and tax id
(printed on every receipt) and the time zone whose days the reports count. What receipts
print below them (footer, logo) is ``receipts.store_settings``'s."""

from __future__ import annotations

from typing import Any

from tillflow.domain.errors import InvalidInput
from tillflow.domain.store import time_zone
from tillflow.ports.records import StoreDetails
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext


def describe(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        return _fields(uow.details.read())


def change(ctx: ServiceContext, actor: Actor, *, name: str | None = None,
           address: str | None = None, tax_id: str | None = None,
           timezone: str | None = None) -> dict[str, Any]:
    """Replace the details given (audited with what they were); the others keep their value.
    An empty address or tax id clears it; a store always keeps a name."""
    if name is not None and not name.strip():
        raise InvalidInput("a store needs a name", details={"field": "name"})
    if timezone is not None:
        time_zone(timezone)
    with ctx.uow() as uow:
        before = _fields(uow.details.read())
        uow.details.write(name=name, address=address, tax_id=tax_id, timezone=timezone)
        after = _fields(uow.details.read())
        if after != before:
            audit.record(uow, actor, "settings.store_changed", subject="store",
                         before=before, after=after)
        uow.commit()
    return after


def _fields(details: StoreDetails) -> dict[str, Any]:
    return {"name": details.name, "address": details.address,
            "tax_id": details.tax_id or None, "timezone": details.timezone}
