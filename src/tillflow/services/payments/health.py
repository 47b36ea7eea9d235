"""How a payment connection stands: payments whose outcome is not known yet."""

from __future__ import annotations

from typing import Any

from tillflow.services.context import ServiceContext

UNSETTLED = ("pending", "unknown")


def payment_health(ctx: ServiceContext, name: str) -> dict[str, Any]:
    """``ok``, or ``degraded`` while payments wait for their outcome to be resolved."""
    with ctx.uow(read_only=True) as uow:
        counts, oldest = uow.payments.unsettled(name, UNSETTLED)
        now = uow.now
    pending, unknown = counts.get("pending", 0), counts.get("unknown", 0)
    lag = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    return {"state": "degraded" if unknown else "ok", "pending": pending + unknown,
            "unknown": unknown, "failed": 0, "lag_seconds": round(lag, 3), "last_error": None}
