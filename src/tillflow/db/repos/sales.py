"""Sales, their lines and payments, and the returns made against them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, insert, or_, select, tuple_, update

from tillflow.db.repos import sale_charges as charges
from tillflow.db.tables import (
    locations,
    refunds,
    registers,
    return_lines,
    returns,
    sale_lines,
    sale_payments,
    sales,
)
from tillflow.db.tables_web_orders import return_charges, sale_charges
from tillflow.domain.money import Currency
from tillflow.domain.records import (
    ChargeRecord,
    PaymentRecord,
    ReturnLineRecord,
    ReturnRecord,
    SaleLineRecord,
    SaleRecord,
    SettlementRecord,
)

# Built once: checkout inserts these for every sale.
_INSERT_SALE = insert(sales)
_INSERT_LINES = insert(sale_lines)
_INSERT_PAYMENTS = insert(sale_payments)


class SaleRepository:
    def __init__(self, connection: Connection, currency: Currency) -> None:
        self._connection = connection
        self._currency = currency

    def add(self, sale: SaleRecord, *, location_id: int, register_id: int | None,
            product_ids: Sequence[int]) -> None:
        minor = self._currency.to_minor
        self._connection.execute(_INSERT_SALE, {
            "id": sale.id, "number": sale.number, "status": sale.status,
            "location_id": location_id, "register_id": register_id, "shift_id": sale.shift_id,
            "customer_id": sale.customer_id, "subtotal": minor(sale.subtotal),
            "order_discount": minor(sale.order_discount),
            "discount_total": minor(sale.discount_total), "tax_total": minor(sale.tax_total),
            "total": minor(sale.total), "tendered": minor(sale.tendered),
            "change_due": minor(sale.change_due), "tax_inclusive": sale.tax_inclusive,
            "version": 1, "channel": sale.channel, "external_id": sale.external_id,
            "offline": sale.offline, "offline_number": sale.offline_number,
            "created_at": sale.created_at,
            "created_by": sale.created_by,
        })
        self._connection.execute(
            _INSERT_LINES,
            [
                {
                    "sale_id": sale.id, "line_no": line.line_no, "product_id": product_id,
                    "sku": line.sku, "name": line.name, "quantity": line.quantity,
                    "unit_price": minor(line.unit_price), "tax_rate": line.tax_rate,
                    "gross": minor(line.gross), "line_discount": minor(line.line_discount),
                    "order_discount": minor(line.order_discount), "net": minor(line.net),
                    "tax": minor(line.tax), "total": minor(line.total),
                }
                for line, product_id in zip(sale.lines, product_ids, strict=True)
            ],
        )
        if sale.payments:
            self._connection.execute(
                _INSERT_PAYMENTS,
                [
                    {"sale_id": sale.id, "seq": seq, "method": p.method,
                     "amount": minor(p.amount), "reference": p.reference}
                    for seq, p in enumerate(sale.payments, start=1)
                ],
            )
        charges.add_charges(self._connection, sale_charges, sale.id, sale.charges,
                            self._currency)

    def lock(self, sale_id: str) -> bool:
        """Lock the sale row for the rest of the transaction (serialises its returns)."""
        changed = self._connection.execute(
            update(sales).where(sales.c.id == sale_id).values(version=sales.c.version + 1)
        ).rowcount
        return bool(changed)

    def get(self, sale_id: str) -> SaleRecord | None:
        row = self._connection.execute(
            select(sales, locations.c.code.label("location_code"),
                   registers.c.code.label("register_code"))
            .join(locations, locations.c.id == sales.c.location_id)
            .join(registers, registers.c.id == sales.c.register_id, isouter=True)
            .where(sales.c.id == sale_id)
        ).first()
        if row is None:
            return None
        money = self._currency.from_minor
        returned = self._returned_quantities(sale_id)
        lines = tuple(
            SaleLineRecord(
                line_no=r.line_no, sku=r.sku, name=r.name, quantity=r.quantity,
                unit_price=money(r.unit_price), tax_rate=r.tax_rate, gross=money(r.gross),
                line_discount=money(r.line_discount), order_discount=money(r.order_discount),
                net=money(r.net), tax=money(r.tax), total=money(r.total),
                returned_quantity=returned.get(r.line_no, Decimal(0)),
            )
            for r in self._connection.execute(
                select(sale_lines).where(sale_lines.c.sale_id == sale_id)
                .order_by(sale_lines.c.line_no)
            )
        )
        payments = tuple(
            PaymentRecord(method=p.method, amount=money(p.amount), reference=p.reference)
            for p in self._connection.execute(
                select(sale_payments).where(sale_payments.c.sale_id == sale_id)
                .order_by(sale_payments.c.seq)
            )
        )
        return SaleRecord(
            id=row.id, number=row.number, status=row.status, location=row.location_code,
            register=row.register_code, shift_id=row.shift_id, customer_id=row.customer_id,
            lines=lines, subtotal=money(row.subtotal), order_discount=money(row.order_discount),
            discount_total=money(row.discount_total), tax_total=money(row.tax_total),
            total=money(row.total), payments=payments, tendered=money(row.tendered),
            change_due=money(row.change_due), tax_inclusive=row.tax_inclusive,
            created_at=row.created_at, created_by=row.created_by, channel=row.channel,
            external_id=row.external_id, offline=row.offline,
            offline_number=row.offline_number,
            charges=charges.charges_of(self._connection, sale_charges, sale_id, self._currency),
            settlements=charges.settlements_of(self._connection, sale_id, self._currency),
        )

    def add_settlement(self, sale_id: str, settlement: SettlementRecord) -> None:
        charges.add_settlement(self._connection, sale_id, settlement, self._currency)

    def returned_charges(self, sale_id: str) -> tuple[ChargeRecord, ...]:
        """Every charge the sale's returns gave back."""
        return charges.returned_charges(self._connection, sale_id, self._currency)

    def list_ids(self, *, channel: str | None, location_id: int | None,
                  number: str | None = None, after: tuple[datetime, str] | None,
                  limit: int) -> list[tuple[datetime, str]]:
        """Sale ids in recording order, after a (created_at, id) cursor."""
        statement = select(sales.c.created_at, sales.c.id).order_by(sales.c.created_at,
                                                                     sales.c.id).limit(limit)
        if channel is not None:
            statement = statement.where(sales.c.channel == channel)
        if location_id is not None:
            statement = statement.where(sales.c.location_id == location_id)
        if number is not None:
            statement = statement.where(or_(sales.c.number == number,
                                            sales.c.offline_number == number))
        if after is not None:
            statement = statement.where(tuple_(sales.c.created_at, sales.c.id) > after)
        return [(r.created_at, r.id) for r in self._connection.execute(statement)]

    def find_external(self, channel: str, external_id: str) -> str | None:
        found: str | None = self._connection.execute(
            select(sales.c.id).where(sales.c.channel == channel,
                                     sales.c.external_id == external_id)
        ).scalar_one_or_none()
        return found

    def refunded_by_line(self, sale_id: str) -> dict[int, tuple[Decimal, Decimal]]:
        """Net and tax already refunded per sale line."""
        rows = self._connection.execute(
            select(return_lines.c.line_no, func.sum(return_lines.c.net).label("net"),
                   func.sum(return_lines.c.tax).label("tax"))
            .join(returns, returns.c.id == return_lines.c.return_id)
            .where(returns.c.sale_id == sale_id)
            .group_by(return_lines.c.line_no)
        ).all()
        money = self._currency.from_minor
        return {r.line_no: (money(int(r.net)), money(int(r.tax))) for r in rows}

    def _returned_quantities(self, sale_id: str) -> dict[int, Decimal]:
        rows = self._connection.execute(
            select(return_lines.c.line_no, func.sum(return_lines.c.quantity).label("quantity"))
            .join(returns, returns.c.id == return_lines.c.return_id)
            .where(returns.c.sale_id == sale_id)
            .group_by(return_lines.c.line_no)
        ).all()
        return {r.line_no: r.quantity for r in rows}

    def add_return(self, record: ReturnRecord, *, location_id: int, register_id: int | None,
                   shift_id: str | None) -> None:
        minor = self._currency.to_minor
        self._connection.execute(
            insert(returns).values(
                id=record.id, number=record.number, sale_id=record.sale_id,
                location_id=location_id, register_id=register_id, shift_id=shift_id,
                restock=record.restock, reason=record.reason,
                net_total=minor(record.net_total),
                tax_total=minor(record.tax_total), total=minor(record.total),
                created_at=record.created_at, created_by=record.created_by,
            )
        )
        if record.lines:
            self._connection.execute(
                insert(return_lines),
                [
                    {"return_id": record.id, "line_no": line.line_no, "sku": line.sku,
                     "quantity": line.quantity, "net": minor(line.net),
                     "tax": minor(line.tax)}
                    for line in record.lines
                ],
            )
        if record.refunds:
            self._connection.execute(
                insert(refunds),
                [
                    {"return_id": record.id, "seq": seq, "method": r.method,
                     "amount": minor(r.amount), "reference": r.reference}
                    for seq, r in enumerate(record.refunds, start=1)
                ],
            )
        charges.add_charges(self._connection, return_charges, record.id, record.charges,
                            self._currency)

    def returns_of(self, sale_id: str) -> list[ReturnRecord]:
        ids = self._connection.execute(
            select(returns.c.id).where(returns.c.sale_id == sale_id)
            .order_by(returns.c.created_at, returns.c.number)
        ).scalars().all()
        found = [self.get_return(return_id) for return_id in ids]
        return [r for r in found if r is not None]

    def id_by_number(self, number: str) -> str | None:
        found: str | None = self._connection.execute(
            select(sales.c.id).where(or_(sales.c.number == number,
                                         sales.c.offline_number == number))
            .union_all(select(returns.c.id).where(returns.c.number == number))
        ).scalars().first()
        return found

    def get_return(self, return_id: str) -> ReturnRecord | None:
        row = self._connection.execute(
            select(returns, locations.c.code.label("location_code"),
                   registers.c.code.label("register_code"))
            .join(locations, locations.c.id == returns.c.location_id)
            .join(registers, registers.c.id == returns.c.register_id, isouter=True)
            .where(returns.c.id == return_id)
        ).first()
        if row is None:
            return None
        money = self._currency.from_minor
        lines = tuple(
            ReturnLineRecord(line_no=r.line_no, sku=r.sku, quantity=r.quantity,
                             net=money(r.net), tax=money(r.tax), total=money(r.net + r.tax))
            for r in self._connection.execute(
                select(return_lines).where(return_lines.c.return_id == return_id)
                .order_by(return_lines.c.line_no)
            )
        )
        paid_back = tuple(
            PaymentRecord(method=r.method, amount=money(r.amount), reference=r.reference)
            for r in self._connection.execute(
                select(refunds).where(refunds.c.return_id == return_id).order_by(refunds.c.seq)
            )
        )
        return ReturnRecord(
            id=row.id, number=row.number, sale_id=row.sale_id, location=row.location_code,
            register=row.register_code, restock=row.restock, lines=lines,
            net_total=money(row.net_total), tax_total=money(row.tax_total),
            total=money(row.total), refunds=paid_back, created_at=row.created_at,
            created_by=row.created_by, reason=row.reason,
            charges=charges.charges_of(self._connection, return_charges, return_id,
                                       self._currency),
        )
