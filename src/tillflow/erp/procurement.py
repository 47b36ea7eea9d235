"""What tillflow takes from the ERP: products (both ways) and goods received.

A receipt becomes a ``receipt`` movement in tillflow's stock ledger, written in the same
transaction as the marker that says it was imported, so pulling again never counts the
same goods twice.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from tillflow.db.tables_accounting import erp_imports
from tillflow.db.uow import connection_of
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.erp import catalog_out, journal
from tillflow.ports.accounting import (
    ERP_MASTERS,
    SYNC_SCOPES,
    ErpCatalog,
    ErpProduct,
    ErpReceipt,
    catalog_master_of,
)
from tillflow.services import catalog, connections
from tillflow.services.catalog_master import Master
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.inventory import record_movements

RECEIPT = "receipt"
PAGE = 200


def pull_receipts(ctx: ServiceContext, name: str, erp: ErpCatalog) -> int:
    """Bring goods received in the ERP into tillflow's stock ledger; returns how many moves."""
    mapping = _locations(ctx, name, erp)
    with ctx.uow(read_only=True) as uow:
        after = _last_import(connection_of(uow), name)
    imported = 0
    for receipt in erp.receipts(after=after, locations=mapping):
        imported += _import_receipt(ctx, name, receipt)
    return imported


def _locations(ctx: ServiceContext, name: str, erp: ErpCatalog) -> dict[str, str]:
    """ERP location code → tillflow location; a one-location store defaults to the warehouse."""
    configured = connections.get_connection(ctx, name).settings.get("locations") or {}
    if configured:
        return {str(erp_code): str(code) for code, erp_code in configured.items()}
    with ctx.uow(read_only=True) as uow:
        stores = uow.locations.all()
    if len(stores) != 1:
        raise InvalidInput("map tillflow locations to ERP locations in settings.locations",
                           details={"field": "settings.locations"})
    return {erp.storage_location(): stores[0].code}


def _last_import(connection: Connection, name: str) -> int:
    ids = connection.execute(select(erp_imports.c.external_id).where(
        erp_imports.c.connection == name, erp_imports.c.kind == RECEIPT)).scalars().all()
    return max((int(i) for i in ids), default=0)


def _import_receipt(ctx: ServiceContext, name: str, receipt: ErpReceipt) -> int:
    with ctx.uow() as uow:
        seen = connection_of(uow).execute(select(func.count()).select_from(erp_imports).where(
            erp_imports.c.connection == name, erp_imports.c.kind == RECEIPT,
            erp_imports.c.external_id == receipt.external_id)).scalar_one()
        product = uow.products.get(receipt.sku)
        location = uow.locations.get(receipt.location)
        if seen or product is None or product.id is None or location is None:
            return 0
        connection_of(uow).execute(erp_imports.insert().values(
            connection=name, kind=RECEIPT, external_id=receipt.external_id,
            imported_at=uow.now))
        record_movements(uow, SYSTEM, {product.id: product.sku}, [location], [
            Movement(product.id, location.id, MovementKind.RECEIPT, receipt.quantity,
                     reason=f"received in {name}: {receipt.shipment}",
                     reference=f"{name}:move:{receipt.external_id}"),
        ])
        uow.commit()
    return 1


def pull_products(ctx: ServiceContext, erp: ErpCatalog, *, source: str) -> int:
    """Create or update tillflow products from the ERP's (the ERP connection ``source``
    masters them); their cost prices feed COGS."""
    changed = 0
    for item in erp.products():
        try:
            current = catalog.get_product(ctx, item.sku)
        except NotFound:  # a product the ERP has and tillflow lacks
            current = None
        if current is None:
            catalog.create_product(ctx, catalog.ProductInput(
                sku=item.sku, name=item.name, price=ctx.currency.format(item.price),
                barcodes=item.barcodes), source=source)
            changed += 1
        elif current.price != item.price or current.name != item.name:
            catalog.update_product(ctx, item.sku, catalog.ProductChanges(
                name=item.name, price=ctx.currency.format(item.price)), source=source)
            changed += 1
        _set_cost(ctx, item, source=source)
    return changed


def pull_costs(ctx: ServiceContext, erp: ErpCatalog, *, source: str) -> int:
    """The ERP's cost prices of the products tillflow has, as unit costs for COGS; the
    products themselves are tillflow's. Returns how many costs changed."""
    changed = 0
    for item in erp.products():
        changed += _set_cost(ctx, item, source=source)
    return changed


def _set_cost(ctx: ServiceContext, item: ErpProduct, *, source: str) -> int:
    """1 when the ERP's cost of a product tillflow has changed (and is now stored), else 0."""
    if item.cost is None:
        return 0
    with ctx.uow() as uow:
        known = journal.costs(connection_of(uow), [item.sku]).get(item.sku)
        if known == item.cost or uow.products.get(item.sku) is None:
            return 0
        journal.set_cost(connection_of(uow), sku=item.sku, unit_cost=item.cost, source=source)
        uow.commit()
    return 1


def push_products(ctx: ServiceContext, erp: ErpCatalog) -> int:
    """Create or update every tillflow product in the ERP (SKU, name, price, barcodes, the
    sale tax of its rate, so the ERP taxes what the till sold as the till did, and whether
    it is active), a product with options whole where the ERP takes those so: the repair
    for an ERP that missed changes."""
    pushed, after = 0, None
    sender = catalog_out.Sender(ctx, erp)
    while page := catalog.search_products(ctx, query=None, after_sku=after, limit=PAGE):
        for product in page:
            sender.send(sku=product.sku)
            pushed += 1
        after = page[-1].sku
    return pushed


def sync(ctx: ServiceContext, name: str, erp: ErpCatalog, *, scope: str) -> int:
    """Run one scope against the ERP; returns how many records changed.

    ``products-in`` brings the ERP's products where it masters the catalog, and only their
    cost prices where tillflow does; ``products-out`` is refused where the ERP masters it
    (it would overwrite the ERP's own products with tillflow's copies).
    """
    view = connections.get_connection(ctx, name)
    masters = catalog_master_of(view.settings) == ERP_MASTERS
    if scope == "receipts":
        return pull_receipts(ctx, name, erp)
    if scope == "products-in":
        return (pull_products if masters else pull_costs)(ctx, erp, source=name)
    if scope == "products-out" and masters:
        raise InvalidInput(f"connection {name!r} masters the catalog (settings.catalog is "
                           f"\"erp\"): tillflow does not push products to it",
                           details={"field": "scope", "connection": name,
                                    "master": Master(name, view.platform).label})
    if scope == "products-out":
        return push_products(ctx, erp)
    raise InvalidInput(f"scope must be one of {', '.join(SYNC_SCOPES)}", details={"field": "scope"})
