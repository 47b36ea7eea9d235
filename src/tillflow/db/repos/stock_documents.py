"""Stock levels as the back office lists them, a SKU's ledger history, and the stock
documents: reorder points, goods receipts, counting sessions, transfers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, func, insert, or_, select, tuple_, union
from sqlalchemy import update as sql_update

from tillflow.db.dialects import insert_for
from tillflow.db.tables import locations, products, stock_levels, stock_movements
from tillflow.db.tables_stock import (
    goods_receipt_lines,
    goods_receipts,
    reorder_points,
    stock_count_lines,
    stock_counts,
    stock_transfer_lines,
    stock_transfers,
)
from tillflow.domain.money import Currency
from tillflow.domain.stock_documents import OPEN, SENT
from tillflow.ports.stock_records import (
    CountLine,
    DocumentLine,
    GoodsReceipt,
    LevelRow,
    MovementRow,
    StockCount,
    Transfer,
)


class StockDocumentRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    # Levels and history

    def levels(self, *, location_id: int | None, low_only: bool, query: str | None,
               after: tuple[str, str] | None, limit: int) -> list[LevelRow]:
        """Product × location rows (any with stock, a reorder point or units coming), in
        (SKU, location) order after ``after``."""
        transit = _in_transit().subquery()
        pairs = union(
            select(stock_levels.c.product_id, stock_levels.c.location_id),
            select(reorder_points.c.product_id, reorder_points.c.location_id),
            select(transit.c.product_id, transit.c.location_id),
        ).subquery()
        on_hand = func.coalesce(stock_levels.c.on_hand, 0)
        statement = (
            select(products.c.sku, products.c.name, locations.c.code,
                   stock_levels.c.on_hand, reorder_points.c.reorder_point,
                   transit.c.quantity.label("in_transit"))
            .select_from(pairs)
            .join(products, products.c.id == pairs.c.product_id)
            .join(locations, locations.c.id == pairs.c.location_id)
            .outerjoin(stock_levels, and_(stock_levels.c.product_id == pairs.c.product_id,
                                          stock_levels.c.location_id == pairs.c.location_id))
            .outerjoin(reorder_points,
                       and_(reorder_points.c.product_id == pairs.c.product_id,
                            reorder_points.c.location_id == pairs.c.location_id))
            .outerjoin(transit, and_(transit.c.product_id == pairs.c.product_id,
                                     transit.c.location_id == pairs.c.location_id))
            .order_by(products.c.sku, locations.c.code).limit(limit)
        )
        if location_id is not None:
            statement = statement.where(pairs.c.location_id == location_id)
        if low_only:
            statement = statement.where(reorder_points.c.reorder_point.is_not(None),
                                        on_hand <= reorder_points.c.reorder_point)
        if query:
            needle = query.lower()
            statement = statement.where(or_(
                func.lower(products.c.sku).contains(needle, autoescape=True),
                func.lower(products.c.name).contains(needle, autoescape=True)))
        if after is not None:
            statement = statement.where(tuple_(products.c.sku, locations.c.code) > after)
        return [LevelRow(sku=r.sku, name=r.name, location=r.code,
                         on_hand=r.on_hand if r.on_hand is not None else Decimal(0),
                         reorder_point=r.reorder_point,
                         in_transit=r.in_transit if r.in_transit is not None else Decimal(0))
                for r in self._connection.execute(statement)]

    def set_reorder_point(self, *, product_id: int, location_id: int,
                          reorder_point: Decimal | None, now: datetime) -> None:
        """Set the point (None: remove it)."""
        key = (reorder_points.c.product_id == product_id,
               reorder_points.c.location_id == location_id)
        if reorder_point is None:
            self._connection.execute(delete(reorder_points).where(*key))
            return
        upsert = insert_for(self._connection, reorder_points).values(
            product_id=product_id, location_id=location_id, reorder_point=reorder_point,
            updated_at=now)
        self._connection.execute(upsert.on_conflict_do_update(
            index_elements=[reorder_points.c.product_id, reorder_points.c.location_id],
            set_={"reorder_point": upsert.excluded.reorder_point, "updated_at": now}))

    def history(self, product_id: int, *, location_id: int | None, before: int | None,
                limit: int) -> list[MovementRow]:
        """The product's movements, newest first, before the movement id ``before``."""
        statement = (
            select(stock_movements, locations.c.code)
            .join(locations, locations.c.id == stock_movements.c.location_id)
            .where(stock_movements.c.product_id == product_id)
            .order_by(stock_movements.c.id.desc()).limit(limit)
        )
        if location_id is not None:
            statement = statement.where(stock_movements.c.location_id == location_id)
        if before is not None:
            statement = statement.where(stock_movements.c.id < before)
        return [MovementRow(id=r.id, location=r.code, kind=r.kind, quantity=r.quantity,
                            balance_after=r.balance_after, reason=r.reason,
                            reference=r.reference, actor=r.actor, occurred_at=r.occurred_at)
                for r in self._connection.execute(statement)]

    # Goods receipts

    def add_receipt(self, *, receipt_id: str, number: str, location_id: int,
                    reference: str | None, lines: Sequence[DocumentLine], now: datetime,
                    actor: str | None) -> None:
        self._connection.execute(insert(goods_receipts).values(
            id=receipt_id, number=number, location_id=location_id, reference=reference,
            created_at=now, created_by=actor))
        self._connection.execute(insert(goods_receipt_lines), [
            {"receipt_id": receipt_id, "line_no": line.line_no, "product_id": line.product_id,
             "quantity": line.quantity,
             "unit_cost": self._currency.to_minor(line.unit_cost or Decimal(0))}
            for line in lines])

    def get_receipt(self, receipt_id: str) -> GoodsReceipt | None:
        row = self._connection.execute(
            select(goods_receipts, locations.c.code)
            .join(locations, locations.c.id == goods_receipts.c.location_id)
            .where(goods_receipts.c.id == receipt_id)).first()
        if row is None:
            return None
        money = self._currency.from_minor
        lines = tuple(
            DocumentLine(line_no=r.line_no, product_id=r.product_id, sku=r.sku,
                         quantity=r.quantity, unit_cost=money(r.unit_cost))
            for r in self._connection.execute(
                select(goods_receipt_lines, products.c.sku)
                .join(products, products.c.id == goods_receipt_lines.c.product_id)
                .where(goods_receipt_lines.c.receipt_id == receipt_id)
                .order_by(goods_receipt_lines.c.line_no)))
        return GoodsReceipt(id=row.id, number=row.number, location=row.code,
                            reference=row.reference, lines=lines, created_at=row.created_at,
                            created_by=row.created_by)

    def receipt_ids(self, *, limit: int) -> list[str]:
        """The latest receipts first."""
        return list(self._connection.execute(
            select(goods_receipts.c.id)
            .order_by(goods_receipts.c.created_at.desc(), goods_receipts.c.number.desc())
            .limit(limit)).scalars())

    # Counting sessions

    def add_count(self, *, count_id: str, number: str, location_id: int, note: str | None,
                  now: datetime, actor: str | None) -> None:
        self._connection.execute(insert(stock_counts).values(
            id=count_id, number=number, location_id=location_id, status=OPEN, note=note,
            opened_at=now, opened_by=actor))

    def lock_open_count(self, count_id: str) -> bool:
        """Lock an open count's row for the rest of the transaction; False if it is not
        open (or not there)."""
        changed = self._connection.execute(
            sql_update(stock_counts)
            .where(stock_counts.c.id == count_id, stock_counts.c.status == OPEN)
            .values(status=stock_counts.c.status)).rowcount
        return bool(changed)

    def set_counted(self, *, count_id: str, product_id: int, counted: Decimal,
                    now: datetime) -> None:
        upsert = insert_for(self._connection, stock_count_lines).values(
            count_id=count_id, product_id=product_id, counted=counted, updated_at=now)
        self._connection.execute(upsert.on_conflict_do_update(
            index_elements=[stock_count_lines.c.count_id, stock_count_lines.c.product_id],
            set_={"counted": upsert.excluded.counted, "updated_at": now}))

    def record_on_hand(self, *, count_id: str, product_id: int, on_hand: Decimal) -> None:
        self._connection.execute(
            sql_update(stock_count_lines)
            .where(stock_count_lines.c.count_id == count_id,
                   stock_count_lines.c.product_id == product_id)
            .values(on_hand=on_hand))

    def close_count(self, count_id: str, *, status: str, now: datetime,
                    actor: str | None) -> None:
        self._connection.execute(
            sql_update(stock_counts).where(stock_counts.c.id == count_id)
            .values(status=status, closed_at=now, closed_by=actor))

    def get_count(self, count_id: str) -> StockCount | None:
        row = self._connection.execute(
            select(stock_counts, locations.c.code)
            .join(locations, locations.c.id == stock_counts.c.location_id)
            .where(stock_counts.c.id == count_id)).first()
        if row is None:
            return None
        lines = tuple(
            CountLine(product_id=r.product_id, sku=r.sku, name=r.name, counted=r.counted,
                      on_hand=r.on_hand)
            for r in self._connection.execute(
                select(stock_count_lines, products.c.sku, products.c.name)
                .join(products, products.c.id == stock_count_lines.c.product_id)
                .where(stock_count_lines.c.count_id == count_id)
                .order_by(products.c.sku)))
        return StockCount(id=row.id, number=row.number, location=row.code,
                          location_id=row.location_id, status=row.status, note=row.note,
                          lines=lines, opened_at=row.opened_at, opened_by=row.opened_by,
                          closed_at=row.closed_at, closed_by=row.closed_by)

    def count_ids(self, *, status: str | None, limit: int) -> list[str]:
        statement = (select(stock_counts.c.id)
                     .order_by(stock_counts.c.opened_at.desc(), stock_counts.c.number.desc())
                     .limit(limit))
        if status is not None:
            statement = statement.where(stock_counts.c.status == status)
        return list(self._connection.execute(statement).scalars())

    # Transfers

    def add_transfer(self, *, transfer_id: str, number: str, from_location_id: int,
                     to_location_id: int, note: str | None, lines: Sequence[DocumentLine],
                     now: datetime, actor: str | None) -> None:
        self._connection.execute(insert(stock_transfers).values(
            id=transfer_id, number=number, from_location_id=from_location_id,
            to_location_id=to_location_id, status=SENT, note=note, sent_at=now,
            sent_by=actor))
        self._connection.execute(insert(stock_transfer_lines), [
            {"transfer_id": transfer_id, "line_no": line.line_no,
             "product_id": line.product_id, "quantity": line.quantity} for line in lines])

    def close_transfer(self, transfer_id: str, *, status: str, now: datetime,
                       actor: str | None) -> bool:
        """Move a sent transfer to ``status``; False if it is no longer in transit (another
        request closed it first: the row's lock decides)."""
        changed = self._connection.execute(
            sql_update(stock_transfers)
            .where(stock_transfers.c.id == transfer_id, stock_transfers.c.status == SENT)
            .values(status=status, closed_at=now, closed_by=actor)).rowcount
        return bool(changed)

    def get_transfer(self, transfer_id: str) -> Transfer | None:
        source, target = locations.alias("source"), locations.alias("target")
        row = self._connection.execute(
            select(stock_transfers, source.c.code.label("source"),
                   target.c.code.label("target"))
            .join(source, source.c.id == stock_transfers.c.from_location_id)
            .join(target, target.c.id == stock_transfers.c.to_location_id)
            .where(stock_transfers.c.id == transfer_id)).first()
        if row is None:
            return None
        lines = tuple(
            DocumentLine(line_no=r.line_no, product_id=r.product_id, sku=r.sku,
                         quantity=r.quantity)
            for r in self._connection.execute(
                select(stock_transfer_lines, products.c.sku)
                .join(products, products.c.id == stock_transfer_lines.c.product_id)
                .where(stock_transfer_lines.c.transfer_id == transfer_id)
                .order_by(stock_transfer_lines.c.line_no)))
        return Transfer(id=row.id, number=row.number, from_location=row.source,
                        to_location=row.target, status=row.status, note=row.note,
                        lines=lines, sent_at=row.sent_at, sent_by=row.sent_by,
                        closed_at=row.closed_at, closed_by=row.closed_by)

    def transfer_ids(self, *, status: str | None, limit: int) -> list[str]:
        statement = (select(stock_transfers.c.id)
                     .order_by(stock_transfers.c.sent_at.desc(),
                               stock_transfers.c.number.desc())
                     .limit(limit))
        if status is not None:
            statement = statement.where(stock_transfers.c.status == status)
        return list(self._connection.execute(statement).scalars())


def _in_transit() -> Select[Any]:
    """Units sent and not yet received, per product and destination."""
    return (
        select(stock_transfer_lines.c.product_id,
               stock_transfers.c.to_location_id.label("location_id"),
               func.sum(stock_transfer_lines.c.quantity).label("quantity"))
        .join(stock_transfers, stock_transfers.c.id == stock_transfer_lines.c.transfer_id)
        .where(stock_transfers.c.status == SENT)
        .group_by(stock_transfer_lines.c.product_id, stock_transfers.c.to_location_id)
    )
