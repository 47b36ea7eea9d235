"""The stock ledger (append-only movements) and its cached balance rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, func, insert, select, update

from tillflow.db.dialects import insert_for
from tillflow.db.tables import (
    locations,
    products,
    stock_discrepancies,
    stock_levels,
    stock_movements,
)
from tillflow.db.types import QUANTITY
from tillflow.domain.errors import InsufficientStock
from tillflow.domain.inventory import Movement
from tillflow.ports.records import Discrepancy, Drift, RecordedMovement, StockLevel

# Checkout runs these for every line: built once, they skip per-call statement building.
_CHANGE_LEVEL = (
    update(stock_levels)
    .where(stock_levels.c.product_id == bindparam("product"),
           stock_levels.c.location_id == bindparam("location"))
    .values(on_hand=stock_levels.c.on_hand + bindparam("delta", type_=QUANTITY),
            updated_at=bindparam("now"))
    .returning(stock_levels.c.on_hand)
)
_TAKE_LEVEL = _CHANGE_LEVEL.where(stock_levels.c.on_hand >= bindparam("needed", type_=QUANTITY))
_RECORD_MOVEMENTS = insert(stock_movements)


class StockRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def on_hand(self, product_id: int, location_id: int) -> Decimal:
        value = self._connection.execute(
            select(stock_levels.c.on_hand).where(
                stock_levels.c.product_id == product_id,
                stock_levels.c.location_id == location_id,
            )
        ).scalar_one_or_none()
        return value if value is not None else Decimal(0)

    def levels(self, product_id: int) -> list[StockLevel]:
        rows = self._connection.execute(
            select(locations.c.code, stock_levels.c.on_hand)
            .join(locations, locations.c.id == stock_levels.c.location_id)
            .where(stock_levels.c.product_id == product_id)
            .order_by(locations.c.code)
        ).all()
        return [StockLevel(location=r.code, on_hand=r.on_hand) for r in rows]

    def apply(
        self,
        movements: Sequence[Movement],
        *,
        allow_negative: dict[int, bool],
        actor: str | None,
        now: datetime,
        sku_of: Mapping[int, str],
    ) -> list[RecordedMovement]:
        """Apply movements to the balances and append them to the ledger.

        Balances are changed with one conditional UPDATE each, taken in (product,
        location) order so concurrent writers never deadlock: a decrement that would
        take the level below zero where the location forbids it changes nothing and
        raises InsufficientStock (the caller's transaction is then rolled back).
        """
        ordered = sorted(movements, key=lambda m: (m.product_id, m.location_id))
        recorded = [
            RecordedMovement(m, self._change(m, allow_negative[m.location_id], now, sku_of))
            for m in ordered
        ]
        self._connection.execute(
            _RECORD_MOVEMENTS,
            [
                {
                    "product_id": r.movement.product_id,
                    "location_id": r.movement.location_id,
                    "kind": r.movement.kind.value,
                    "quantity": r.movement.quantity,
                    "balance_after": r.balance_after,
                    "reason": r.movement.reason,
                    "reference": r.movement.reference,
                    "actor": actor,
                    "occurred_at": now,
                }
                for r in recorded
            ],
        )
        return recorded

    def _change(
        self, movement: Movement, allow_negative: bool, now: datetime, sku_of: Mapping[int, str]
    ) -> Decimal:
        delta = movement.quantity
        guarded = delta < 0 and not allow_negative
        params = {"product": movement.product_id, "location": movement.location_id,
                  "delta": delta, "now": now}
        if guarded:
            params["needed"] = -delta
        balance = self._connection.execute(
            _TAKE_LEVEL if guarded else _CHANGE_LEVEL, params
        ).scalar_one_or_none()
        if balance is not None:
            return Decimal(balance)
        if guarded:
            available = self.on_hand(movement.product_id, movement.location_id)
            sku = sku_of[movement.product_id]
            raise InsufficientStock(
                f"not enough stock of {sku!r}: {available} on hand, {-delta} needed",
                details={"sku": sku, "on_hand": str(available), "requested": str(-delta)},
            )
        return self._create_level(movement, now)

    def _create_level(self, movement: Movement, now: datetime) -> Decimal:
        new_level = insert_for(self._connection, stock_levels).values(
            product_id=movement.product_id, location_id=movement.location_id,
            on_hand=movement.quantity, updated_at=now,
        )
        upsert = new_level.on_conflict_do_update(
            index_elements=[stock_levels.c.product_id, stock_levels.c.location_id],
            set_={"on_hand": stock_levels.c.on_hand + new_level.excluded.on_hand,
                  "updated_at": now},
        ).returning(stock_levels.c.on_hand)
        return Decimal(self._connection.execute(upsert).scalar_one())

    def drift(self) -> list[Drift]:
        """Balance rows that disagree with the sum of their ledger movements."""
        ledger = (
            select(stock_movements.c.product_id, stock_movements.c.location_id,
                   func.sum(stock_movements.c.quantity).label("total"))
            .group_by(stock_movements.c.product_id, stock_movements.c.location_id)
            .subquery()
        )
        rows = self._connection.execute(
            select(stock_levels.c.product_id, stock_levels.c.location_id,
                   stock_levels.c.on_hand, ledger.c.total)
            .join(ledger, (ledger.c.product_id == stock_levels.c.product_id)
                  & (ledger.c.location_id == stock_levels.c.location_id), isouter=True)
        ).all()
        drifts = []
        for r in rows:
            ledger_total = r.total if r.total is not None else Decimal(0)
            if r.on_hand != ledger_total:
                drifts.append(Drift(r.product_id, r.location_id, r.on_hand, ledger_total))
        return drifts

    def add_discrepancy(self, *, product_id: int, location_id: int, sale_id: str | None,
                        shortfall: Decimal, on_hand_after: Decimal, reason: str,
                        now: datetime) -> None:
        self._connection.execute(
            insert(stock_discrepancies).values(
                product_id=product_id, location_id=location_id, sale_id=sale_id,
                shortfall=shortfall, on_hand_after=on_hand_after, reason=reason,
                created_at=now,
            )
        )

    def discrepancies(self, *, open_only: bool, limit: int) -> list[Discrepancy]:
        statement = (
            select(stock_discrepancies, products.c.sku, locations.c.code)
            .join(products, products.c.id == stock_discrepancies.c.product_id)
            .join(locations, locations.c.id == stock_discrepancies.c.location_id)
            .order_by(stock_discrepancies.c.id).limit(limit)
        )
        if open_only:
            statement = statement.where(stock_discrepancies.c.resolved_at.is_(None))
        return [
            Discrepancy(id=r.id, sku=r.sku, location=r.code, sale_id=r.sale_id,
                        shortfall=r.shortfall, on_hand_after=r.on_hand_after, reason=r.reason,
                        created_at=r.created_at, resolved_at=r.resolved_at)
            for r in self._connection.execute(statement)
        ]
