"""A product with options reaches a real trytond as one template with a variant per SKU,
each variant carrying its option values as attributes and its own price: created, a
price changed, a variant added, one removed and one withdrawn, renamed; pushed again after
a lost answer without making anything twice; SKUs Tryton held as products of their own
gathered under the template."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from support.api import Api
from support.erp_day import later, run_worker
from support.tryton_peer import PASSWORD, USERNAME, TrytonPeer, connect, tryton
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.erp.adapters import accounting_for
from tillflow.erp.poster import PostingRunner
from tillflow.ports.accounting import ErpCatalog, ErpProductWithVariants, ErpUnavailable
from tillflow.services.context import ServiceContext

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

SIZES, COLOURS = ("S", "M"), ("Red", "Blue")
VARIANT_FIELDS = ["code", "active", "list_price_used", "attributes", "identifiers.code",
                  "template", "template.name", "template.list_price", "template.active",
                  "template.attribute_set"]


@pytest.fixture
def client(trytond: TrytonPeer) -> Iterator[TrytonClient]:
    ledger = tryton(trytond)
    try:
        yield ledger.client
    finally:
        ledger.close()


def tee(api: Api, prefix: str, *, name: str = "Tee") -> dict[str, Any]:
    made: dict[str, Any] = api.ok(api.post("/products", {
        "name": name, "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": list(SIZES)},
                    {"name": "Colour", "values": list(COLOURS)}],
        "variants": [{"sku": f"{prefix}-{size}-{colour[0]}", "price": "20.00",
                      "barcodes": ["2000000000015"] if (size, colour) == ("S", "Red") else [],
                      **({"cost": "7.2500"} if (size, colour) == ("M", "Blue") else {}),
                      "options": {"Size": size, "Colour": colour}}
                     for size in SIZES for colour in COLOURS]}), 201)
    return made


def held(client: TrytonClient, sku: str) -> dict[str, dict[str, Any]]:
    """The variants (archived too) of the template holding ``sku`` on sale, by code."""
    [found] = client.model("product.product", "search_read", [("code", "=", sku)], 0, None,
                           None, ["template"])
    rows = client.model("product.product", "search_read", [
        ("template", "=", found["template"]), ("active", "in", [True, False])], 0, None,
        None, VARIANT_FIELDS)
    return {row["code"]: row for row in rows}


def templates_named(client: TrytonClient, name: str) -> list[int]:
    found: list[int] = client.model("product.template", "search", [
        ("name", "=", name), ("active", "in", [True, False])], 0, None, None)
    return found


def test_a_product_with_options_is_one_template_whose_variants_follow_it(
        api: Api, trytond: TrytonPeer, client: TrytonClient) -> None:
    connect(api, trytond, posting="sale")
    made = tee(api, "T")
    run_worker(api.ctx)
    variants = held(client, "T-S-R")
    assert sorted(variants) == ["T-M-B", "T-M-R", "T-S-B", "T-S-R"]
    assert len({row["template"] for row in variants.values()}) == 1
    assert len(templates_named(client, "Tee")) == 1
    assert variants["T-M-B"]["attributes"] == {"size": "M", "colour": "Blue"}
    assert variants["T-S-R"]["identifiers."] == [{"id": variants["T-S-R"]["identifiers."][0]
                                                  ["id"], "code": "2000000000015"}]
    assert {row["list_price_used"] for row in variants.values()} == {Decimal("20.00")}
    [costed] = client.model("product.product", "search_read", [("code", "=", "T-M-B")], 0,
                            None, None, ["cost_price"])
    assert costed["cost_price"] == Decimal("7.2500")
    set_id = variants["T-S-R"]["template."]["attribute_set"]
    [attribute_set] = client.model("product.attribute.set", "read", [set_id], ["attributes"])
    options = client.model("product.attribute", "read", attribute_set["attributes"],
                           ["name", "string", "selection"])
    assert sorted((o["name"], o["string"], o["selection"]) for o in options) == [
        ("colour", "Colour", "Red:Red\nBlue:Blue"), ("size", "Size", "S:S\nM:M")]

    api.ok(api.patch("/products/T-M-R", {"price": "18.50"}))
    api.ok(api.patch(f"/product-groups/{made['id']}", {
        "name": "Tee shirt",
        "options": [{"name": "Size", "values": ["S", "M", "L"]},
                    {"name": "Colour", "values": list(COLOURS)}],
        "variants": [{"sku": "T-L-R", "price": "22.00",
                      "options": {"Size": "L", "Colour": "Red"}}],
        "remove": ["T-S-B"]}))
    api.ok(api.patch("/products/T-M-B", {"active": False}))
    run_worker(api.ctx)
    variants = held(client, "T-S-R")
    assert sorted(variants) == ["T-L-R", "T-M-B", "T-M-R", "T-S-B", "T-S-R"]
    assert {code for code, row in variants.items() if not row["active"]} == {"T-M-B", "T-S-B"}
    assert variants["T-L-R"]["attributes"] == {"size": "L", "colour": "Red"}
    assert variants["T-L-R"]["list_price_used"] == Decimal("22.00")
    assert variants["T-M-R"]["list_price_used"] == Decimal("18.50")
    template = variants["T-S-R"]["template."]
    assert (template["name"], template["list_price"], template["active"]) == (
        "Tee shirt", Decimal("18.50"), True)
    [size] = client.model("product.attribute", "search_read", [("name", "=", "size")], 0,
                          None, None, ["selection"])
    assert size["selection"] == "S:S\nM:M\nL:L"
    assert api.ok(api.get("/erp/erp/postings", status="dead"))["items"] == []

    # Put back on sale, the archived variant is brought back.
    api.ok(api.patch("/products/T-M-B", {"active": True}))
    run_worker(api.ctx)
    assert held(client, "T-M-B")["T-M-B"]["active"]


class LosesFirstAnswer(TrytonCatalog):
    """Tryton does the first push of a product with options, and its answer is lost."""

    def __init__(self, client: TrytonClient, lost: list[str]) -> None:
        super().__init__(client)
        self.lost = lost

    def upsert_variants(self, product: ErpProductWithVariants) -> dict[str, int]:
        saved = super().upsert_variants(product)
        if not self.lost:
            self.lost.append(product.key)
            raise ErpUnavailable("the answer was lost on its way back")
        return saved


def test_a_push_whose_answer_is_lost_makes_nothing_twice(
        api: Api, trytond: TrytonPeer, client: TrytonClient) -> None:
    connect(api, trytond, posting="sale")
    tee(api, "L", name="Sock")

    lost: list[str] = []

    def losing(ctx: ServiceContext, name: str) -> ErpCatalog:
        return LosesFirstAnswer(TrytonClient(url=trytond.url, username=USERNAME,
                                             password=PASSWORD), lost)

    def post(ctx: ServiceContext) -> None:
        poster = PostingRunner(ctx, accounting_for, catalogs=losing)
        try:
            run_worker(ctx, poster)
        finally:
            poster.close()

    post(api.ctx)
    assert lost
    assert api.ok(api.get("/erp/erp/postings", status="pending"))["items"]
    post(later(api.ctx, timedelta(minutes=10)))  # when the retry is due
    assert api.ok(api.get("/erp/erp/postings", status="pending"))["items"] == []
    assert len(templates_named(client, "Sock")) == 1
    codes = client.model("product.product", "search_read", [
        ("code", "like", "L-%"), ("active", "in", [True, False])], 0, None, None, ["code"])
    assert sorted(row["code"] for row in codes) == ["L-M-B", "L-M-R", "L-S-B", "L-S-R"]


def test_skus_tryton_held_as_products_of_their_own_gather_under_one_template(
        api: Api, trytond: TrytonPeer, client: TrytonClient) -> None:
    catalog = TrytonCatalog(client)
    for sku in ("G-S-R", "G-M-R"):
        catalog.upsert_product(sku=sku, name=f"Old {sku}", price=Decimal("9.00"),
                               barcodes=(), tax_rate=Decimal("0.08"))
    connect(api, trytond, posting="sale")
    tee(api, "G", name="Gathered")
    run_worker(api.ctx)
    variants = held(client, "G-M-R")
    assert sorted(variants) == ["G-M-B", "G-M-R", "G-S-B", "G-S-R"]
    assert all(row["active"] for row in variants.values())
    assert variants["G-M-R"]["template."]["name"] == "Gathered"
    old = client.model("product.product", "search_read", [
        ("code", "=", "G-M-R"), ("id", "!=", variants["G-M-R"]["id"]),
        ("active", "in", [True, False])], 0, None, None, ["active", "template.active"])
    assert [(o["active"], o["template."]["active"]) for o in old] == [(False, False)]
    # Pushed again, the product keeps its template, the old copies stay archived.
    api.ok(api.patch("/products/G-S-R", {"price": "12.00"}))
    run_worker(api.ctx)
    again = held(client, "G-S-R")
    assert {row["id"] for row in again.values()} == {row["id"] for row in variants.values()}
    assert again["G-S-R"]["list_price_used"] == Decimal("12.00")


def test_products_out_sends_a_product_made_before_the_connection_whole(
        api: Api, trytond: TrytonPeer, client: TrytonClient) -> None:
    tee(api, "P", name="Earlier")
    connect(api, trytond, posting="sale")
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-out"}))["changed"] == 4
    variants = held(client, "P-M-B")
    assert sorted(variants) == ["P-M-B", "P-M-R", "P-S-B", "P-S-R"]
    assert len(templates_named(client, "Earlier")) == 1
