"""Shopify's variants as the port's ``RemoteProduct``s, each product's SKUs together
(see ``whole_products``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from tillflow.connectors.common import whole_products
from tillflow.ports.commerce import RemoteProduct

Node = dict[str, Any]

# What Shopify shows of a product without options: one option, "Title", and its variant's
# value of it, "Default Title".
DEFAULT_OPTION = ("Title", "Default Title")


def whole(nodes: Sequence[Node], read: Callable[[str], list[Node]]) -> list[Node]:
    """The page's variants, a product's all of them or none; ``read`` gives a product's
    variants by its id."""
    return whole_products.whole(
        nodes, id_of=lambda node: str(node["id"]), product_of=lambda node: node["product"]["id"],
        count_of=lambda node: int(node["product"]["variantsCount"]["count"]), read=read)


def remote(node: Node) -> RemoteProduct:
    """A variant with a SKU as one SKU of its product, titled as the product."""
    product = node["product"]
    return RemoteProduct(
        external_id=product["id"], sku=node["sku"], title=product["title"],
        price=Decimal(node["price"]), barcode=node["barcode"],
        status=product["status"].lower(), updated_at=node["updatedAt"],
        options=options(node))


def options(node: Node) -> tuple[tuple[str, str], ...]:
    """The variant's value of each of its product's options, in the product's order;
    none for a product without options (Shopify's default option)."""
    chosen = {o["name"]: o["value"] for o in node["selectedOptions"]}
    if list(chosen.items()) == [DEFAULT_OPTION]:
        return ()
    return tuple((o["name"], chosen[o["name"]]) for o in node["product"]["options"]
                 if o["name"] in chosen)

