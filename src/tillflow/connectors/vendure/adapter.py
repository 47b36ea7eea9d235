"""The Vendure commerce channel over the Admin GraphQL API.

Each SKU is one Vendure variant, written by its variant id (a product with options is
one Vendure product with option groups, see ``variants``); a SKU that more than one
variant carries is refused with the variant ids named, never guessed. The engine knows
a product by its Vendure product id (what the plugin's product webhooks name).

Vendure has no compare-and-set for stock, so ``set_stock`` reads the variants right
before writing and refuses (``StaleStock``) when the figure moved since the engine read
it; the write sets ``stockOnHand`` from the allocation it just read (see ``catalog``).
A fulfilment landing between that read and the write is the one change it can miss;
the next push or the reconciler puts it right.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tillflow.connectors.common import whole_products
from tillflow.connectors.vendure import queries, webhooks
from tillflow.connectors.vendure.catalog import Settings, Variant, by_sku, duplicate_error
from tillflow.connectors.vendure.client import VendureClient
from tillflow.connectors.vendure.customers import VendureCustomers
from tillflow.connectors.vendure.orders import order_from
from tillflow.connectors.vendure.pos_orders import push_sale
from tillflow.connectors.vendure.refunds import push_refund
from tillflow.connectors.vendure.variants import slug, upsert_variants
from tillflow.ports.commerce import (
    Buyer,
    CheckResult,
    OrderPage,
    OrderRef,
    PosRefund,
    PosSale,
    ProductData,
    ProductWithVariants,
    Rejected,
    RemoteCustomer,
    RemoteOrder,
    RemoteProduct,
    StaleStock,
    StockTarget,
    Upserted,
    WebhookMessage,
)

PAGE = 100
ORDER_PAGES = 8
SETTINGS_TTL = 60.0


class VendureChannel:
    def __init__(self, client: VendureClient, *, webhook_secret: str | None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self._secret = webhook_secret
        self._monotonic = monotonic
        self._settings: tuple[float, Settings] | None = None
        self.customers = VendureCustomers(client)

    def settings(self) -> Settings:
        now = self._monotonic()
        if self._settings is None or now - self._settings[0] > SETTINGS_TTL:
            self._settings = (now, Settings.of(self.client.execute(queries.SETTINGS)))
        return self._settings[1]

    @property
    def primary_location(self) -> str:
        return self.settings().primary_location

    # -- webhooks ------------------------------------------------------------------------

    def ensure_webhooks(self, callback_url: str) -> list[str]:
        """Vendure cannot be told where to send events: tillflow's plugin, configured
        with ``callback_url`` and the webhook secret, sends them. This checks access."""
        self.settings()
        return list(webhooks.TOPICS)

    def check(self, callback_url: str) -> CheckResult:
        problems: list[str] = []
        try:
            self._settings = None
            self.settings()
            _, duplicates = by_sku(self._all_variants())
        except Rejected as exc:
            return CheckResult(ok=False, problems=[str(exc)], webhooks=[])
        if duplicates:
            problems.append(str(duplicate_error(duplicates)))
        try:
            self.client.execute(queries.PLUGIN_FIELD)
        except Rejected:
            problems.append("tillflow's Vendure plugin is not installed (no tillflowSaleId "
                            "order field): no real-time events, and till sales cannot "
                            "become orders")
        if not self._secret:
            problems.append("no webhook_secret: the plugin's webhooks cannot be verified")
        return CheckResult(ok=not problems, problems=problems, webhooks=list(webhooks.TOPICS))

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage:
        return webhooks.read(headers, body, secret=self._secret)

    # -- stock ---------------------------------------------------------------------------

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]:
        settings = self._location(location)
        return {sku: v.available(location, settings.primary_location)
                for sku, v in self._variants(skus).items()}

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None:
        settings = self.settings()
        for location in {t.location for t in targets}:
            self._location(location)
        now = self._variants([t.sku for t in targets])
        unknown = [t.sku for t in targets if t.sku not in now]
        if unknown:
            raise Rejected(f"SKU {unknown[0]!r} is not in the Vendure catalog")
        primary = settings.primary_location
        if any(t.expected is not None and now[t.sku].available(t.location, primary) != t.expected
               for t in targets):
            raise StaleStock("Vendure's stock moved since it was read")
        levels: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in targets:
            variant = now[t.sku]
            levels[variant.id].append({"stockLocationId": t.location, "stockOnHand":
                                       variant.on_hand_for(t.location, t.available, primary)})
        self.client.execute(queries.UPDATE_VARIANTS, {"input": [
            {"id": vid, "trackInventory": "TRUE", "stockLevels": stock}
            for vid, stock in levels.items()]})

    def _location(self, location: str) -> Settings:
        settings = self.settings()
        if location not in settings.locations:
            raise Rejected(f"Vendure has no stock location {location!r}")
        return settings

    def _variants(self, skus: Sequence[str]) -> dict[str, Variant]:
        settings = self.settings()
        found: list[Variant] = []
        wanted = sorted(set(skus))
        for start in range(0, len(wanted), PAGE):
            data = self.client.execute(queries.VARIANTS_BY_SKU, {
                "skus": wanted[start:start + PAGE], "take": PAGE * 2})
            found.extend(Variant.of(node, settings) for node in data["productVariants"]["items"])
        unique, duplicates = by_sku(found)
        if duplicates:
            raise duplicate_error(duplicates)
        return unique

    def _all_variants(self) -> list[Variant]:
        found: list[Variant] = []
        cursor: str | None = None
        while True:
            page, cursor = self._variant_page(cursor)
            found.extend(page)
            if cursor is None:
                return found

    def _variant_page(self, cursor: str | None) -> tuple[list[Variant], str | None]:
        settings, skip = self.settings(), int(cursor or 0)
        data = self.client.execute(queries.VARIANTS_PAGE, {"skip": skip, "take": PAGE})
        page = data["productVariants"]
        found = [Variant.of(node, settings) for node in page["items"]]
        more = skip + len(found) < int(page["totalItems"]) and bool(found)
        return found, (str(skip + len(found)) if more else None)

    # -- catalog -------------------------------------------------------------------------

    def upsert_product(self, product: ProductData) -> Upserted:
        settings = self.settings()
        price = settings.currency.to_minor(product.price)  # Vendure's Money: minor units
        enabled = product.status == "active"
        translation = {"languageCode": settings.language, "name": product.title}
        existing = self._variants([product.sku]).get(product.sku)
        if existing is not None and existing.shows(product.title, product.price, enabled):
            return Upserted(existing.product_id, created=False)
        if existing is not None:
            self.client.execute(queries.UPDATE_VARIANTS, {"input": [{
                "id": existing.id, "price": price, "enabled": enabled,
                "translations": [translation]}]})
            if existing.siblings == 1:  # the product is this variant: keep its name in step
                self.client.execute(queries.UPDATE_PRODUCT, {"input": {
                    "id": existing.product_id, "enabled": enabled,
                    "translations": [translation]}})
            return Upserted(existing.product_id, created=False)
        created = self.client.execute(queries.CREATE_PRODUCT, {"input": {
            "enabled": enabled, "translations": [{**translation, "slug": slug(product.sku),
                                                  "description": ""}]}})
        product_id = created["createProduct"]["id"]
        primary = settings.primary_location
        variants = self.client.execute(queries.CREATE_VARIANTS, {"input": [{
            "productId": product_id, "sku": product.sku, "price": price, "enabled": enabled,
            "trackInventory": "TRUE", "translations": [translation],
            "stockLevels": [{"stockLocationId": primary,
                             "stockOnHand": product.available + settings.threshold}]}]})
        if len(variants["createProductVariants"]) != 1:
            raise Rejected(f"Vendure did not create the variant for {product.sku!r}")
        return Upserted(str(product_id), created=True)

    def upsert_variants(self, product: ProductWithVariants) -> dict[str, Upserted]:
        return upsert_variants(self.client, self.settings(), self._variants, product)

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]:
        """Variants with a SKU, each product's all together (see ``whole_products``); a
        SKU on several variants is left out (it cannot be mapped; ``check`` names it)."""
        page, after = self._variant_page(cursor)
        page = whole_products.whole(page, id_of=lambda v: v.id, product_of=lambda v: v.product_id,
                                    count_of=lambda v: v.siblings, read=self._product_variants)
        unique, _ = by_sku(page)
        return [v.remote() for v in page if unique.get(v.sku) is v], after

    def product(self, external_id: str) -> list[RemoteProduct]:
        return [v.remote() for v in self._product_variants(external_id) if v.sku]

    def _product_variants(self, external_id: str) -> list[Variant]:
        data = self.client.execute(queries.PRODUCT_VARIANTS, {"id": external_id})
        if data["product"] is None:
            return []
        settings = self.settings()
        return [Variant.of(node, settings) for node in data["product"]["variants"]]

    # -- orders --------------------------------------------------------------------------

    def order(self, external_id: str) -> RemoteOrder | None:
        data = self.client.execute(queries.ORDER_BY_ID, {"id": external_id})
        return None if data["order"] is None else order_from(data["order"], self.settings())

    def order_changes(self, cursor: str | None) -> OrderPage:
        """Orders changed at or after ``cursor``: Vendure keeps ``updatedAt`` to the
        second and ``after`` is strict, so the query starts one second earlier."""
        changes: list[OrderRef] = []
        after = _before(cursor)
        for page in range(ORDER_PAGES):
            items = self.client.execute(queries.ORDERS_CHANGED, {
                "after": after, "skip": page * PAGE, "take": PAGE})["orders"]["items"]
            changes.extend(OrderRef(str(i["id"]), i["updatedAt"]) for i in items)
            if len(items) < PAGE:
                break
        newest = max((c.updated_at for c in changes), default=cursor)
        return OrderPage(changes=changes, cursor=newest)

    def push_sale(self, sale: PosSale) -> str:
        return push_sale(self.client, self.settings(), self._variants, sale)

    def push_refund(self, refund: PosRefund) -> str:
        return push_refund(self.client, self.settings(), refund)

    # -- customers -----------------------------------------------------------------------

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        return self.customers.upsert(customer, external_id)

    def customer(self, external_id: str) -> RemoteCustomer | None:
        return self.customers.get(external_id)

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        return self.customers.changes(_before(cursor), cursor)

    def budget_used(self) -> float | None:
        return None

    def close(self) -> None:
        self.client.close()


def _before(cursor: str | None) -> str:
    if not cursor:
        return "1970-01-01T00:00:00Z"
    moment = datetime.fromisoformat(cursor.replace("Z", "+00:00")) - timedelta(seconds=1)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
