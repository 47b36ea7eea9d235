"""Products as sold (the variants, one SKU each) and their barcodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from tillflow.db.tables import barcodes, product_groups, products, stock_levels
from tillflow.domain.catalog import Barcode, Product
from tillflow.domain.money import Currency
from tillflow.ports.records import PricedProduct

_FOR_CHECKOUT = select(
    products.c.id, products.c.sku, products.c.name, products.c.price, products.c.tax_rate,
    products.c.active,
).where(products.c.sku.in_(bindparam("skus", expanding=True)))
# A variant with what it shows of its product: the category and the options' names.
_VARIANTS = select(products, product_groups.c.category,
                   product_groups.c.options.label("group_options")).join(
    product_groups, product_groups.c.id == products.c.group_id)


class ProductRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    def get(self, sku: str, *, lock: bool = False) -> Product | None:
        """``lock``: hold the row until the transaction ends (PostgreSQL; SQLite's one
        writer holds everything already)."""
        statement = _VARIANTS.where(products.c.sku == sku)
        if lock:
            statement = statement.with_for_update(of=products)
        found = self._read(statement)
        return found[0] if found else None

    def get_by_gtin(self, gtin14: str) -> Product | None:
        product_id = self._connection.execute(
            select(barcodes.c.product_id).where(barcodes.c.gtin14 == gtin14)
        ).scalar_one_or_none()
        if product_id is None:
            return None
        return self._read(_VARIANTS.where(products.c.id == product_id))[0]

    def of_groups(self, group_ids: Iterable[int]) -> list[Product]:
        """The variants of these products, each product's in SKU order."""
        return self._read(_VARIANTS.where(products.c.group_id.in_(sorted(set(group_ids))))
                          .order_by(products.c.group_id, products.c.sku))

    def owner_of_barcodes(self, gtins: Iterable[str]) -> dict[str, int]:
        rows = self._connection.execute(
            select(barcodes.c.gtin14, barcodes.c.product_id).where(barcodes.c.gtin14.in_(gtins))
        ).all()
        return {r.gtin14: r.product_id for r in rows}

    def taken_skus(self, skus: Iterable[str]) -> set[str]:
        return set(self._connection.execute(
            select(products.c.sku).where(products.c.sku.in_(sorted(set(skus))))).scalars())

    def for_checkout(self, skus: Iterable[str]) -> dict[str, PricedProduct]:
        rows = self._connection.execute(_FOR_CHECKOUT, {"skus": sorted(set(skus))}).all()
        return {
            r.sku: PricedProduct(id=r.id, sku=r.sku, name=r.name,
                                 price=self._currency.from_minor(r.price),
                                 tax_rate=r.tax_rate, active=r.active)
            for r in rows
        }

    def search(self, *, query: str | None, after_sku: str | None, limit: int,
               category: str | None = None) -> list[Product]:
        statement = _VARIANTS.order_by(products.c.sku).limit(limit)
        if query:
            pattern = f"%{escape_like(query)}%"
            statement = statement.where(
                or_(products.c.sku.ilike(pattern, escape="\\"),
                    products.c.name.ilike(pattern, escape="\\"),
                    product_groups.c.name.ilike(pattern, escape="\\"))
            )
        if category:
            statement = statement.where(in_category(category))
        if after_sku is not None:
            statement = statement.where(products.c.sku > after_sku)
        return self._read(statement)

    def add(self, product: Product, option_values: Sequence[str], now: datetime) -> int:
        product_id = self._connection.execute(
            insert(products).values(
                sku=product.sku, name=product.name,
                price=self._currency.to_minor(product.price), tax_rate=product.tax_rate,
                active=product.active, version=1, created_at=now, updated_at=now,
                unit_cost=product.cost, group_id=product.product_id,
                option_values=list(option_values),
            ).returning(products.c.id)
        ).scalar_one()
        self._insert_barcodes(product_id, product.barcodes)
        return int(product_id)

    def update(self, product: Product, option_values: Sequence[str], now: datetime) -> None:
        assert product.id is not None
        self._connection.execute(
            update(products).where(products.c.id == product.id).values(
                name=product.name, price=self._currency.to_minor(product.price),
                tax_rate=product.tax_rate, active=product.active, unit_cost=product.cost,
                option_values=list(option_values), version=products.c.version + 1,
                updated_at=now,
            )
        )
        self._connection.execute(delete(barcodes).where(barcodes.c.product_id == product.id))
        self._insert_barcodes(product.id, product.barcodes)

    def remove(self, product_id: int) -> bool:
        """Delete a variant nothing refers to; False (and nothing changed) when its sales,
        stock or documents refer to it."""
        try:
            with self._connection.begin_nested():
                self._connection.execute(delete(products).where(products.c.id == product_id))
        except IntegrityError:
            return False
        return True

    def costing(self, product_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal | None]]:
        """Each variant's units on hand across every location and its cost, its row held
        until the transaction ends so concurrent receipts average one after the other."""
        ids = sorted(set(product_ids))
        held = self._connection.execute(
            select(products.c.id, products.c.unit_cost).where(products.c.id.in_(ids))
            .order_by(products.c.id).with_for_update()).all()
        totals = dict.fromkeys(ids, Decimal(0))
        for level in self._connection.execute(
                select(stock_levels.c.product_id, stock_levels.c.on_hand)
                .where(stock_levels.c.product_id.in_(ids))):
            totals[level.product_id] += level.on_hand
        return {r.id: (totals[r.id], r.unit_cost) for r in held}

    def set_cost(self, product_id: int, cost: Decimal, now: datetime) -> None:
        self._connection.execute(
            update(products).where(products.c.id == product_id).values(
                unit_cost=cost, version=products.c.version + 1, updated_at=now))

    def _insert_barcodes(self, product_id: int, codes: Sequence[Barcode]) -> None:
        if codes:
            self._connection.execute(
                insert(barcodes),
                [{"gtin14": b.gtin14, "code": b.code, "product_id": product_id} for b in codes],
            )

    def _read(self, statement: Select[Any]) -> list[Product]:
        return self._with_barcodes(self._connection.execute(statement).all())

    def _with_barcodes(self, rows: Sequence[Row[Any]]) -> list[Product]:
        ids = [r.id for r in rows]
        codes: dict[int, list[Barcode]] = {i: [] for i in ids}
        if ids:
            for b in self._connection.execute(
                select(barcodes).where(barcodes.c.product_id.in_(ids)).order_by(barcodes.c.code)
            ):
                codes[b.product_id].append(Barcode(code=b.code, gtin14=b.gtin14))
        return [
            Product(id=r.id, sku=r.sku, name=r.name, price=self._currency.from_minor(r.price),
                    tax_rate=r.tax_rate, active=r.active, version=r.version,
                    barcodes=codes[r.id], cost=r.unit_cost, product_id=r.group_id,
                    options={o["name"]: v for o, v in zip(r.group_options, r.option_values,
                                                          strict=True)},
                    category=r.category)
            for r in rows
        ]


def in_category(path: str) -> Any:
    """The products in a category or under it: ``Clothing`` takes ``Clothing/Tees``."""
    prefix = path.strip().strip("/")
    return or_(func.lower(product_groups.c.category) == prefix.lower(),
               product_groups.c.category.ilike(f"{escape_like(prefix)}/%", escape="\\"))


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
