"""The prices each register last read from the catalog, and the price discrepancies of
sales made offline at those prices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select

from tillflow.db.dialects import insert_for
from tillflow.db.tables import products, registers
from tillflow.db.tables_controls import price_discrepancies, register_prices
from tillflow.domain.money import Currency
from tillflow.ports.records import PriceDiscrepancy, SyncedPrice


class RegisterPriceRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    def record(self, register_id: int, prices: Mapping[int, Decimal], *,
               now: datetime) -> None:
        if not prices:
            return
        to_minor = self._currency.to_minor
        statement = insert_for(self._connection, register_prices).values([
            {"register_id": register_id, "product_id": product_id, "price": to_minor(price),
             "synced_at": now} for product_id, price in sorted(prices.items())])
        # A price the register had already keeps the moment it first got it.
        self._connection.execute(statement.on_conflict_do_update(
            index_elements=[register_prices.c.register_id, register_prices.c.product_id],
            set_={"price": statement.excluded.price, "synced_at": statement.excluded.synced_at},
            where=register_prices.c.price != statement.excluded.price))

    def synced(self, register_id: int, product_ids: Iterable[int]) -> dict[int, SyncedPrice]:
        rows = self._connection.execute(
            select(register_prices.c.product_id, register_prices.c.price,
                   register_prices.c.synced_at)
            .where(register_prices.c.register_id == register_id,
                   register_prices.c.product_id.in_(list(product_ids))))
        money = self._currency.from_minor
        return {r.product_id: SyncedPrice(price=money(r.price), synced_at=r.synced_at)
                for r in rows}

    def add_discrepancy(self, *, sale_id: str, product_id: int, register_id: int,
                        synced: SyncedPrice, catalog_price: Decimal, quantity: Decimal,
                        now: datetime) -> None:
        to_minor = self._currency.to_minor
        self._connection.execute(insert(price_discrepancies).values(
            sale_id=sale_id, product_id=product_id, register_id=register_id,
            synced_price=to_minor(synced.price), catalog_price=to_minor(catalog_price),
            quantity=quantity, synced_at=synced.synced_at, created_at=now))

    def discrepancies(self, *, limit: int) -> list[PriceDiscrepancy]:
        found = price_discrepancies.c
        rows = self._connection.execute(
            select(found.id, found.sale_id, products.c.sku, registers.c.code,
                   found.synced_price, found.catalog_price, found.quantity, found.synced_at,
                   found.created_at)
            .join(products, products.c.id == found.product_id)
            .join(registers, registers.c.id == found.register_id)
            .order_by(found.id.desc()).limit(limit))
        money = self._currency.from_minor
        return [PriceDiscrepancy(id=r.id, sale_id=r.sale_id, sku=r.sku, register=r.code,
                                 synced_price=money(r.synced_price),
                                 catalog_price=money(r.catalog_price), quantity=r.quantity,
                                 synced_at=r.synced_at, created_at=r.created_at)
                for r in rows]
