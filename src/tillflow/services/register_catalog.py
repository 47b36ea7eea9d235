"""The catalog as each paired register last read it.

The register keeps the catalog it read (``GET /products``, page by page) to sell from
while the server is away; the prices each page carried to a register's session are
remembered here, so a sale it made offline is priced as the register priced it. Each page
also carries the options of the products its SKUs are variants of, so the register can
offer a product's variants to choose from (its SKUs carry their own option values).
"""

from __future__ import annotations

from collections.abc import Sequence

from tillflow.domain.catalog import Product
from tillflow.domain.variants import ProductGroup
from tillflow.ports.records import PriceDiscrepancy
from tillflow.services.context import Actor, ServiceContext


def remember_prices(ctx: ServiceContext, actor: Actor, products: Sequence[Product]) -> None:
    """Remember the prices a register's session just read; others read for themselves."""
    if not actor.session or actor.register is None:
        return
    prices = {p.id: p.price for p in products if p.id is not None}
    if not prices:
        return
    with ctx.uow() as uow:
        register = uow.registers.get(actor.register)
        if register is None:
            return
        uow.register_prices.record(register.id, prices, now=uow.now)
        uow.commit()


def products_with_options(ctx: ServiceContext, page: Sequence[Product]) -> list[ProductGroup]:
    """The products with options whose variants are on the page, by id."""
    wanted = sorted({p.product_id for p in page if p.options and p.product_id is not None})
    if not wanted:
        return []
    with ctx.uow(read_only=True) as uow:
        return uow.product_groups.get_many(wanted)


def price_discrepancies(ctx: ServiceContext, *, limit: int = 500) -> list[PriceDiscrepancy]:
    with ctx.uow(read_only=True) as uow:
        return uow.register_prices.discrepancies(limit=limit)
