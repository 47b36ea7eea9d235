"""Stock as the back office reads it: levels by product × location with reorder points
and units in transit, and a SKU's ledger history with the reason of each movement."""

from __future__ import annotations

from decimal import Decimal

from tillflow.domain.errors import NotFound
from tillflow.domain.stock_documents import check_reorder_point
from tillflow.ports.stock_records import LevelRow, MovementRow
from tillflow.services import audit, stock_documents
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity


def list_levels(ctx: ServiceContext, *, location: str | None, low_only: bool,
                query: str | None, after: tuple[str, str] | None,
                limit: int) -> tuple[list[LevelRow], tuple[str, str] | None]:
    """A page of levels in (SKU, location) order, and where the next page starts."""
    with ctx.uow(read_only=True) as uow:
        location_id = (None if location is None
                       else stock_documents.location(uow, location, field="location").id)
        rows = uow.stock_documents.levels(location_id=location_id, low_only=low_only,
                                          query=query, after=after, limit=limit + 1)
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return rows[:limit], (last.sku, last.location) if last else None


def set_reorder_point(ctx: ServiceContext, actor: Actor, *, sku: str, location: str,
                      reorder_point: object | None) -> Decimal | None:
    """Set (or, with None, remove) the reorder point of ``sku`` at ``location``."""
    value = (None if reorder_point is None
             else check_reorder_point(parse_quantity(reorder_point, field="reorder_point")))
    with ctx.uow() as uow:
        found = stock_documents.product(uow, sku, field="sku")
        where = stock_documents.location(uow, location, field="location")
        uow.stock_documents.set_reorder_point(product_id=found.id, location_id=where.id,
                                              reorder_point=value, now=uow.now)
        audit.record(uow, actor, "stock.reorder_point_set", subject=f"sku:{sku}",
                     location=location, reorder_point=None if value is None else str(value))
        uow.commit()
    return value


def history(ctx: ServiceContext, *, sku: str, location: str | None, before: int | None,
            limit: int) -> tuple[list[MovementRow], int | None]:
    """The SKU's movements, newest first, and the cursor of the next (older) page."""
    with ctx.uow(read_only=True) as uow:
        found = uow.products.get(sku)
        if found is None or found.id is None:
            raise NotFound(f"no product with SKU {sku!r}", details={"sku": sku})
        location_id = (None if location is None
                       else stock_documents.location(uow, location, field="location").id)
        rows = uow.stock_documents.history(found.id, location_id=location_id, before=before,
                                           limit=limit + 1)
    more = len(rows) > limit
    return rows[:limit], rows[limit - 1].id if more else None
