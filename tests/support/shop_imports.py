"""A product with options made in a shop, as it looks once it has arrived in tillflow."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

from support.api import Api


def assert_arrived_whole(api: Api, *, name: str, options: Sequence[tuple[str, Sequence[str]]],
                         price: str, stock: Mapping[str, int],
                         sku_of: Callable[[Sequence[str]], str]) -> None:
    """Every combination of the values of ``options`` (each name with its values in
    order) is a variant, its SKU ``sku_of(values)``, of one tillflow product named
    ``name`` with those options, at ``price``; their stock at S1 is ``stock``."""
    names = [n for n, _ in options]
    variants = {sku_of(values): dict(zip(names, values, strict=True))
                for values in itertools.product(*(values for _, values in options))}
    first = api.ok(api.get(f"/products/{next(iter(variants))}"))
    group = api.ok(api.get(f"/product-groups/{first['product_id']}"))
    assert group["name"] == name
    assert group["options"] == [{"name": n, "values": list(values)} for n, values in options]
    assert {v["sku"]: (v["options"], v["price"]) for v in group["variants"]} == {
        sku: (values, price) for sku, values in variants.items()}
    assert {sku: api.on_hand(sku, "S1") for sku in variants} == dict(stock)
