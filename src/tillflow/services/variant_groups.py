"""A product with options read whole, for the shops and ERPs that take it as one product.

Both sides send the product as tillflow has it when the call goes (not as an event saw
it), with every variant tillflow keeps, each variant's option values in the product's
order of options.
"""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.catalog import Product
from tillflow.domain.variants import ProductGroup
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import ServiceContext


@dataclass(frozen=True)
class GroupWithVariants:
    group: ProductGroup
    variants: tuple[Product, ...]

    @property
    def id(self) -> int:
        assert self.group.id is not None
        return self.group.id

    def values(self, variant: Product) -> tuple[str, ...]:
        """``variant``'s value of each option, in the product's order."""
        return tuple(variant.options[name] for name in self.group.option_names)


def product_with_options(ctx: ServiceContext, *, sku: str | None = None,
                         product_id: int | None = None) -> int | None:
    """The id of the product (with options) that ``sku`` is a variant of, or
    ``product_id`` itself while it has options; None for a simple product."""
    with ctx.uow(read_only=True) as uow:
        if sku is not None:
            variant = uow.products.get(sku)
            return variant.product_id if variant is not None and variant.options else None
        group = uow.product_groups.get(product_id) if product_id is not None else None
        return group.id if group is not None and group.options else None


def read_group(uow: UnitOfWork, product_id: int) -> GroupWithVariants | None:
    """The product and every variant of it, or None when tillflow has no such product."""
    group = uow.product_groups.get(product_id)
    if group is None or group.id is None:
        return None
    return GroupWithVariants(group, tuple(uow.products.of_groups([group.id])))
