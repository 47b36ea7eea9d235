"""Stock figures in WooCommerce: read by SKU, written through the batch endpoints.

WooCommerce keeps a figure only where stock management is on, for the whole shop
(Settings → Products → Inventory → "Manage stock") and for the product (or the variation)
itself. Where either is off it ignores a written ``stock_quantity`` without a word, and
the shop sells without limit. tillflow does not turn a product's stock management on
behind its owner's back (that would change what the shop sells): such a SKU is refused,
naming what to switch on, and every write is read back from the answer so that nothing
is taken as written that was not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tillflow.connectors.woocommerce.client import WooClient
from tillflow.ports.commerce import Rejected, StaleStock, StockTarget

BATCH = 100
SHOP_SETTING = "/settings/products/woocommerce_manage_stock"
SHOP_SETTING_NAME = "WooCommerce → Settings → Products → Inventory → Manage stock"


@dataclass(frozen=True)
class Item:
    """A product or variation found by its SKU; ``manages`` is WooCommerce's
    ``manage_stock``: True, False, or "parent" for a variation whose parent holds the
    stock of all its variations."""

    id: int
    parent: int
    manages: bool | str
    quantity: int


def read(client: WooClient, skus: Sequence[str]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for start in range(0, len(skus), BATCH):
        chunk = skus[start:start + BATCH]
        items = client.call("GET", "/products", params={
            "sku": ",".join(chunk), "per_page": BATCH, "status": "any"})
        for item in items:
            if item.get("sku") in chunk:
                found[item["sku"]] = Item(int(item["id"]), int(item.get("parent_id") or 0),
                                          item.get("manage_stock", False),
                                          int(item.get("stock_quantity") or 0))
    return found


def shop_manages_stock(client: WooClient) -> bool:
    return bool(client.call("GET", SHOP_SETTING).get("value") == "yes")


def write(client: WooClient, targets: Sequence[StockTarget]) -> None:
    """Set each target's figure if it still shows ``expected``; an unknown SKU, or one
    whose stock WooCommerce does not manage, refuses the batch (each row is then tried
    alone, so the others go through)."""
    now = read(client, [t.sku for t in targets])
    unknown = [t.sku for t in targets if t.sku not in now]
    if unknown:
        raise Rejected(f"SKU {unknown[0]!r} is not in the WooCommerce catalog")
    unmanaged = [t.sku for t in targets if now[t.sku].manages is not True]
    if unmanaged:
        raise Rejected(_unmanaged(client, unmanaged[0], now[unmanaged[0]]))
    if any(t.expected is not None and now[t.sku].quantity != t.expected for t in targets):
        raise StaleStock("WooCommerce's stock moved since it was read")
    by_parent: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in targets:
        by_parent[now[t.sku].parent].append({"id": now[t.sku].id,
                                             "stock_quantity": t.available})
    wanted = {now[t.sku].id: (t.sku, t.available) for t in targets}
    for parent, updates in by_parent.items():
        path = "/products/batch" if parent == 0 else f"/products/{parent}/variations/batch"
        for start in range(0, len(updates), BATCH):
            result = client.call("POST", path, json={"update": updates[start:start + BATCH]})
            _check_written(client, result, wanted)


def _check_written(client: WooClient, result: Mapping[str, Any],
                   wanted: Mapping[int, tuple[str, int]]) -> None:
    for item in result.get("update", []):
        if "error" in item:
            error = item["error"]
            raise Rejected(f"WooCommerce refused item {item.get('id')}: "
                           f"{error.get('code')}: {error.get('message')}")
        sku, available = wanted[int(item["id"])]
        if item.get("manage_stock") is not True:
            raise Rejected(_unmanaged(client, sku, None))
        if item.get("stock_quantity") != available:
            raise Rejected(f"WooCommerce kept {item.get('stock_quantity')} for SKU {sku!r} "
                           f"instead of {available}")


def _unmanaged(client: WooClient, sku: str, item: Item | None) -> str:
    if not shop_manages_stock(client):
        return (f"WooCommerce ignores stock figures: stock management is off for the whole "
                f"shop; turn on {SHOP_SETTING_NAME} (SKU {sku!r} not written)")
    if item is not None and item.manages == "parent":
        return (f"SKU {sku!r} is a variation whose stock its parent product manages for all "
                "its variations; turn on Manage stock for the variation itself in "
                "WooCommerce")
    return (f"WooCommerce does not manage the stock of SKU {sku!r}: turn on Manage stock "
            "for that product in WooCommerce (Inventory tab), then replay")
