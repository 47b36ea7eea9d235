"""The whole schema: the core tables and every area's own table module.

Alembic and the schema tests read ``metadata`` from here, so an area's tables must be
imported below to be seen.
"""

from tillflow.db import (
    tables,
    tables_accounting,
    tables_controls,
    tables_payments,
    tables_receipts,
    tables_register,
    tables_staff,
    tables_sync,
    tables_web_orders,
)
from tillflow.db.tables import metadata

__all__ = ["metadata", "tables", "tables_accounting", "tables_controls",
           "tables_payments", "tables_receipts", "tables_register",
           "tables_staff", "tables_sync", "tables_web_orders"]
