"""Who masters the catalog: tillflow, or the one ERP connection whose ``catalog`` is "erp".

While an ERP masters the products, their name and price are the ERP's: they arrive by its
``products-in`` poll, and tillflow refuses to change them (or to make a product the ERP
does not have) through the API, the importer or anything else that edits the catalog.
Barcodes, the tax rate and the active flag stay tillflow's to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.catalog import Product
from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import ERP_MASTERS, catalog_master_of
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import ServiceContext

ERP_FIELDS = ("name", "price")


@dataclass(frozen=True)
class Master:
    """The ERP connection that masters the catalog."""

    connection: str
    platform: str

    @property
    def label(self) -> str:
        return f"erp:{self.platform}"


def erp_master(ctx: ServiceContext, uow: UnitOfWork) -> Master | None:
    for record in uow.connections.all():
        spec = ctx.connectors.get(record.platform)
        if spec is not None and spec.syncs_products and \
                catalog_master_of(record.settings) == ERP_MASTERS:
            return Master(record.name, record.platform)
    return None


def check_edit(ctx: ServiceContext, uow: UnitOfWork, current: Product | None,
               changed: Product, *, source: str | None) -> None:
    """Refuse a change to a field the ERP masters, unless the master itself (``source``,
    the connection whose products come in) makes it."""
    master = erp_master(ctx, uow)
    if master is None or master.connection == source:
        return
    if current is None:
        _refuse(master, "sku", f"products are created in {master.label} (connection "
                               f"{master.connection!r}), which masters the catalog")
    else:
        for field in ERP_FIELDS:
            if getattr(current, field) != getattr(changed, field):
                _refuse(master, field, f"{field} is mastered by {master.label} (connection "
                                       f"{master.connection!r}): change it there")


def _refuse(master: Master, field: str, message: str) -> None:
    raise InvalidInput(message, details={"field": field, "master": master.label,
                                         "connection": master.connection})
