"""The Magento commerce channel over the REST API.

Magento Open Source sends no webhooks: orders and customers come in by polling their
``updated_at`` (the engine's poll, at the connection's ``poll_interval``), which is the
truth. Each SKU is one simple product, a product with options a configurable product of
them (see ``configurable``); stock is written to MSI source items (see ``stock``). Till
sales are not recorded as Magento orders (see ``push_sale``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from tillflow.connectors.magento import bulk, catalog, configurable, listing, search
from tillflow.connectors.magento.bulk import BulkWait
from tillflow.connectors.magento.client import GLOBAL, MagentoClient, NotFound
from tillflow.connectors.magento.customers import MagentoCustomers
from tillflow.connectors.magento.dates import magento_time
from tillflow.connectors.magento.orders import order_from, time_of, version
from tillflow.connectors.magento.search import Filter
from tillflow.connectors.magento.stock import SourceStock, source_item
from tillflow.connectors.magento.store import StoreLayout
from tillflow.ports.commerce import (
    BadWebhook,
    Buyer,
    CheckResult,
    OrderPage,
    OrderRef,
    PosSale,
    ProductData,
    ProductWithVariants,
    Rejected,
    RemoteCustomer,
    RemoteOrder,
    RemoteProduct,
    StockTarget,
    Upserted,
    VariantData,
    WebhookMessage,
)

ORDER_PAGE = 100
ORDER_PAGES = 8
# Magento's times are to the second, and an order saved in the second of the last poll
# may not have been listed then: each poll reads the last seconds again (the engine skips
# what it applied at that version).
OVERLAP = timedelta(seconds=2)
TILL_SALES_LIMIT = (
    "Magento Open Source cannot record a till sale as an order: its REST API makes orders "
    "only through a cart, at the catalog's prices and reserving the goods again; set "
    "push_pos_sales to false for this connection")


class MagentoChannel:
    def __init__(self, client: MagentoClient, *, source: str, website: str,
                 barcode_attribute: str | None, bulk_wait: BulkWait | None = None) -> None:
        self.client = client
        self.bulk_wait = bulk_wait or BulkWait()
        self.layout = StoreLayout(client, website=website)
        self.sources = SourceStock(client, primary_source=source)
        self._barcode = barcode_attribute
        self._customers: MagentoCustomers | None = None
        # The configurables' children, read when a listing of the catalog starts and kept
        # for its later pages.
        self._linked: frozenset[str] | None = None

    @property
    def primary_location(self) -> str:
        return self.sources.primary

    @property
    def customers(self) -> MagentoCustomers:
        if self._customers is None:
            self._customers = MagentoCustomers(self.client,
                                               website_id=self.layout.facts().website_id)
        return self._customers

    # -- no webhooks in Open Source ----------------------------------------------------

    def ensure_webhooks(self, callback_url: str) -> list[str]:
        self.layout.facts()
        return []

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage:
        raise BadWebhook("Magento Open Source sends no webhooks: tillflow polls the store")

    def check(self, callback_url: str) -> CheckResult:
        problems: list[str] = []
        try:
            facts = self.layout.facts()
        except Rejected as exc:
            return CheckResult(ok=False, problems=[str(exc)], webhooks=[])
        if self.primary_location not in facts.linked_sources:
            problems.append(f"the source {self.primary_location!r} (settings.source) is not "
                            f"linked to stock {facts.stock_id}, which sells on the website")
        for what, path in (("products", "/V1/products"), ("orders", "/V1/orders"),
                           ("customers", "/V1/customers/search"),
                           ("source items", "/V1/inventory/source-items")):
            try:
                self.client.call("GET", path, params=search.criteria(page_size=1))
            except Rejected as exc:
                problems.append(f"cannot read {what}: {exc}")
        return CheckResult(ok=not problems, problems=problems, webhooks=[])

    # -- stock ---------------------------------------------------------------------------

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]:
        figures = self.sources.read(skus, location, self.layout.facts())
        return {sku: figure.available for sku, figure in figures.items()}

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None:
        self.sources.write(targets, self.layout.facts())

    # -- catalog -------------------------------------------------------------------------

    def upsert_product(self, product: ProductData) -> Upserted:
        facts = self.layout.facts()
        current = catalog.find(self.client, product.sku)
        if current is not None:
            self.client.call("PUT", catalog.path(product.sku), store=GLOBAL, json_body={
                "product": catalog.changed_product(product, current, website_id=facts.website_id,
                                                   barcode_attribute=self._barcode)})
            return Upserted(str(current["id"]), created=False)
        created = self.client.call("POST", "/V1/products", store=GLOBAL, json_body={
            "product": catalog.new_product(product, website_id=facts.website_id,
                                           barcode_attribute=self._barcode)})
        self.sources.write([StockTarget(product.sku, self.primary_location,
                                        max(0, product.available), None)], facts)
        return Upserted(str(created["id"]), created=True)

    def upsert_products(self, products: Sequence[ProductData]) -> dict[str, Upserted]:
        """The whole catalog through the asynchronous bulk endpoints (see ``bulk``):
        Magento's simple products read once, page by page, then saved in bulks, the new
        ones found again by id and given their stock on the primary source."""
        facts = self.layout.facts()
        held = {str(p["sku"]).lower(): p for p in bulk.simple_products(self.client)}
        newest = max((int(p["id"]) for p in held.values()), default=0)
        saved = bulk.save_products(self.client, [
            catalog.changed_product(p, held[p.sku.lower()], website_id=facts.website_id,
                                    barcode_attribute=self._barcode)
            if p.sku.lower() in held else
            catalog.new_product(p, website_id=facts.website_id, barcode_attribute=self._barcode)
            for p in products], self.bulk_wait)
        made = [p for p in products if p.sku in saved and p.sku.lower() not in held]
        # A new product has no open orders yet: its source quantity is tillflow's figure.
        bulk.save_source_items(self.client, [source_item(StockTarget(
            p.sku, self.primary_location, max(0, p.available), None), Decimal(0))
            for p in made], self.bulk_wait)
        ids = {str(p["sku"]).lower(): str(p["id"]) for p in held.values()}
        if made:
            ids |= {str(p["sku"]).lower(): str(p["id"])
                    for p in bulk.simple_products(self.client, after_id=newest)}
        return {sku: Upserted(ids[sku.lower()], created=sku.lower() not in held)
                for sku in saved if sku.lower() in ids}

    def upsert_variants(self, product: ProductWithVariants) -> dict[str, Upserted]:
        """A configurable product of simple ones; each variant new to it starts with its
        figure on the primary source."""
        facts = self.layout.facts()

        def starting_stock(made: Sequence[VariantData]) -> None:
            self.sources.write([StockTarget(v.sku, self.primary_location, max(0, v.available),
                                            None) for v in made], facts)

        pushed = configurable.upsert(self.client, product, website_id=facts.website_id,
                                     barcode_attribute=self._barcode,
                                     starting_stock=starting_stock)
        return {v.sku: Upserted(pushed.parent_id, created=v.sku in pushed.created)
                for v in product.variants}

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]:
        if cursor is None or self._linked is None:
            self._linked = listing.children(self.client)
        return listing.page(self.client, cursor, barcode_attribute=self._barcode,
                            linked=self._linked)

    def product(self, external_id: str) -> list[RemoteProduct]:
        return listing.by_id(self.client, external_id, barcode_attribute=self._barcode)

    # -- orders --------------------------------------------------------------------------

    def order(self, external_id: str) -> RemoteOrder | None:
        if not external_id.isdigit():
            return None
        try:
            payload = self.client.call("GET", f"/V1/orders/{external_id}")
        except NotFound:
            return None
        return order_from(payload, self._memos(payload))

    def _memos(self, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
        if not any(i.get("qty_refunded") for i in payload.get("items") or []):
            return []
        return search.every(self.client, "/V1/creditmemos", search.where(
            Filter("order_id", str(payload["entity_id"]))), sort=[("entity_id", "ASC")])

    def order_changes(self, cursor: str | None) -> OrderPage:
        """Orders updated at or after ``cursor`` less the overlap, oldest first."""
        since = None if cursor is None else magento_time(cursor, earlier=OVERLAP)
        changes = [OrderRef(str(o["entity_id"]), version(o)) for o in search.changed_since(
            self.client, "/V1/orders", since, id_field="entity_id", page_size=ORDER_PAGE,
            max_pages=ORDER_PAGES)]
        return OrderPage(changes=changes,
                         cursor=max((time_of(c.updated_at) for c in changes), default=cursor))

    def push_sale(self, sale: PosSale) -> str:
        raise Rejected(TILL_SALES_LIMIT)

    # -- customers -----------------------------------------------------------------------

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        return self.customers.upsert(customer, external_id)

    def customer(self, external_id: str) -> RemoteCustomer | None:
        return self.customers.fetch(external_id)

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        return self.customers.changes(cursor)

    def budget_used(self) -> float | None:
        return None

    def close(self) -> None:
        self.client.close()
