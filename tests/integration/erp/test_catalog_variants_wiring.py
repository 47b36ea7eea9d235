"""What the ERP catalog push asks of the ERP for a product with options: the whole product
once per batch where the ERP groups variants, each SKU on its own where it does not, and
the product again when it changes itself (a variant deleted) — on the store's database,
with ERPs that record what they are asked."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from support.api import Api
from support.erp_day import book
from tillflow.db.uow import connection_of
from tillflow.erp import catalog_out, posting_queue
from tillflow.erp.codec import ProductChange, posting_from_json
from tillflow.ports.accounting import ErpProduct, ErpProductWithVariants, ErpReceipt


class OneByOne:
    """An ERP whose products stand alone."""

    def __init__(self) -> None:
        self.upserted: list[str] = []

    def close(self) -> None:
        pass

    def products(self) -> list[ErpProduct]:
        return []

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> int:
        self.upserted.append(sku)
        return len(self.upserted)

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]:
        return []

    def storage_location(self) -> str:
        return "STOR"


class Templates(OneByOne):
    """An ERP that groups variants under a template."""

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[ErpProductWithVariants] = []

    def upsert_variants(self, product: ErpProductWithVariants) -> Mapping[str, int | str]:
        self.templates.append(product)
        return {v.sku: f"v{n}" for n, v in enumerate(product.variants)}


def pending(api: Api) -> list[ProductChange]:
    with api.ctx.uow(read_only=True) as uow:
        found, _waiting = posting_queue.due(connection_of(uow), "erp", now=uow.now, limit=100)
    changes = [posting_from_json(p.entry) for p in found]
    assert all(isinstance(c, ProductChange) for c in changes)
    return [c for c in changes if isinstance(c, ProductChange)]


def made(api: Api) -> dict[str, Any]:
    api.ok(api.post("/connections", {
        "name": "erp", "platform": "tryton", "settings": {
            "url": "http://127.0.0.1:9/shop/", "database": "shop", "posting": "sale"},
        "secrets": {"username": "admin", "password": "admin"}}), 201)
    product: dict[str, Any] = api.ok(api.post("/products", {
        "name": "Tee", "tax_rate": "0.08",
        "options": [{"name": "Size", "values": ["S", "M"]}],
        "variants": [{"sku": f"W-{size}", "price": "20.00", "options": {"Size": size}}
                     for size in ("S", "M")]}), 201)
    book(api.ctx)
    return product


def test_an_erp_with_templates_gets_the_product_once_for_all_its_postings(api: Api) -> None:
    made(api)
    changes = pending(api)
    assert [c.sku or c.product_id for c in changes][:2] == ["W-S", "W-M"]
    erp = Templates()
    answer = catalog_out.push(api.ctx, "erp", erp, changes)
    assert [t.name for t in erp.templates] == ["Tee"]
    assert [(v.sku, v.values) for v in erp.templates[0].variants] == [
        ("W-M", ("M",)), ("W-S", ("S",))]
    assert erp.upserted == []
    assert answer == ["v1", "v0", "v0"]  # the product's own posting: its first variant's


def test_an_erp_without_templates_gets_each_sku_and_nothing_for_the_product(api: Api) -> None:
    made(api)
    erp = OneByOne()
    answer = catalog_out.push(api.ctx, "erp", erp, pending(api))
    assert erp.upserted == ["W-S", "W-M"]
    assert answer == ["1", "2", posting_queue.NOTHING_SENT]


def test_a_variant_deleted_reaches_the_erp_by_the_products_own_posting(api: Api) -> None:
    product = made(api)
    catalog_out.push(api.ctx, "erp", Templates(), pending(api))
    with api.ctx.uow() as uow:
        for posting in posting_queue.due(connection_of(uow), "erp", now=uow.now, limit=100)[0]:
            posting_queue.mark_posted(connection_of(uow), posting.id, external_id="x",
                                      now=uow.now)
        uow.commit()
    api.ok(api.patch(f"/product-groups/{product['id']}", {"remove": ["W-S"]}))
    book(api.ctx)
    changes = pending(api)
    assert [c.product_id for c in changes] == [product["id"]]
    erp = Templates()
    assert catalog_out.push(api.ctx, "erp", erp, changes) == ["v0"]
    assert [v.sku for v in erp.templates[0].variants] == ["W-M"]
