"""Matching one day of tillflow's card payments against the gateway's own records.

The gateway's records are its listed PaymentIntents and refunds (Stripe) or its daily
Payment accounting reports (Adyen). Mismatches: captured at the gateway but not in
tillflow (``not_in_tillflow``), in tillflow but not captured at the gateway
(``not_captured_at_gateway``), and different captured or refunded amounts
(``amount_differs``). Days are UTC days.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tillflow.domain.payments import GatewayUnavailable, PaymentStatus
from tillflow.ports.payments import GatewayError, GatewayPayment, GatewayState
from tillflow.ports.records import PaymentRow
from tillflow.services.context import ServiceContext
from tillflow.services.payments.gateways import gateways_of

S = PaymentStatus
TAKEN = frozenset({S.CAPTURED, S.PARTIALLY_REFUNDED, S.REFUNDED})
COLUMNS = ("reference", "payment_id", "sale_id", "shift_id", "register", "tillflow_status",
           "tillflow_captured", "tillflow_refunded", "gateway_state", "gateway_captured",
           "gateway_refunded", "mismatch")


@dataclass(frozen=True)
class Line:
    reference: str
    ours: PaymentRow | None
    theirs: GatewayPayment | None
    mismatch: str | None


def reconcile(ctx: ServiceContext, *, day: date, connection: str) -> dict[str, Any]:
    return _report(ctx, day, connection, day_lines(ctx, day=day, connection=connection))


def day_lines(ctx: ServiceContext, *, day: date, connection: str) -> list[Line]:
    """The day's payments of ``connection``, each paired with the gateway's record."""
    since = datetime.combine(day, time(), tzinfo=UTC)
    until = since + timedelta(days=1)
    conn = gateways_of(ctx).connection(ctx, connection)
    with ctx.uow(read_only=True) as uow:
        ours = [p for p in uow.payments
                .between(connection=connection, since=since, until=until) if p.gateway_ref]
    try:
        listed = conn.gateway.list_payments(since=int(since.timestamp()),
                                            until=int(until.timestamp()))
    except GatewayError as exc:
        raise GatewayUnavailable(f"the gateway's records could not be read: {exc}",
                                 details={"connection": connection}) from None
    return _match(ours, listed)


def _match(ours: list[PaymentRow], listed: list[GatewayPayment]) -> list[Line]:
    """Pair each payment with the gateway's record of it: by tillflow's payment id where
    the gateway keeps it (a report knows Adyen's pspReference, not tillflow's reference),
    else by reference."""
    by_id = {p.payment_id: p for p in listed if p.payment_id}
    by_ref = {p.reference: p for p in listed}
    lines, paired = [], set()
    for row in ours:
        assert row.gateway_ref is not None
        theirs = by_id.get(row.id) or by_ref.get(row.gateway_ref)
        if theirs is not None:
            paired.add(theirs.reference)
        lines.append(_line(row.gateway_ref, row, theirs))
    lines.extend(_line(p.reference, None, p) for p in listed if p.reference not in paired)
    return sorted(lines, key=lambda line: line.reference)


def _line(reference: str, ours: PaymentRow | None, theirs: GatewayPayment | None) -> Line:
    taken_here = ours is not None and ours.status in TAKEN
    taken_there = theirs is not None and theirs.state is GatewayState.CAPTURED
    mismatch = None
    if taken_there and not taken_here:
        mismatch = "not_in_tillflow"
    elif taken_here and not taken_there:
        mismatch = "not_captured_at_gateway"
    elif taken_here and ours is not None and theirs is not None and (
            (ours.captured, ours.refunded) != (theirs.captured, theirs.refunded)):
        mismatch = "amount_differs"
    return Line(reference, ours, theirs, mismatch)


def _report(ctx: ServiceContext, day: date, connection: str,
            lines: list[Line]) -> dict[str, Any]:
    money = ctx.currency
    shifts: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for line in lines:
        if line.ours is None or line.ours.status not in TAKEN:
            continue
        key = (line.ours.shift_id, line.ours.register)
        entry = shifts.setdefault(key, {"shift_id": key[0], "register": key[1], "count": 0,
                                        "captured": 0, "refunded": 0})
        entry["count"] += 1
        entry["captured"] += line.ours.captured
        entry["refunded"] += line.ours.refunded
    for entry in shifts.values():
        for field in ("captured", "refunded"):
            entry[field] = money.format(money.from_minor(entry[field]))
    return {
        "date": day.isoformat(), "connection": connection,
        "shifts": list(shifts.values()),
        "payments": [_row(ctx, line) for line in lines],
        "mismatches": [_row(ctx, line) for line in lines if line.mismatch],
    }


def _row(ctx: ServiceContext, line: Line) -> dict[str, Any]:
    def fmt(minor: int | None) -> str | None:
        return None if minor is None else ctx.currency.format(ctx.currency.from_minor(minor))

    ours, theirs = line.ours, line.theirs
    return {
        "reference": line.reference,
        "payment_id": ours.id if ours else None, "sale_id": ours.sale_id if ours else None,
        "shift_id": ours.shift_id if ours else None, "register": ours.register if ours else None,
        "tillflow_status": ours.status if ours else None,
        "tillflow_captured": fmt(ours.captured if ours else None),
        "tillflow_refunded": fmt(ours.refunded if ours else None),
        "gateway_state": str(theirs.state) if theirs else None,
        "gateway_captured": fmt(theirs.captured if theirs else None),
        "gateway_refunded": fmt(theirs.refunded if theirs else None),
        "mismatch": line.mismatch,
    }


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in report["payments"]:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
