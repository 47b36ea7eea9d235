"""Counting sessions: open one at a location, add scanned or typed counts, review the
differences with the ledger, then post them all as one transaction of count movements
(or cancel). Products not counted in the session keep their stock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.stock_documents import ADD, CANCELLED, POSTED, SET, counted_after
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.stock_records import StockCount
from tillflow.services import catalog, payloads, stock_documents
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity, record_movements

SCOPE = "stock_count"


@dataclass(frozen=True)
class Review:
    """A count and, per counted product, what the ledger holds: now while the count is
    open, at posting once posted."""

    count: StockCount
    on_hand: dict[int, Decimal]


@dataclass(frozen=True)
class CountEntry:
    """A scan (``barcode``, adds ``quantity``, 1 by default) or a typed figure (``sku``
    with ``mode`` "set" replaces the count, "add" adds to it)."""

    sku: str | None = None
    barcode: str | None = None
    quantity: object = 1
    mode: str | None = None


def open_count(ctx: ServiceContext, actor: Actor, *, location: str, note: str | None,
               idempotency_key: str | None, request_hash: str) -> tuple[Review, bool]:
    def create(uow: UnitOfWork, count_id: str) -> Review:
        where = stock_documents.location(uow, location, field="location")
        uow.stock_documents.add_count(count_id=count_id,
                                      number=stock_documents.number(uow, "CT"),
                                      location_id=where.id, note=note, now=uow.now,
                                      actor=actor.name)
        return _review(uow, count_id)

    return stock_documents.create_once(ctx, scope=SCOPE, key=idempotency_key,
                                       request_hash=request_hash, create=create,
                                       load=_review)


def record(ctx: ServiceContext, actor: Actor, count_id: str, entry: CountEntry) -> Review:
    """Add a scan or a typed count to an open session."""
    sku = _sku(ctx, entry)
    quantity = parse_quantity(entry.quantity, field="quantity")
    mode = entry.mode or (SET if entry.barcode is None else ADD)
    with ctx.uow() as uow:
        _lock_open(uow, count_id)
        item = stock_documents.product(uow, sku, field="sku")
        current = next((line.counted for line in _get(uow, count_id).lines
                        if line.product_id == item.id), None)
        uow.stock_documents.set_counted(count_id=count_id, product_id=item.id,
                                        counted=counted_after(current, quantity, mode),
                                        now=uow.now)
        review = _review(uow, count_id)
        uow.commit()
    return review


def review(ctx: ServiceContext, count_id: str) -> Review:
    with ctx.uow(read_only=True) as uow:
        return _review(uow, count_id)


def post(ctx: ServiceContext, actor: Actor, count_id: str) -> Review:
    """Book every difference as a count movement, in one transaction. Posting a posted
    count again changes nothing."""
    with ctx.uow() as uow:
        if not uow.stock_documents.lock_open_count(count_id):
            return _closed(uow, count_id, POSTED)
        count = _get(uow, count_id)
        if not count.lines:
            raise InvalidInput("nothing was counted: add counts or cancel the session",
                               details={"field": "lines"})
        where = stock_documents.location(uow, count.location, field="location")
        movements = []
        for line in count.lines:
            on_hand = uow.stock.on_hand(line.product_id, where.id)
            uow.stock_documents.record_on_hand(count_id=count_id, product_id=line.product_id,
                                               on_hand=on_hand)
            if line.counted != on_hand:
                movements.append(Movement(
                    line.product_id, where.id, MovementKind.COUNT, line.counted - on_hand,
                    reason=f"count {count.number}: counted {payloads.quantity(line.counted)}",
                    reference=count.number))
        record_movements(uow, actor, {line.product_id: line.sku for line in count.lines},
                         [where], movements, guard=False)
        uow.stock_documents.close_count(count_id, status=POSTED, now=uow.now, actor=actor.name)
        posted = _review(uow, count_id)
        uow.emit("stock_count.posted", describe(posted))
        uow.commit()
    return posted


def cancel(ctx: ServiceContext, actor: Actor, count_id: str) -> Review:
    with ctx.uow() as uow:
        if not uow.stock_documents.lock_open_count(count_id):
            return _closed(uow, count_id, CANCELLED)
        uow.stock_documents.close_count(count_id, status=CANCELLED, now=uow.now,
                                        actor=actor.name)
        cancelled = _review(uow, count_id)
        uow.commit()
    return cancelled


def list_counts(ctx: ServiceContext, *, status: str | None, limit: int) -> list[Review]:
    with ctx.uow(read_only=True) as uow:
        return [_review(uow, i) for i in uow.stock_documents.count_ids(status=status,
                                                                      limit=limit)]


def describe(review: Review) -> dict[str, object]:
    count, quantity = review.count, payloads.quantity
    return {
        "id": count.id, "number": count.number, "location": count.location,
        "status": count.status, "note": count.note,
        "lines": [{"sku": line.sku, "name": line.name, "counted": quantity(line.counted),
                   "on_hand": quantity(review.on_hand[line.product_id]),
                   "difference": quantity(line.counted - review.on_hand[line.product_id])}
                  for line in count.lines],
        "opened_at": count.opened_at.isoformat(), "opened_by": count.opened_by,
        "closed_at": count.closed_at.isoformat() if count.closed_at else None,
        "closed_by": count.closed_by,
    }


def _sku(ctx: ServiceContext, entry: CountEntry) -> str:
    if (entry.sku is None) == (entry.barcode is None):
        raise InvalidInput("send a sku or a barcode, not both", details={"field": "sku"})
    if entry.barcode is not None:
        try:
            return catalog.product_by_barcode(ctx, entry.barcode)[0].sku
        except (NotFound, InvalidInput) as exc:
            raise InvalidInput(exc.message, details={"field": "barcode"}) from None
    assert entry.sku is not None
    return entry.sku


def _lock_open(uow: UnitOfWork, count_id: str) -> None:
    if not uow.stock_documents.lock_open_count(count_id):
        count = _get(uow, count_id)
        raise Conflict(f"count {count.number} is {count.status}",
                       details={"status": count.status})


def _closed(uow: UnitOfWork, count_id: str, wanted: str) -> Review:
    """A count already closed: as it is if closed the way asked (a retry), else 409."""
    count = _get(uow, count_id)
    if count.status != wanted:
        raise Conflict(f"count {count.number} is {count.status}",
                       details={"status": count.status})
    return _review(uow, count_id)


def _get(uow: UnitOfWork, count_id: str) -> StockCount:
    found = uow.stock_documents.get_count(count_id)
    if found is None:
        raise NotFound(f"no count {count_id!r}", details={"id": count_id})
    return found


def _review(uow: UnitOfWork, count_id: str) -> Review:
    count = _get(uow, count_id)
    return Review(count=count, on_hand={
        line.product_id: line.on_hand if line.on_hand is not None
        else uow.stock.on_hand(line.product_id, count.location_id) for line in count.lines})
