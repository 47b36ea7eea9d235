"""A register's own state: the sales parked there and its favourite products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, Row, delete, insert, select

from tillflow.db.tables import products, registers
from tillflow.db.tables_register import parked_sales, register_favourites
from tillflow.ports.records import ParkedSale


class TillRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def park(self, sale: ParkedSale, *, register_id: int) -> None:
        self._connection.execute(insert(parked_sales).values(
            id=sale.id, register_id=register_id, label=sale.label,
            cart=orjson.dumps(sale.cart).decode(), parked_by=sale.parked_by,
            parked_at=sale.parked_at))

    def parked(self, register_id: int) -> list[ParkedSale]:
        rows = self._connection.execute(
            _PARKED.where(parked_sales.c.register_id == register_id)
            .order_by(parked_sales.c.parked_at, parked_sales.c.id)).all()
        return [_parked(row) for row in rows]

    def take(self, parked_id: str, *, register_id: int) -> ParkedSale | None:
        row = self._connection.execute(
            _PARKED.where(parked_sales.c.id == parked_id,
                          parked_sales.c.register_id == register_id)).first()
        if row is None:
            return None
        # The delete decides: of two registers resuming at once, one removes the row.
        taken = self._connection.execute(
            delete(parked_sales).where(parked_sales.c.id == parked_id)).rowcount
        return _parked(row) if taken == 1 else None

    def favourites(self, register_id: int) -> list[str]:
        return list(self._connection.execute(
            select(products.c.sku)
            .join(register_favourites, register_favourites.c.product_id == products.c.id)
            .where(register_favourites.c.register_id == register_id)
            .order_by(register_favourites.c.position)).scalars())

    def set_favourites(self, register_id: int, product_ids: Sequence[int]) -> None:
        self._connection.execute(delete(register_favourites)
                                 .where(register_favourites.c.register_id == register_id))
        if product_ids:
            self._connection.execute(insert(register_favourites), [
                {"register_id": register_id, "position": position, "product_id": product_id}
                for position, product_id in enumerate(product_ids, start=1)])


_PARKED = (select(parked_sales, registers.c.code.label("register_code"))
           .join(registers, registers.c.id == parked_sales.c.register_id))


def _parked(row: Row[Any]) -> ParkedSale:
    return ParkedSale(id=row.id, register=row.register_code, label=row.label,
                      cart=orjson.loads(row.cart), parked_by=row.parked_by,
                      parked_at=row.parked_at)
