"""Variants found by SKU, a batch of SKUs in one query.

Shopify's search finds a SKU by ``sku:"..."``; one query holds a lookup per SKU, each
under an alias of its own, and a SKU counts as found only when the variant found carries
exactly that SKU (the search also matches by prefix).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tillflow.connectors.shopify.client import ShopifyClient


def sku_query(sku: str) -> str:
    return f'sku:"{sku}"'


def variants_by_sku(client: ShopifyClient, skus: Sequence[str], fields: str, *, name: str,
                    cost: int, extra: Mapping[str, tuple[str, Any]] | None = None
                    ) -> dict[str, dict[str, Any]]:
    """Each SKU of ``skus`` the shop has, to its variant read with ``fields``; ``extra``
    are the further variables ``fields`` uses, by name, as (GraphQL type, value), and
    ``cost`` what one lookup costs."""
    extra = extra or {}
    params = ", ".join([*(f"${key}: {kind}" for key, (kind, _) in extra.items()),
                        *(f"$q{i}: String!" for i in range(len(skus)))])
    lookups = " ".join(f"v{i}: productVariants(first: 1, query: $q{i}) "
                       f"{{ nodes {{ sku {fields} }} }}" for i in range(len(skus)))
    data = client.execute(
        f"query {name}({params}) {{ {lookups} }}",
        {**{key: value for key, (_, value) in extra.items()},
         **{f"q{i}": sku_query(sku) for i, sku in enumerate(skus)}},
        expected_cost=cost * len(skus))
    found: dict[str, dict[str, Any]] = {}
    for i, sku in enumerate(skus):
        nodes = data[f"v{i}"]["nodes"]
        if nodes and nodes[0]["sku"] == sku:
            found[sku] = nodes[0]
    return found
