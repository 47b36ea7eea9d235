"""The Shopify commerce channel: the port's operations in GraphQL Admin API terms.

A large first push of the catalog goes through a bulk operation (see ``upsert_products``).
Stock is written with ``inventorySetQuantities`` (compare-and-set through
``changeFromQuantity``, ``@idempotent`` key from the delivery) in batches of up to 250.
The SKU lives on the inventory item; SKU to item ids are looked up once and cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tillflow.connectors.shopify import (
    customers,
    listing,
    lookup,
    pos_orders,
    product_set,
    queries,
    variants,
    webhooks,
)
from tillflow.connectors.shopify.bulk import BulkMutations
from tillflow.connectors.shopify.client import ShopifyClient, user_errors
from tillflow.connectors.shopify.orders import order_from
from tillflow.ports.commerce import (
    Buyer,
    CheckResult,
    OrderPage,
    OrderRef,
    PosRefund,
    PosSale,
    ProductData,
    ProductWithVariants,
    Refused,
    Rejected,
    RemoteCustomer,
    RemoteOrder,
    RemoteProduct,
    Retryable,
    StaleStock,
    StockTarget,
    Upserted,
    WebhookMessage,
)

STALE = "CHANGE_FROM_QUANTITY_STALE"
SET_BATCH = 250
READ_BATCH = 20
ORDER_PAGES = 8
# What Shopify asks of the bucket for a hundred variants with their options and their
# product's (measured on the simulator: 602 points).
VARIANTS_COST = 610
# Up to this many new products the one-by-one path is as quick: at about 22 points a
# product (bench/sync.py measures it) a hundred take about one full 2,000-point bucket
# and go with little waiting, while a bulk operation costs an upload, polls and a
# download of fixed latency.
BULK_THRESHOLD = 100
BULK_TRIES = 2
# Shopify's storage takes a bulk mutation's variables file up to 20 MiB; a larger catalog
# goes in several operations, one after another (about 40,000 products a file).
BULK_FILE_BYTES = 20 * 1024 * 1024


class ShopifyChannel:
    def __init__(self, client: ShopifyClient, *, webhook_secret: str | None,
                 bulk: BulkMutations | None = None) -> None:
        self.client = client
        self.bulk = bulk or BulkMutations(client)
        self.bulk_file_bytes = BULK_FILE_BYTES
        self._secret = webhook_secret
        self._items: dict[str, str] = {}
        self._variants: dict[str, str] = {}
        self._primary: str | None = None

    @property
    def primary_location(self) -> str:
        if self._primary is None:
            self._primary = str(self.client.execute(queries.PRIMARY_LOCATION,
                                                    expected_cost=2)["location"]["id"])
        return self._primary

    # -- webhooks ------------------------------------------------------------------------

    def ensure_webhooks(self, callback_url: str) -> list[str]:
        present = self._subscribed(callback_url)
        for topic in webhooks.TOPICS:
            if topic in present:
                continue
            result = self.client.execute(queries.WEBHOOK_CREATE, {
                "topic": topic, "sub": {"uri": callback_url, "format": "JSON"},
            })["webhookSubscriptionCreate"]
            if user_errors(result):
                raise Rejected(f"webhook {topic}: {user_errors(result)[0]['message']}")
        return list(webhooks.TOPICS)

    def check(self, callback_url: str) -> CheckResult:
        present = self._subscribed(callback_url)
        missing = [t for t in webhooks.TOPICS if t not in present]
        problems = [f"no webhook subscription for {t} to {callback_url}" for t in missing]
        if not self._secret:
            problems.append("no webhook_secret: webhooks cannot be verified")
        return CheckResult(ok=not problems, problems=problems, webhooks=sorted(present))

    def _subscribed(self, callback_url: str) -> set[str]:
        nodes = self.client.execute(queries.WEBHOOKS, expected_cost=52)[
            "webhookSubscriptions"]["nodes"]
        return {n["topic"] for n in nodes if n["uri"] == callback_url}

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage:
        return webhooks.read(headers, body, secret=self._secret)

    # -- stock ---------------------------------------------------------------------------

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(skus), READ_BATCH):
            found.update(self._read_levels(list(skus[start:start + READ_BATCH]), location))
        return found

    def _read_levels(self, skus: list[str], location: str) -> dict[str, int]:
        found = lookup.variants_by_sku(
            self.client, skus, f"inventoryItem {{ id inventoryLevel(locationId: $loc) "
                               f"{{ {queries.LEVEL} }} }}",
            name="Levels", cost=6, extra={"loc": ("ID!", location)})
        levels: dict[str, int] = {}
        for sku, node in found.items():
            item = node["inventoryItem"]
            self._items[sku] = item["id"]
            level = item["inventoryLevel"]
            levels[sku] = int(level["quantities"][0]["quantity"]) if level else 0
        return levels

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None:
        unknown = [t.sku for t in targets if t.sku not in self._items]
        if unknown:
            raise Rejected(f"SKU {unknown[0]!r} is not in the Shopify catalog")
        for start in range(0, len(targets), SET_BATCH):
            chunk = targets[start:start + SET_BATCH]
            self._set(chunk, key=f"{idempotency_key}-{start // SET_BATCH}")

    def _set(self, targets: Sequence[StockTarget], *, key: str) -> None:
        result = self.client.execute(queries.SET_QUANTITIES, {"key": key, "input": {
            "name": "available", "reason": "correction",
            "referenceDocumentUri": f"tillflow://sync/{key}",
            "quantities": [{"inventoryItemId": self._items[t.sku], "locationId": t.location,
                            "quantity": t.available, "changeFromQuantity": t.expected}
                           for t in targets],
        }})["inventorySetQuantities"]
        errors = user_errors(result)
        if any(e.get("code") == STALE for e in errors):
            raise StaleStock("Shopify's stock moved since it was read")
        if errors:
            raise Rejected(f"inventorySetQuantities: {errors[0]['message']}")

    # -- catalog -------------------------------------------------------------------------

    def upsert_product(self, product: ProductData) -> Upserted:
        current = self._variant(product.sku)
        variant: dict[str, Any] = {"price": str(product.price), "barcode": product.barcode}
        fields = {"title": product.title, "status": product.status.upper()}
        if current is not None:
            product_id = current["product"]["id"]
            self._mutate(queries.PRODUCT_UPDATE, "productUpdate",
                         {"product": {"id": product_id, **fields}})
            self._mutate(queries.VARIANTS_UPDATE, "productVariantsBulkUpdate",
                         {"productId": product_id, "variants": [{"id": current["id"], **variant}]})
            return Upserted(str(product_id), created=False)
        created = self._mutate(queries.PRODUCT_CREATE, "productCreate", {"product": fields})
        product_id = created["product"]["id"]
        made = self._mutate(queries.VARIANTS_CREATE, "productVariantsBulkCreate", {
            "productId": product_id,
            "variants": [{**variant,
                          "inventoryItem": {"sku": product.sku, "tracked": True},
                          "inventoryQuantities": [{"availableQuantity": product.available,
                                                   "locationId": self.primary_location}]}],
        })
        self._items[product.sku] = made["productVariants"][0]["inventoryItem"]["id"]
        self._variants[product.sku] = made["productVariants"][0]["id"]
        return Upserted(str(product_id), created=True)

    def upsert_variants(self, product: ProductWithVariants) -> dict[str, Upserted]:
        """The product with its options and the variants tillflow sells, as one Shopify
        product (see ``variants``)."""
        held = variants.find_held(self.client, [v.sku for v in product.variants])
        now = variants.write(self.client, product, location=self.primary_location, held=held)
        for sku, ids in now.items():
            self._items[sku], self._variants[sku] = ids.item_id, ids.variant_id
        return {sku: Upserted(ids.product_id, created=sku not in held)
                for sku, ids in now.items()}

    def upsert_products(self, products: Sequence[ProductData]
                        ) -> dict[str, Upserted | Refused]:
        """The products the shop lacks, created through bulk ``productSet`` operations
        when there are more than ``BULK_THRESHOLD``; those it has are left to the
        one-by-one path, which updates without touching variants made in the shop. A
        bulk operation that fails or is canceled is run again for the lines it did not
        answer: each line upserts by handle, so nothing is made twice."""
        held = self._catalog_skus()
        new = [p for p in products if p.sku not in held]
        if len(new) <= BULK_THRESHOLD:
            return {}
        specs = [product_set.single(p, self.primary_location) for p in new]
        outcome = product_set.Outcome()
        for run in product_set.files(specs, max_bytes=self.bulk_file_bytes):
            outcome.add(self._bulk_set(run))
        for sku, saved in outcome.saved.items():
            self._items[sku], self._variants[sku] = saved.item_id, saved.variant_id
        return {**{sku: Upserted(s.product_id, created=True)
                   for sku, s in outcome.saved.items()},
                **{sku: Refused(reason) for sku, reason in outcome.refused.items()}}

    def _bulk_set(self, specs: list[product_set.ProductSpec]) -> product_set.Outcome:
        outcome = product_set.Outcome()
        for _ in range(BULK_TRIES):
            result = self.bulk.run(queries.PRODUCT_SET_BULK, product_set.jsonl(specs))
            outcome.add(product_set.read_results(specs, result.lines))
            specs = [s for s in specs if not outcome.answered(s)]
            if result.status == "COMPLETED" or not specs:
                break
        return outcome

    def _catalog_skus(self) -> set[str]:
        skus: set[str] = set()
        cursor: str | None = None
        while True:
            found, cursor = self.products(cursor)
            skus.update(p.sku for p in found)
            if cursor is None:
                return skus

    def _variant(self, sku: str) -> dict[str, Any] | None:
        nodes = self.client.execute(queries.VARIANT_BY_SKU, {"q": lookup.sku_query(sku)},
                                    expected_cost=6)["productVariants"]["nodes"]
        match: dict[str, Any] | None = next((n for n in nodes if n["sku"] == sku), None)
        if match is not None:
            self._items[sku] = match["inventoryItem"]["id"]
            self._variants[sku] = match["id"]
        return match

    def _mutate(self, query: str, name: str, variables: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.client.execute(query, variables)[name]
        if user_errors(result):
            raise Rejected(f"{name}: {user_errors(result)[0]['message']}")
        return result

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]:
        page = self.client.execute(queries.VARIANTS, {"after": cursor},
                                   expected_cost=VARIANTS_COST)["productVariants"]
        info = page["pageInfo"]
        nodes = listing.whole(page["nodes"], self._product_variants)
        return self._remote(nodes), (info["endCursor"] if info["hasNextPage"] else None)

    def product(self, external_id: str) -> list[RemoteProduct]:
        return self._remote(self._product_variants(external_id))

    def _product_variants(self, external_id: str) -> list[dict[str, Any]]:
        node = self.client.execute(queries.PRODUCT, {"id": external_id},
                                   expected_cost=VARIANTS_COST)["product"]
        return [] if node is None else list(node["variants"]["nodes"])

    def _remote(self, nodes: list[dict[str, Any]]) -> list[RemoteProduct]:
        found = []
        for node in nodes:
            if not node["sku"]:
                continue
            self._items[node["sku"]] = node["inventoryItem"]["id"]
            self._variants[node["sku"]] = node["id"]
            found.append(listing.remote(node))
        return found

    # -- orders --------------------------------------------------------------------------

    def order(self, external_id: str) -> RemoteOrder | None:
        node = self.client.execute(queries.ORDER, {"id": external_id},
                                   expected_cost=260)["order"]
        return None if node is None else order_from(node)

    def order_changes(self, cursor: str | None) -> OrderPage:
        """Orders updated at or after ``cursor`` (an ISO time), as ids and times only (a
        cheap query); the next cursor is the newest ``updatedAt`` seen, so a poll repeats
        the last second rather than skip an order changed within it."""
        query = None if cursor is None else f"updated_at:>='{cursor}'"
        changes: list[OrderRef] = []
        after: str | None = None
        for _ in range(ORDER_PAGES):
            page = self.client.execute(queries.ORDER_CHANGES, {"q": query, "after": after},
                                       expected_cost=102)["orders"]
            changes.extend(OrderRef(n["id"], n["updatedAt"]) for n in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        newest = max((c.updated_at for c in changes), default=cursor)
        return OrderPage(changes=changes, cursor=newest)

    def push_sale(self, sale: PosSale) -> str:
        found = pos_orders.find(self.client, sale.source_id)
        if found is not None:
            return found
        for sku in {line.sku for line in sale.lines} - set(self._variants):
            if self._variant(sku) is None:
                raise Rejected(f"SKU {sku!r} is not in the Shopify catalog")
        try:
            return pos_orders.create(self.client, sale, self._variants, self._buyer(sale))
        except pos_orders.UnknownVariant as exc:
            for line in sale.lines:  # a remembered variant is gone: look them up again
                self._variants.pop(line.sku, None)
            raise Retryable(str(exc)) from None

    def push_refund(self, refund: PosRefund) -> str:
        return pos_orders.refund(self.client, refund)

    def _buyer(self, sale: PosSale) -> str | None:
        """The sale's customer in the shop; an order without one beats no order."""
        if sale.buyer is None:
            return None
        try:
            return customers.upsert(self.client, sale.buyer, None).external_id
        except Rejected:
            return None

    # -- customers -----------------------------------------------------------------------

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        return customers.upsert(self.client, customer, external_id)

    def customer(self, external_id: str) -> RemoteCustomer | None:
        return customers.fetch(self.client, external_id)

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        return customers.changes(self.client, cursor)

    def budget_used(self) -> float:
        throttle = self.client.throttle
        return 1.0 - throttle.available / max(throttle.maximum, 1.0)

    def close(self) -> None:
        self.client.close()
