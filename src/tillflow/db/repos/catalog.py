"""Products and their barcodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Row, bindparam, delete, insert, or_, select, update

from tillflow.db.tables import barcodes, products
from tillflow.domain.catalog import Barcode, Product
from tillflow.domain.money import Currency
from tillflow.ports.records import PricedProduct

_FOR_CHECKOUT = select(
    products.c.id, products.c.sku, products.c.name, products.c.price, products.c.tax_rate,
    products.c.active,
).where(products.c.sku.in_(bindparam("skus", expanding=True)))


class ProductRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    def get(self, sku: str) -> Product | None:
        row = self._connection.execute(select(products).where(products.c.sku == sku)).first()
        if row is None:
            return None
        return self._with_barcodes([row])[0]

    def get_by_gtin(self, gtin14: str) -> Product | None:
        product_id = self._connection.execute(
            select(barcodes.c.product_id).where(barcodes.c.gtin14 == gtin14)
        ).scalar_one_or_none()
        if product_id is None:
            return None
        row = self._connection.execute(select(products).where(products.c.id == product_id)).one()
        return self._with_barcodes([row])[0]

    def owner_of_barcodes(self, gtins: Iterable[str]) -> dict[str, int]:
        rows = self._connection.execute(
            select(barcodes.c.gtin14, barcodes.c.product_id).where(barcodes.c.gtin14.in_(gtins))
        ).all()
        return {r.gtin14: r.product_id for r in rows}

    def for_checkout(self, skus: Iterable[str]) -> dict[str, PricedProduct]:
        rows = self._connection.execute(_FOR_CHECKOUT, {"skus": sorted(set(skus))}).all()
        return {
            r.sku: PricedProduct(id=r.id, sku=r.sku, name=r.name,
                                 price=self._currency.from_minor(r.price),
                                 tax_rate=r.tax_rate, active=r.active)
            for r in rows
        }

    def search(self, *, query: str | None, after_sku: str | None, limit: int) -> list[Product]:
        statement = select(products).order_by(products.c.sku).limit(limit)
        if query:
            pattern = f"%{_escape_like(query)}%"
            statement = statement.where(
                or_(products.c.sku.ilike(pattern, escape="\\"),
                    products.c.name.ilike(pattern, escape="\\"))
            )
        if after_sku is not None:
            statement = statement.where(products.c.sku > after_sku)
        return self._with_barcodes(self._connection.execute(statement).all())

    def add(self, product: Product, now: datetime) -> int:
        product_id = self._connection.execute(
            insert(products).values(
                sku=product.sku, name=product.name,
                price=self._currency.to_minor(product.price), tax_rate=product.tax_rate,
                active=product.active, version=1, created_at=now, updated_at=now,
                cost=self._minor(product.cost),
            ).returning(products.c.id)
        ).scalar_one()
        self._insert_barcodes(product_id, product.barcodes)
        return int(product_id)

    def update(self, product: Product, now: datetime) -> None:
        assert product.id is not None
        self._connection.execute(
            update(products).where(products.c.id == product.id).values(
                name=product.name, price=self._currency.to_minor(product.price),
                tax_rate=product.tax_rate, active=product.active,
                cost=self._minor(product.cost), version=products.c.version + 1, updated_at=now,
            )
        )
        self._connection.execute(delete(barcodes).where(barcodes.c.product_id == product.id))
        self._insert_barcodes(product.id, product.barcodes)

    def _insert_barcodes(self, product_id: int, codes: Sequence[Barcode]) -> None:
        if codes:
            self._connection.execute(
                insert(barcodes),
                [{"gtin14": b.gtin14, "code": b.code, "product_id": product_id} for b in codes],
            )

    def _with_barcodes(self, rows: Sequence[Row[tuple[object, ...]]]) -> list[Product]:
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
                    barcodes=codes[r.id],
                    cost=None if r.cost is None else self._currency.from_minor(r.cost))
            for r in rows
        ]

    def _minor(self, amount: Decimal | None) -> int | None:
        return None if amount is None else self._currency.to_minor(amount)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
