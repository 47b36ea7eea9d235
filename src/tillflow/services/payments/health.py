"""How a payment connection stands: payments whose outcome is not known yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tillflow.db.tables_payments import payments
from tillflow.services.context import ServiceContext

UNSETTLED = ("pending", "unknown")


def payment_health(ctx: ServiceContext, name: str) -> dict[str, Any]:
    """``ok``, or ``degraded`` while payments wait for their outcome to be resolved."""
    with ctx.uow(read_only=True) as uow:
        counts: dict[str, int] = {
            status: int(count) for status, count in uow.connection.execute(
                select(payments.c.status, func.count())
                .where(payments.c.connection == name, payments.c.status.in_(UNSETTLED))
                .group_by(payments.c.status)
            )
        }
        oldest = uow.connection.execute(
            select(func.min(payments.c.updated_at))
            .where(payments.c.connection == name, payments.c.status.in_(UNSETTLED))
        ).scalar_one_or_none()
        now = uow.now
    pending, unknown = counts.get("pending", 0), counts.get("unknown", 0)
    lag = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    return {"state": "degraded" if unknown else "ok", "pending": pending + unknown,
            "unknown": unknown, "failed": 0, "lag_seconds": round(lag, 3), "last_error": None}
