"""A shop's catalog read as pages of variants in id order, each product's all at once.

A product's variants need not be next to each other in such a list (one added later has
a later id), so a page may hold only some of a product's. Such a product comes whole,
read by its id, on the page that holds its first variant, and not on the others: the
engine sees every SKU of a product together, and can take a product with options in as
one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Variant = TypeVar("Variant")


def whole(page: Sequence[Variant], *, id_of: Callable[[Variant], str],
          product_of: Callable[[Variant], str], count_of: Callable[[Variant], int],
          read: Callable[[str], list[Variant]]) -> list[Variant]:
    """The page's variants, of each product all or none: ``count_of`` is how many
    variants a variant's product has, ``read`` a product's variants by the product's id."""
    on_page: dict[str, list[Variant]] = {}
    for variant in page:
        on_page.setdefault(product_of(variant), []).append(variant)
    listed = {id_of(variant) for variant in page}
    found: list[Variant] = []
    for product_id, its in on_page.items():
        if len(its) >= count_of(its[0]):
            found.extend(its)
            continue
        every = read(product_id)
        if every and min((id_of(v) for v in every), key=_order) in listed:
            found.extend(every)
    return found


def _order(variant_id: str) -> tuple[int, str]:
    """Ids in the shop's order: numbers (also at the end of a global id) by value."""
    return len(variant_id), variant_id
