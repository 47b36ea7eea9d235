"""Stock use cases: adjust, count, transfer, receive, and read levels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from tillflow.domain.catalog import Product
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.domain.inventory import (
    Movement,
    MovementKind,
    count_difference,
    validate_adjustment,
    validate_count,
    validate_transfer,
)
from tillflow.domain.money import parse_decimal
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import Discrepancy, Drift, Location, RecordedMovement, StockLevel
from tillflow.services import payloads
from tillflow.services.context import Actor, ServiceContext

QUANTITY_PLACES = 3


def parse_quantity(raw: object, *, field: str = "quantity") -> Decimal:
    return parse_decimal(raw, field=field, places=QUANTITY_PLACES)


def stock_of(ctx: ServiceContext, sku: str) -> tuple[Product, list[StockLevel]]:
    with ctx.uow(read_only=True) as uow:
        product = _product(uow, sku)
        assert product.id is not None
        return product, uow.stock.levels(product.id)


ADJUSTMENT_KINDS = {"adjustment": MovementKind.ADJUSTMENT, "receipt": MovementKind.RECEIPT}


def adjust(ctx: ServiceContext, actor: Actor, *, sku: str, location: str, delta: object,
           reason: str, kind: str = "adjustment") -> RecordedMovement:
    """Change stock for a stated reason; ``kind="receipt"`` records goods received."""
    amount = parse_quantity(delta, field="delta")
    validate_adjustment(amount, reason)
    if kind not in ADJUSTMENT_KINDS:
        raise InvalidInput("kind must be \"adjustment\" or \"receipt\"", details={"field": "kind"})
    if kind == "receipt" and amount < 0:
        raise InvalidInput("a receipt adds stock: delta must be positive",
                           details={"field": "delta"})
    with ctx.uow() as uow:
        product, loc = _product(uow, sku), _location(uow, location)
        [recorded] = record_movements(uow, actor, {_id(product): product.sku}, [loc], [
            Movement(_id(product), loc.id, ADJUSTMENT_KINDS[kind], amount, reason=reason.strip()),
        ])
        uow.commit()
    return recorded


def count(ctx: ServiceContext, actor: Actor, *, sku: str, location: str,
          counted: object) -> RecordedMovement:
    """Record a stock count as the movement that brings the ledger to the counted figure."""
    quantity = parse_quantity(counted, field="counted")
    validate_count(quantity)
    with ctx.uow() as uow:
        product, loc = _product(uow, sku), _location(uow, location)
        on_hand = uow.stock.on_hand(_id(product), loc.id)
        difference = count_difference(counted=quantity, on_hand=on_hand)
        [recorded] = record_movements(uow, actor, {_id(product): product.sku}, [loc], [
            Movement(_id(product), loc.id, MovementKind.COUNT, difference,
                     reason=f"counted {payloads.quantity(quantity)}"),
        ], guard=False)
        uow.commit()
    return recorded


def transfer(ctx: ServiceContext, actor: Actor, *, sku: str, from_location: str,
             to_location: str, quantity: object) -> list[RecordedMovement]:
    amount = parse_quantity(quantity)
    validate_transfer(from_location, to_location, amount)
    with ctx.uow() as uow:
        product = _product(uow, sku)
        source, target = _location(uow, from_location), _location(uow, to_location)
        reference = f"transfer:{source.code}>{target.code}"
        recorded = record_movements(uow, actor, {_id(product): product.sku}, [source, target], [
            Movement(_id(product), source.id, MovementKind.TRANSFER, -amount,
                     reason=f"to {target.code}", reference=reference),
            Movement(_id(product), target.id, MovementKind.TRANSFER, amount,
                     reason=f"from {source.code}", reference=reference),
        ])
        uow.commit()
    return recorded


def record_movements(
    uow: UnitOfWork,
    actor: Actor,
    skus: Mapping[int, str],
    locations: Sequence[Location],
    movements: Sequence[Movement],
    *,
    guard: bool = True,
) -> list[RecordedMovement]:
    """Apply movements and emit one ``stock.changed`` event per movement.

    ``guard=False`` lets a count take stock where the figure says, even below zero.
    """
    code_of = {loc.id: loc.code for loc in locations}
    allow_negative = {loc.id: (loc.allow_negative_stock or not guard) for loc in locations}
    recorded = uow.stock.apply(movements, allow_negative=allow_negative, actor=actor.name,
                               now=uow.now, sku_of=skus)
    for r in recorded:
        uow.emit("stock.changed", {
            "sku": skus[r.movement.product_id],
            "location": code_of[r.movement.location_id],
            "kind": r.movement.kind.value,
            "delta": payloads.quantity(r.movement.quantity),
            "on_hand": payloads.quantity(r.balance_after),
            "reason": r.movement.reason,
            "reference": r.movement.reference,
        })
    return recorded


def record_shortfalls(uow: UnitOfWork, recorded: Sequence[RecordedMovement],
                      location: Location, *, sale_id: str | None,
                      skus: Mapping[int, str]) -> None:
    """A discrepancy (and its event) for every level these movements took below zero."""
    for r in recorded:
        if r.balance_after >= 0:
            continue
        shortfall = min(-r.balance_after, -r.movement.quantity)
        reason = f"{r.movement.kind.value} took stock below zero"
        uow.stock.add_discrepancy(product_id=r.movement.product_id, location_id=location.id,
                                  sale_id=sale_id, shortfall=shortfall,
                                  on_hand_after=r.balance_after, reason=reason, now=uow.now)
        uow.emit("stock.discrepancy", {
            "sku": skus[r.movement.product_id], "location": location.code, "sale_id": sale_id,
            "shortfall": payloads.quantity(shortfall),
            "on_hand": payloads.quantity(r.balance_after), "reason": reason,
        })


def list_discrepancies(ctx: ServiceContext, *, open_only: bool = True,
                       limit: int = 500) -> list[Discrepancy]:
    with ctx.uow(read_only=True) as uow:
        return uow.stock.discrepancies(open_only=open_only, limit=limit)


def verify_ledger(ctx: ServiceContext) -> list[Drift]:
    with ctx.uow(read_only=True) as uow:
        return uow.stock.drift()


def _product(uow: UnitOfWork, sku: str) -> Product:
    product = uow.products.get(sku)
    if product is None:
        raise NotFound(f"no product with SKU {sku!r}", details={"sku": sku})
    return product


def _location(uow: UnitOfWork, code: str) -> Location:
    location = uow.locations.get(code)
    if location is None:
        raise InvalidInput(f"unknown location {code!r}", details={"location": code})
    return location


def _id(product: Product) -> int:
    assert product.id is not None
    return product.id
