"""Multi-Source Inventory: sources, stocks, their links, source items and reservations.

The salable quantity of a SKU in a stock is the quantity of its in-stock source items on
the enabled sources linked to the stock, plus the stock's reservations for it (negative
while an order holds goods). A placed order reserves; a shipment deducts from a source and
gives the reservation back; a cancel or a refund of what was never shipped gives it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import ZERO, Reservation, SourceItem, StockSourceLink
from tillflow_simulators.magento.store import DEFAULT_STOCK_ID, MagentoStore

NOT_FOUND_SKUS = "Following products with requested skus were not found: %skus"
NO_SOURCE_ITEMS = "Can't check requested quantity for products without Source Items support."
SOURCE_TYPES = ("simple", "virtual", "downloadable")


def source_item(store: MagentoStore, sku: str, source_code: str) -> SourceItem | None:
    return store.source_items.get((sku.lower(), source_code))


def save_source_items(store: MagentoStore, items: Iterable[dict[str, Any]]) -> None:
    """``POST /V1/inventory/source-items``: an absolute upsert per SKU and source."""
    checked = [_checked_source_item(store, raw) for raw in items]
    for item in checked:
        store.source_items[(item.sku.lower(), item.source_code)] = item
        product = store.product(item.sku)
        if product is not None:
            product.updated_at = store.now()


def delete_source_items(store: MagentoStore, items: Iterable[dict[str, Any]]) -> None:
    for raw in items:
        store.source_items.pop((str(raw.get("sku", "")).lower(), str(raw.get("source_code"))), None)


def set_quantity(
    store: MagentoStore, sku: str, source_code: str, quantity: Decimal, status: int | None = None
) -> SourceItem:
    """Change a source item the way the admin's product form would."""
    in_stock = status if status is not None else (1 if quantity > 0 else 0)
    item = SourceItem(_product_sku(store, sku), source_code, quantity, in_stock)
    store.source_items[(sku.lower(), source_code)] = item
    return item


def linked_sources(store: MagentoStore, stock_id: int) -> list[StockSourceLink]:
    links = [link for link in store.links if link.stock_id == stock_id]
    return sorted(links, key=lambda link: link.priority)


def salable_quantity(store: MagentoStore, sku: str, stock_id: int) -> Decimal:
    product = store.product(sku)
    if product is None:
        raise MagentoError(NOT_FOUND_SKUS, {"skus": sku})
    if product.type_id not in SOURCE_TYPES:
        raise MagentoError(NO_SOURCE_ITEMS)
    if stock_id not in store.stocks:
        raise NoSuchEntity('Stock with id "%value" does not exist.', {"value": stock_id})
    on_hand = ZERO
    for link in linked_sources(store, stock_id):
        item = source_item(store, sku, link.source_code)
        source = store.sources.get(link.source_code)
        if item is not None and item.status == 1 and source is not None and source.enabled:
            on_hand += item.quantity
    return on_hand + reserved(store, sku, stock_id)


def reserved(store: MagentoStore, sku: str, stock_id: int) -> Decimal:
    return sum(
        (
            r.quantity
            for r in store.reservations
            if r.stock_id == stock_id and r.sku.lower() == sku.lower()
        ),
        ZERO,
    )


def reserve(
    store: MagentoStore, sku: str, quantity: Decimal, *, event: str, order: Any, stock_id: int
) -> Reservation:
    reservation = Reservation(
        reservation_id=store.next_id("reservation"),
        stock_id=stock_id,
        sku=sku,
        quantity=quantity,
        metadata={
            "event_type": event,
            "object_type": "order",
            "object_id": str(order.entity_id),
            "object_increment_id": order.increment_id,
        },
    )
    store.reservations.append(reservation)
    return reservation


def stock_for_website(store: MagentoStore, website_code: str) -> int:
    for stock in store.stocks.values():
        if ("website", website_code) in stock.sales_channels:
            return stock.stock_id
    return DEFAULT_STOCK_ID


def deduct(store: MagentoStore, sku: str, quantity: Decimal, source_code: str) -> None:
    """A shipment takes goods off the shelf of one source."""
    item = source_item(store, sku, source_code)
    if item is None:
        raise MagentoError(
            "Not all of your products are available in the requested quantity.", None
        )
    item.quantity -= quantity
    if item.quantity <= 0:
        item.status = 0


def put_back(store: MagentoStore, sku: str, quantity: Decimal, source_code: str) -> None:
    """A credit memo returns goods to the source they were shipped from."""
    item = source_item(store, sku, source_code)
    if item is None:
        set_quantity(store, sku, source_code, quantity)
        return
    item.quantity += quantity
    if item.quantity > 0:
        item.status = 1


def pick_source(store: MagentoStore, sku: str, quantity: Decimal, stock_id: int) -> str:
    """The source a shipment deducts from when the caller names none: the first linked
    source, by priority, that holds enough (Magento's priority algorithm)."""
    links = linked_sources(store, stock_id)
    for link in links:
        item = source_item(store, sku, link.source_code)
        if item is not None and item.quantity >= quantity:
            return link.source_code
    return links[0].source_code if links else "default"


def _checked_source_item(store: MagentoStore, raw: dict[str, Any]) -> SourceItem:
    sku, code = raw.get("sku"), raw.get("source_code")
    if not sku:
        raise MagentoError('"%field" can not be empty.', {"field": "sku"})
    if not code:
        raise MagentoError('"%field" can not be empty.', {"field": "source_code"})
    if code not in store.sources:
        raise MagentoError(
            'Could not save Source Item: Source with code "%value" does not exist.',
            {"value": code},
        )
    quantity = raw.get("quantity")
    status = raw.get("status")
    return SourceItem(
        sku=_product_sku(store, str(sku)),
        source_code=str(code),
        quantity=Decimal(0) if quantity is None else Decimal(quantity),
        status=int(status) if status is not None else 1,
    )


def _product_sku(store: MagentoStore, sku: str) -> str:
    product = store.product(sku)
    return product.sku if product is not None else sku
