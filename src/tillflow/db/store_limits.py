"""The per-role limits of what staff may give without a manager's approval, kept in
``store_settings`` as one row per role and figure (``limits.cashier.discount_percent``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select

from tillflow.db.tables import store_settings
from tillflow.domain.controls import Limits

PREFIX = "limits."
FIELDS = ("discount_percent", "price_override_percent")
# A role limited by default: a cashier gives nothing without approval until a store says so.
DEFAULT_LIMITED = ("cashier",)


class LimitsRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def read(self) -> dict[str, Limits]:
        stored = dict(self._connection.execute(
            select(store_settings.c.key, store_settings.c.value)
            .where(store_settings.c.key.startswith(PREFIX, autoescape=True))).all())
        roles = {key[len(PREFIX):].partition(".")[0] for key in stored} | set(DEFAULT_LIMITED)
        return {role: Limits(**{name: Decimal(stored.get(f"{PREFIX}{role}.{name}", "0"))
                                for name in FIELDS})
                for role in roles}

    def write(self, role: str, limits: Limits) -> None:
        values = {f"{PREFIX}{role}.{name}": str(getattr(limits, name)) for name in FIELDS}
        self._connection.execute(delete(store_settings)
                                 .where(store_settings.c.key.in_(list(values))))
        self._connection.execute(insert(store_settings),
                                 [{"key": key, "value": value} for key, value in values.items()])
