"""A tillflow product with options as one Shopify product, written with one ``productSet``.

The shop's product is the one already holding one of the SKUs (found by SKU, a batch of
SKUs a call), else a new one under a handle made of tillflow's product id, so a call
retried after a lost answer updates what the first made. Its variants are those tillflow
sells: Shopify has no status per variant, so a variant withdrawn from sale is taken off
the product (and made again, with new ids, if it comes back); a product of which none is
for sale keeps them all, as a draft. Stock is given only to variants the shop did not
have; the others keep theirs, which only the compare-and-set of ``set_stock`` writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tillflow.connectors.shopify import product_set, queries
from tillflow.connectors.shopify.client import ShopifyClient, user_errors
from tillflow.connectors.shopify.lookup import variants_by_sku
from tillflow.ports.commerce import ProductWithVariants, Rejected, VariantData

LOOKUP_BATCH = 20


@dataclass(frozen=True)
class Held:
    """A SKU the shop has: its variant, its product and its inventory item."""

    variant_id: str
    product_id: str
    item_id: str


def find_held(client: ShopifyClient, skus: Sequence[str]) -> dict[str, Held]:
    """The SKUs the shop has, a batch of them per call."""
    held: dict[str, Held] = {}
    for start in range(0, len(skus), LOOKUP_BATCH):
        found = variants_by_sku(client, skus[start:start + LOOKUP_BATCH],
                                "id product { id } inventoryItem { id }", name="Held", cost=2)
        held.update({sku: Held(str(node["id"]), str(node["product"]["id"]),
                               str(node["inventoryItem"]["id"]))
                     for sku, node in found.items()})
    return held


def write(client: ShopifyClient, product: ProductWithVariants, *, location: str,
          held: Mapping[str, Held]) -> dict[str, Held]:
    """``productSet`` of ``product``; the ids of each SKU it now holds."""
    selling = [v for v in product.variants if v.status == "active"]
    shown = selling or list(product.variants)
    owners = sorted({held[v.sku].product_id for v in product.variants if v.sku in held})
    spec = product_set.ProductSpec(
        title=product.title, status="active" if selling else "draft",
        options=[(name, [x for x in values if any(v.values[n] == x for v in shown)])
                 for n, (name, values) in enumerate(product.options)],
        variants=[_variant(product, v, location=location, held=held.get(v.sku))
                  for v in shown])
    variables = product_set.line(spec, product_id=owners[0] if owners else None,
                                 handle=f"tillflow-product-{product.key}")
    result: dict[str, Any] = client.execute(queries.PRODUCT_SET_BULK, variables)["productSet"]
    problems = user_errors(result)
    if problems:
        first = problems[0]
        raise Rejected(f"productSet {first.get('code')}: {first['message']}")
    made = result["product"]
    return {node["sku"]: Held(str(node["id"]), str(made["id"]), str(node["inventoryItem"]["id"]))
            for node in made["variants"]["nodes"] if node["sku"]}


def _variant(product: ProductWithVariants, variant: VariantData, *, location: str,
             held: Held | None) -> product_set.VariantSpec:
    return product_set.VariantSpec(
        sku=variant.sku, price=variant.price, barcode=variant.barcode,
        option_values={name: value for (name, _), value in zip(product.options, variant.values,
                                                               strict=True)},
        stock={} if held is not None else {location: variant.available},
        id=held.variant_id if held is not None else None)
