"""The charges (shipping, fees) and settlements of sales and returns, read and written
with the documents they belong to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Table, func, insert, select

from tillflow.db.tables import returns
from tillflow.db.tables_web_orders import return_charges, sale_charges, sale_settlements
from tillflow.domain.money import Currency
from tillflow.domain.records import ChargeRecord, SettlementRecord


def add_charges(connection: Connection, table: Table, owner: str,
                charges: Sequence[ChargeRecord], currency: Currency, *,
                extras: Sequence[Mapping[str, object]] | None = None) -> None:
    """Record ``owner``'s charges; ``extras``, one per charge, hold the columns a row of
    ``table`` has beside the charge (a sale's: when it was sold, what it counts for)."""
    if not charges:
        return
    key = "sale_id" if table is sale_charges else "return_id"
    minor = currency.to_minor
    connection.execute(insert(table), [
        {key: owner, "seq": seq, "kind": c.kind, "title": c.title[:200],
         "tax_rate": c.tax_rate, "net": minor(c.net), "tax": minor(c.tax), **extra}
        for seq, (c, extra) in enumerate(zip(charges, extras or [{}] * len(charges),
                                            strict=True), start=1)])


def charges_of(connection: Connection, table: Table, owner: str,
               currency: Currency) -> tuple[ChargeRecord, ...]:
    key = table.c.sale_id if table is sale_charges else table.c.return_id
    money = currency.from_minor
    return tuple(
        ChargeRecord(kind=r.kind, title=r.title, tax_rate=r.tax_rate, net=money(r.net),
                     tax=money(r.tax), total=money(r.net + r.tax))
        for r in connection.execute(select(table).where(key == owner).order_by(table.c.seq)))


def returned_charges(connection: Connection, sale_id: str,
                     currency: Currency) -> tuple[ChargeRecord, ...]:
    """Every charge the sale's returns gave back."""
    c = return_charges
    money = currency.from_minor
    rows = connection.execute(
        select(c).join(returns, returns.c.id == c.c.return_id)
        .where(returns.c.sale_id == sale_id).order_by(returns.c.created_at, c.c.seq))
    return tuple(ChargeRecord(kind=r.kind, title=r.title, tax_rate=r.tax_rate,
                              net=money(r.net), tax=money(r.tax), total=money(r.net + r.tax))
                 for r in rows)


def add_settlement(connection: Connection, sale_id: str, settlement: SettlementRecord,
                   currency: Currency) -> None:
    s = sale_settlements
    seq = connection.execute(select(func.coalesce(func.max(s.c.seq), 0) + 1)
                             .where(s.c.sale_id == sale_id)).scalar_one()
    connection.execute(insert(s).values(
        sale_id=sale_id, seq=seq, method=settlement.method,
        amount=currency.to_minor(settlement.amount), reference=settlement.reference,
        settled_at=settlement.settled_at))


def settlements_of(connection: Connection, sale_id: str,
                   currency: Currency) -> tuple[SettlementRecord, ...]:
    s = sale_settlements
    return tuple(
        SettlementRecord(method=r.method, amount=currency.from_minor(r.amount),
                         reference=r.reference, settled_at=r.settled_at)
        for r in connection.execute(select(s).where(s.c.sale_id == sale_id).order_by(s.c.seq)))
