"""The ERP's catalog follows tillflow's: product changes go out as postings, in order.

The journal consumer queues one posting per ``product.created``/``product.updated`` event
for every ERP connection whose catalog tillflow masters (``settings.catalog`` "tillflow",
the default), in the events log's order and in the queue the sales go through, so the
ERP knows a product before the sale that sells it, and one SKU's changes arrive in order.

The poster sends each through ``ErpCatalog.upsert_product`` with the product as tillflow
has it when the posting goes, not as the event saw it: a retry, a late delivery or a
replayed dead letter never puts an older name or price back. The ERP's product is found
by SKU (archived ones too) before one is created, so a lost answer makes nothing twice,
and a product deleted in the ERP is made again by its next change.
"""

from __future__ import annotations

from collections.abc import Sequence

from tillflow.db.uow import connection_of
from tillflow.domain.catalog import Product
from tillflow.erp import posting_queue
from tillflow.erp.codec import ProductChange, product_json
from tillflow.ports.accounting import TILLFLOW_MASTERS, ErpCatalog, catalog_master_of
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import StoredEvent
from tillflow.services import catalog, connections
from tillflow.services.context import ServiceContext

PRODUCT_EVENTS = frozenset({"product.created", "product.updated"})


def followers(ctx: ServiceContext, uow: UnitOfWork) -> list[str]:
    """The ERP connections whose catalog follows tillflow's."""
    return [record.name for record in uow.connections.all()
            if (spec := ctx.connectors.get(record.platform)) is not None
            and spec.syncs_products
            and catalog_master_of(record.settings) == TILLFLOW_MASTERS]


def queue_change(ctx: ServiceContext, uow: UnitOfWork, event: StoredEvent) -> None:
    """Queue the product of ``event`` for each follower; once per event and connection."""
    sku = str(event.data["sku"])
    change = ProductChange(reference=f"product:{sku}:{event.seq}", sku=sku)
    for name in followers(ctx, uow):
        posting_queue.enqueue(connection_of(uow), name=name, reference=change.reference,
                              entry=product_json(change), now=uow.now)


def push(ctx: ServiceContext, name: str, erp: ErpCatalog,
         changes: Sequence[ProductChange]) -> list[str]:
    """Send the products of ``changes`` to connection ``name``'s ERP, each SKU once (they
    all carry its present state); returns the ERP's product id for each change."""
    if catalog_master_of(connections.get_connection(ctx, name).settings) != TILLFLOW_MASTERS:
        # Queued before the ERP became the master: its products are its own now.
        return [posting_queue.NOTHING_SENT] * len(changes)
    sent: dict[str, str] = {}
    for change in changes:
        if change.sku not in sent:
            sent[change.sku] = str(upsert(erp, catalog.get_product(ctx, change.sku)))
    return [sent[change.sku] for change in changes]


def upsert(erp: ErpCatalog, product: Product) -> int | str:
    """``product`` created in the ERP, or the ERP's brought up to date with it."""
    return erp.upsert_product(sku=product.sku, name=product.name, price=product.price,
                              barcodes=tuple(code.code for code in product.barcodes),
                              tax_rate=product.tax_rate, active=product.active)
