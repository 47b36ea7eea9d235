"""The ERP's catalog follows tillflow's: product changes go out as postings, in order.

The journal consumer queues one posting per ``product.created``/``product.updated`` event
for every ERP connection whose catalog tillflow masters (``settings.catalog`` "tillflow",
the default), in the events log's order and in the queue the sales go through, so the
ERP knows a product before the sale that sells it, and one SKU's changes arrive in order.
A product with options also gets a posting of its own for each ``product_group.*`` event,
which also follows a variant deleted: what no SKU's event carries still reaches the ERP.

The poster sends each as tillflow has it when the posting goes, not as the event saw
it: a retry, a late delivery or a replayed dead letter never puts an older name or price
back. An ERP that groups variants under a template (``ErpCatalogVariants``) gets a
product with options whole, once for all its postings in a batch, through
``upsert_variants``; any other ERP gets each SKU as a product of its own through
``ErpCatalog.upsert_product``. The ERP's product is found by SKU (archived ones too)
before one is created, so a lost answer makes nothing twice, and a product deleted in the
ERP is made again by its next change.
"""

from __future__ import annotations

from collections.abc import Sequence

from tillflow.db.uow import connection_of
from tillflow.domain.catalog import Product
from tillflow.erp import posting_queue
from tillflow.erp.codec import ProductChange, product_json
from tillflow.ports.accounting import (
    TILLFLOW_MASTERS,
    ErpCatalog,
    ErpCatalogVariants,
    ErpProductWithVariants,
    ErpVariant,
    catalog_master_of,
)
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import StoredEvent
from tillflow.services import connections
from tillflow.services.context import ServiceContext
from tillflow.services.variant_groups import (
    GroupWithVariants,
    product_with_options,
    read_group,
)

# A cost moved by goods received changes no version, so it has an event of its own.
PRODUCT_EVENTS = frozenset({"product.created", "product.updated", "product.cost_changed"})
GROUP_EVENTS = frozenset({"product_group.created", "product_group.updated"})
CATALOG_EVENTS = PRODUCT_EVENTS | GROUP_EVENTS


def followers(ctx: ServiceContext, uow: UnitOfWork) -> list[str]:
    """The ERP connections whose catalog follows tillflow's."""
    return [record.name for record in uow.connections.all()
            if (spec := ctx.connectors.get(record.platform)) is not None
            and spec.syncs_products
            and catalog_master_of(record.settings) == TILLFLOW_MASTERS]


def change_of(event: StoredEvent) -> ProductChange | None:
    """What ``event`` asks of the ERP: its SKU, or its product when that has options."""
    if event.type in PRODUCT_EVENTS:
        sku = str(event.data["sku"])
        return ProductChange(reference=f"product:{sku}:{event.seq}", sku=sku)
    if event.type not in GROUP_EVENTS or not event.data["options"]:
        return None
    product_id = int(event.data["id"])
    return ProductChange(reference=f"product-group:{product_id}:{event.seq}",
                         product_id=product_id)


def queue_change(ctx: ServiceContext, uow: UnitOfWork, event: StoredEvent) -> None:
    """Queue the product of ``event`` for each follower; once per event and connection."""
    change = change_of(event)
    if change is None:
        return
    for name in followers(ctx, uow):
        posting_queue.enqueue(connection_of(uow), name=name, reference=change.reference,
                              entry=product_json(change), now=uow.now)


def push(ctx: ServiceContext, name: str, erp: ErpCatalog,
         changes: Sequence[ProductChange]) -> list[str]:
    """Send the products of ``changes`` to connection ``name``'s ERP, each SKU and each
    product with options once (they all carry its present state); returns the ERP's id
    for each change."""
    if catalog_master_of(connections.get_connection(ctx, name).settings) != TILLFLOW_MASTERS:
        # Queued before the ERP became the master: its products are its own now.
        return [posting_queue.NOTHING_SENT] * len(changes)
    sender = Sender(ctx, erp)
    return [sender.send(sku=change.sku, product_id=change.product_id) for change in changes]


class Sender:
    """Products to one ERP, each SKU and each product with options sent once."""

    def __init__(self, ctx: ServiceContext, erp: ErpCatalog) -> None:
        self.ctx = ctx
        self.erp = erp
        self.variants = erp if isinstance(erp, ErpCatalogVariants) else None
        self.sent: dict[str, str] = {}
        self.groups: dict[int, dict[str, str]] = {}

    def send(self, *, sku: str | None, product_id: int | None = None) -> str:
        """The SKU, or the product with options it belongs to (or ``product_id``) where
        the ERP takes those whole; returns the ERP's id of the SKU's product or variant
        (for a product's own posting, that of its first variant)."""
        # Only an ERP that takes products whole needs to know which one a SKU is part of.
        grouped = None if self.variants is None else product_with_options(
            self.ctx, sku=sku, product_id=product_id)
        if self.variants is not None and grouped is not None:
            if grouped not in self.groups:
                self.groups[grouped] = self._upsert_group(self.variants, grouped)
            saved = self.groups[grouped]
            found = saved.get(sku) if sku is not None else next(iter(saved.values()), None)
            return found or posting_queue.NOTHING_SENT
        if sku is None:
            return posting_queue.NOTHING_SENT  # its SKUs have postings of their own
        if sku not in self.sent:
            self.sent[sku] = self._upsert_sku(sku)
        return self.sent[sku]

    def _upsert_group(self, erp: ErpCatalogVariants, product_id: int) -> dict[str, str]:
        with self.ctx.uow(read_only=True) as uow:
            read = read_group(uow, product_id)
        if read is None or not read.variants:
            return {}  # deleted since: nothing of it to send
        return {sku: str(erp_id) for sku, erp_id in erp.upsert_variants(as_erp(read)).items()}

    def _upsert_sku(self, sku: str) -> str:
        with self.ctx.uow(read_only=True) as uow:
            product = uow.products.get(sku)
        if product is None:
            # A variant deleted since: its product's own posting archives it where the
            # ERP groups variants; elsewhere nothing is left to send.
            return posting_queue.NOTHING_SENT
        return str(upsert(self.erp, product))


def as_erp(read: GroupWithVariants) -> ErpProductWithVariants:
    """A product with options as the ERP takes it; its variants share one tax rate."""
    group = read.group
    return ErpProductWithVariants(
        key=str(read.id), name=group.name,
        tax_rate=read.variants[0].tax_rate if read.variants else None,
        category=group.category,
        options=tuple((o.name, o.values) for o in group.options),
        variants=tuple(ErpVariant(sku=v.sku, price=v.price,
                                  barcodes=tuple(code.code for code in v.barcodes),
                                  values=read.values(v), active=v.active, cost=v.cost)
                       for v in read.variants))


def upsert(erp: ErpCatalog, product: Product) -> int | str:
    """``product`` created in the ERP, or the ERP's brought up to date with it."""
    return erp.upsert_product(sku=product.sku, name=product.name, price=product.price,
                              barcodes=tuple(code.code for code in product.barcodes),
                              tax_rate=product.tax_rate, active=product.active,
                              cost=product.cost)
