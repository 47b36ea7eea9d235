"""The WooCommerce commerce channel over REST API v3.

WooCommerce has no compare-and-set for stock: the channel reads the figures again right
before a batch write and refuses (``StaleStock``) if they moved, which narrows the race
to the write itself; the next stock change or the reconciler closes what remains.
Writes go through the batch endpoints (at most 100 items a call); a variation is
written through its parent's ``variations/batch`` (see ``stock``).

Dates: WooCommerce reads a date filter without an offset in the shop's own time zone
unless ``dates_are_gmt`` is set, so every filter here is sent in GMT with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tillflow.connectors.woocommerce import customers, pos_orders, stock, variants, webhooks
from tillflow.connectors.woocommerce.client import WooClient
from tillflow.connectors.woocommerce.dates import stamp
from tillflow.connectors.woocommerce.orders import order_from
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
    StockTarget,
    Upserted,
    WebhookMessage,
)

BATCH = stock.BATCH
ORDER_PAGES = 8
DEFAULT_LOCATION = "default"


class WooCommerceChannel:
    def __init__(self, client: WooClient, *, webhook_secret: str) -> None:
        self.client = client
        self._secret = webhook_secret

    @property
    def primary_location(self) -> str:
        return DEFAULT_LOCATION

    # -- webhooks ------------------------------------------------------------------------

    def ensure_webhooks(self, callback_url: str) -> list[str]:
        """One active webhook per topic to ``callback_url``. WooCommerce disables a webhook
        after repeated failed deliveries (tillflow down for a while): such a webhook is
        switched back on rather than doubled."""
        hooks = self._hooks(callback_url)
        for topic in webhooks.TOPICS:
            mine = [h for h in hooks if h["topic"] == topic]
            if any(h["status"] == "active" for h in mine):
                continue
            if mine:
                self.client.call("PUT", f"/webhooks/{mine[0]['id']}",
                                 json={"status": "active", "secret": self._secret})
            else:
                self.client.call("POST", "/webhooks", json={
                    "name": f"tillflow {topic}", "topic": topic, "delivery_url": callback_url,
                    "secret": self._secret, "status": "active"})
        return list(webhooks.TOPICS)

    def check(self, callback_url: str) -> CheckResult:
        hooks = self._hooks(callback_url)
        present = sorted({h["topic"] for h in hooks if h["status"] == "active"})
        problems = [_missing_hook(topic, callback_url, hooks)
                    for topic in webhooks.TOPICS if topic not in present]
        problems += self._stock_problems()
        return CheckResult(ok=not problems, problems=problems, webhooks=present)

    def _stock_problems(self) -> list[str]:
        try:
            managed = stock.shop_manages_stock(self.client)
        except Rejected as exc:  # a key whose user may not read the shop's settings
            return [f"cannot read whether the shop manages stock ({exc})"]
        return [] if managed else [
            "stock management is off for the whole shop, so WooCommerce ignores every "
            f"stock figure tillflow sends; turn on {stock.SHOP_SETTING_NAME}"]

    def _hooks(self, callback_url: str) -> list[dict[str, Any]]:
        hooks = self.client.call("GET", "/webhooks", params={"per_page": 100})
        return [h for h in hooks if h["delivery_url"] == callback_url]

    def read_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookMessage:
        return webhooks.read(headers, body, secret=self._secret)

    # -- stock ---------------------------------------------------------------------------

    def stock(self, skus: Sequence[str], location: str) -> dict[str, int]:
        return {sku: item.quantity for sku, item in stock.read(self.client, skus).items()}

    def set_stock(self, targets: Sequence[StockTarget], *, idempotency_key: str) -> None:
        stock.write(self.client, targets)

    # -- catalog -------------------------------------------------------------------------

    def upsert_product(self, product: ProductData) -> Upserted:
        body: dict[str, Any] = {"name": product.title, "regular_price": str(product.price),
                                "status": "publish" if product.status == "active"
                                else "draft"}
        if product.barcode and product.barcode.replace("-", "").isdigit():
            body["global_unique_id"] = product.barcode
        found = self.client.call("GET", "/products", params={"sku": product.sku,
                                                              "status": "any"})
        match = next((p for p in found if p.get("sku") == product.sku), None)
        if match is not None:
            item_id, parent = int(match["id"]), int(match.get("parent_id") or 0)
            if parent == 0:
                self.client.call("PUT", f"/products/{item_id}", json=body)
            else:  # a variation's name comes from its parent and attributes
                self.client.call("PUT", f"/products/{parent}/variations/{item_id}",
                                 json={k: v for k, v in body.items() if k != "name"})
            return Upserted(str(item_id), created=False)
        created = self.client.call("POST", "/products", json={
            **body, "type": "simple", "sku": product.sku, "manage_stock": True,
            "stock_quantity": product.available})
        return Upserted(str(created["id"]), created=True)

    def upsert_variants(self, product: ProductWithVariants) -> dict[str, Upserted]:
        return variants.upsert(self.client, product)

    def products(self, cursor: str | None) -> tuple[list[RemoteProduct], str | None]:
        page = int(cursor or 1)
        items = self.client.call("GET", "/products", params={"per_page": BATCH, "page": page,
                                                             "orderby": "id", "order": "asc"})
        found = [remote for p in items for remote in self._skus(p)]
        return found, (str(page + 1) if len(items) == BATCH else None)

    def product(self, external_id: str) -> list[RemoteProduct]:
        """Every SKU of the product; a variation's id (its own webhook) stands for its
        parent product."""
        try:
            item = self.client.call("GET", f"/products/{int(external_id)}")
            if item.get("parent_id"):
                item = self.client.call("GET", f"/products/{int(item['parent_id'])}")
        except Rejected as exc:
            if "404" in str(exc):
                return []
            raise
        return self._skus(item)

    def _skus(self, parent: Mapping[str, Any]) -> list[RemoteProduct]:
        found = [_remote(parent, parent)] if parent.get("sku") else []
        if parent.get("variations"):
            variations = self.client.call("GET", f"/products/{parent['id']}/variations",
                                          params={"per_page": BATCH})
            remotes = [_remote(v, parent) for v in variations if v.get("sku")]
            found.extend(sorted(remotes, key=lambda r: _rank(r.options, parent)))
        return found

    # -- orders --------------------------------------------------------------------------

    def order(self, external_id: str) -> RemoteOrder | None:
        try:
            payload = self.client.call("GET", f"/orders/{int(external_id)}")
        except Rejected as exc:
            if "404" in str(exc):
                return None
            raise
        return order_from(payload, self._refunds(payload))

    def _refunds(self, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
        if not payload.get("refunds"):
            return []
        refunds: list[dict[str, Any]] = self.client.call(
            "GET", f"/orders/{payload['id']}/refunds", params={"per_page": 100})
        return refunds

    def order_changes(self, cursor: str | None) -> OrderPage:
        """Orders modified at or after ``cursor``: WooCommerce's ``modified_after`` is
        strict and to the second, so the query starts one second earlier. An order without
        a modification date cannot be placed after a cursor: it is listed, never used to
        move the cursor."""
        params: dict[str, Any] = {"orderby": "modified", "order": "asc", "per_page": 100,
                                  "dates_are_gmt": "true"}
        if cursor:
            start = datetime.fromisoformat(cursor.rstrip("Z")) - timedelta(seconds=1)
            params["modified_after"] = start.strftime("%Y-%m-%dT%H:%M:%S")
        changes: list[OrderRef] = []
        for page in range(1, ORDER_PAGES + 1):
            items = self.client.call("GET", "/orders", params={**params, "page": page})
            changes.extend(OrderRef(str(i["id"]), stamp(i) or "") for i in items)
            if len(items) < params["per_page"]:
                break
        newest = max((c.updated_at for c in changes if c.updated_at), default=cursor)
        return OrderPage(changes=changes, cursor=newest)

    def push_sale(self, sale: PosSale) -> str:
        found = pos_orders.find(self.client, sale)
        if found is not None:
            return found
        items = stock.read(self.client, [line.sku for line in sale.lines])
        missing = [line.sku for line in sale.lines if line.sku not in items]
        if missing:
            raise Rejected(f"SKU {missing[0]!r} is not in the WooCommerce catalog")
        buyer = (customers.by_email(self.client, sale.buyer.email)
                 if sale.buyer is not None and sale.buyer.email else None)
        return pos_orders.create(self.client, sale, items,
                                 None if buyer is None else int(buyer.external_id))

    def push_refund(self, refund: PosRefund) -> str:
        return pos_orders.refund(self.client, refund)

    # -- customers -----------------------------------------------------------------------

    def upsert_customer(self, customer: Buyer, external_id: str | None) -> Upserted:
        return customers.upsert(self.client, customer, external_id)

    def customer(self, external_id: str) -> RemoteCustomer | None:
        return customers.fetch(self.client, external_id)

    def customer_changes(self, cursor: str | None
                         ) -> tuple[list[RemoteCustomer], str | None]:
        return customers.changes(self.client, cursor)

    def budget_used(self) -> float | None:
        return None

    def close(self) -> None:
        self.client.close()


def _missing_hook(topic: str, callback_url: str, hooks: Sequence[Mapping[str, Any]]) -> str:
    held = next((h for h in hooks if h["topic"] == topic), None)
    if held is None:
        return f"no active webhook for {topic} to {callback_url}"
    return (f"the webhook for {topic} to {callback_url} is {held['status']} (WooCommerce "
            "disables a webhook after repeated failed deliveries); re-saving the connection "
            "(PATCH /api/v1/connections/{name}) switches it back on")


def _remote(item: Mapping[str, Any], parent: Mapping[str, Any]) -> RemoteProduct:
    """A product or variation; a variation's title is its parent's, and it is on sale
    while both it and its parent are published (a withdrawn variation is private)."""
    return RemoteProduct(external_id=str(parent["id"]), sku=item["sku"],
                         title=parent.get("name") or item["sku"],
                         price=Decimal(item.get("regular_price") or "0"),
                         barcode=item.get("global_unique_id") or None,
                         status="active" if parent.get("status", "publish") == "publish"
                         and item.get("status", "publish") == "publish" else "draft",
                         updated_at=stamp(item) or "",
                         options=_values(item, parent) if item is not parent else ())


def _rank(values: Sequence[tuple[str, str]], parent: Mapping[str, Any]) -> list[int]:
    """Where a variation's values stand in its parent's lists of options: the variations
    come in the order the shop shows the options (they are listed newest first)."""
    listed = {a.get("name"): list(a.get("options") or [])
              for a in parent.get("attributes") or []}
    return [order.index(value) if value in order else len(order)
            for name, value in values for order in [listed.get(name, [])]]


def _values(variation: Mapping[str, Any], parent: Mapping[str, Any]
            ) -> tuple[tuple[str, str], ...]:
    """The variation's value of each attribute its parent varies by, in the parent's
    order; none when one is left open ("any Size"), which a tillflow variant cannot be."""
    chosen = {a.get("name"): a.get("option") for a in variation.get("attributes") or []}
    names = [a["name"] for a in sorted(parent.get("attributes") or [],
                                       key=lambda a: a.get("position", 0))
             if a.get("variation")]
    values = tuple((name, str(chosen.get(name) or "")) for name in names)
    return values if values and all(value for _, value in values) else ()
