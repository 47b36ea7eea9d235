"""Products themselves: name, category and options; their variants are in ``catalog``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, exists, insert, or_, select, update

from tillflow.db.repos.catalog import escape_like, in_category
from tillflow.db.tables import product_groups, products
from tillflow.domain.variants import Option, ProductGroup


class ProductGroupRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, group_id: int, *, lock: bool = False) -> ProductGroup | None:
        """``lock``: hold the product until the transaction ends, so two changes to its
        variants run one after the other."""
        statement = select(product_groups).where(product_groups.c.id == group_id)
        if lock:
            statement = statement.with_for_update()
        row = self._connection.execute(statement).first()
        return None if row is None else _group(row)

    def get_many(self, group_ids: Iterable[int]) -> list[ProductGroup]:
        rows = self._connection.execute(
            select(product_groups).where(product_groups.c.id.in_(sorted(set(group_ids))))
            .order_by(product_groups.c.id))
        return [_group(r) for r in rows]

    def add(self, group: ProductGroup, now: datetime) -> int:
        return int(self._connection.execute(
            insert(product_groups).values(
                name=group.name, category=group.category, options=_options(group),
                version=1, created_at=now, updated_at=now,
            ).returning(product_groups.c.id)).scalar_one())

    def update(self, group: ProductGroup, now: datetime) -> None:
        self._connection.execute(
            update(product_groups).where(product_groups.c.id == group.id).values(
                name=group.name, category=group.category, options=_options(group),
                version=product_groups.c.version + 1, updated_at=now))

    def search(self, *, query: str | None, category: str | None, after_id: int | None,
               limit: int) -> list[ProductGroup]:
        """Products by id; ``query`` matches their name or one of their SKUs."""
        statement = select(product_groups).order_by(product_groups.c.id).limit(limit)
        if query:
            pattern = f"%{escape_like(query)}%"
            statement = statement.where(or_(
                product_groups.c.name.ilike(pattern, escape="\\"),
                exists().where(products.c.group_id == product_groups.c.id,
                               products.c.sku.ilike(pattern, escape="\\"))))
        if category:
            statement = statement.where(in_category(category))
        if after_id is not None:
            statement = statement.where(product_groups.c.id > after_id)
        return [_group(r) for r in self._connection.execute(statement)]


def _options(group: ProductGroup) -> list[dict[str, Any]]:
    return [{"name": o.name, "values": list(o.values)} for o in group.options]


def _group(row: Row[Any]) -> ProductGroup:
    return ProductGroup(id=row.id, name=row.name, category=row.category, version=row.version,
                        options=tuple(Option(o["name"], tuple(o["values"])) for o in row.options))
