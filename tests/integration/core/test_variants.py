"""Products with options and variants, and categories, through the HTTP API."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from support.api import Api
from support.databases import row_counts
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.db.uow import engine_of

TEE_BARCODES = ["4006381333931", "036000291452"]
CLIENTS = 4


def tee(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Tee", "tax_rate": "0.08", "category": " Clothing / Tees ",
        "options": [{"name": "Size", "values": ["S", "M"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [
            {"sku": "TEE-S-RED", "options": {"Size": "S", "Colour": "Red"}, "price": "15.00",
             "barcodes": [TEE_BARCODES[0]], "cost": "6.125"},
            {"sku": "TEE-M-RED", "options": {"Colour": "Red", "Size": "M"}, "price": "15.00"},
            {"sku": "TEE-M-BLUE", "options": {"Size": "M", "Colour": "Blue"}, "price": "16.00",
             "barcodes": [TEE_BARCODES[1]]},
        ],
    }
    body.update(overrides)
    return body


def _events(api: Api) -> list[dict[str, Any]]:
    return list(api.ok(api.get("/events", limit=500))["events"])


def test_a_product_with_variants_is_created_read_and_found(api: Api) -> None:
    made = api.ok(api.post("/products", tee(), role="manager"), 201)
    assert (made["name"], made["category"], made["tax_rate"]) == ("Tee", "Clothing/Tees", "0.08")
    assert made["options"] == [{"name": "Size", "values": ["S", "M"]},
                               {"name": "Colour", "values": ["Red", "Blue"]}]
    assert [v["sku"] for v in made["variants"]] == ["TEE-M-BLUE", "TEE-M-RED", "TEE-S-RED"]
    small = api.ok(api.get("/products/TEE-S-RED", role="cashier"))
    assert small == {"sku": "TEE-S-RED", "name": "Tee - S / Red", "price": "15.00",
                     "tax_rate": "0.08", "barcodes": [TEE_BARCODES[0]], "active": True,
                     "version": 1, "cost": "6.125", "product_id": made["id"],
                     "options": {"Size": "S", "Colour": "Red"}, "category": "Clothing/Tees"}
    assert small in made["variants"]
    assert api.ok(api.get(f"/product-groups/{made['id']}")) == made
    scanned = api.ok(api.get(f"/products/by-barcode/{TEE_BARCODES[1]}", role="cashier"))
    assert scanned["product"]["options"] == {"Size": "M", "Colour": "Blue"}

    api.product("MUG-1")
    found = api.ok(api.get("/products", category="clothing"))
    assert [p["sku"] for p in found["items"]] == ["TEE-M-BLUE", "TEE-M-RED", "TEE-S-RED"]
    assert found["products"] == [{"id": made["id"], "name": "Tee", "category": "Clothing/Tees",
                                  "options": made["options"]}]
    assert api.ok(api.get("/products", category="Cloth"))["items"] == []
    assert [p["sku"] for p in api.ok(api.get("/products", query="tee - m"))["items"]] == \
        ["TEE-M-BLUE", "TEE-M-RED"]

    types = [e["type"] for e in _events(api)]
    assert types.count("product_group.created") == 2
    created = [e["data"] for e in _events(api) if e["type"] == "product.created"]
    assert {d["sku"]: d["options"] for d in created}["TEE-M-RED"] == {"Size": "M",
                                                                      "Colour": "Red"}


def test_a_simple_product_is_a_product_of_one_variant(api: Api) -> None:
    made = api.ok(api.post("/products", {"sku": "MUG-1", "name": "Mug", "price": "5.00",
                                         "category": "Kitchen"}), 201)
    group = api.ok(api.get(f"/product-groups/{made['product_id']}"))
    assert (group["name"], group["options"], group["category"]) == ("Mug", [], "Kitchen")
    assert [v["sku"] for v in group["variants"]] == ["MUG-1"]
    renamed = api.ok(api.patch("/products/MUG-1", {"name": "Big mug", "category": ""}))
    assert (renamed["name"], renamed["category"]) == ("Big mug", None)
    group = api.ok(api.get(f"/product-groups/{made['product_id']}"))
    assert (group["name"], group["category"], group["version"]) == ("Big mug", None, 2)


def test_the_product_changes_with_its_variants(api: Api) -> None:
    made = api.ok(api.post("/products", tee()), 201)
    api.location("MAIN")
    api.stock("TEE-M-RED", "MAIN", 3)  # history: removing it keeps it, inactive
    changed = api.ok(api.patch(f"/product-groups/{made['id']}", {
        "name": "Classic tee", "tax_rate": "0.10", "category": "Clothing",
        "options": [{"name": "Size", "values": ["S", "M", "L"]},
                    {"name": "Colour", "values": ["Red", "Blue"]},
                    {"name": "Fit", "values": ["Regular", "Slim"]}],
        "variants": [{"sku": "TEE-L-RED-SLIM", "price": "17.00",
                      "options": {"Size": "L", "Colour": "Red", "Fit": "Slim"}},
                     {"sku": "TEE-M-BLUE", "price": "16.50", "cost": "7"}],
        "remove": ["TEE-S-RED", "TEE-M-RED"],
    }))
    by_sku = {v["sku"]: v for v in changed["variants"]}
    assert set(by_sku) == {"TEE-L-RED-SLIM", "TEE-M-BLUE", "TEE-M-RED"}
    assert by_sku["TEE-M-RED"]["active"] is False
    assert by_sku["TEE-M-BLUE"] | {"version": 0} == by_sku["TEE-M-BLUE"] | {
        "name": "Classic tee - M / Blue / Regular", "price": "16.50", "cost": "7.00",
        "tax_rate": "0.1", "options": {"Size": "M", "Colour": "Blue", "Fit": "Regular"},
        "category": "Clothing", "version": 0}
    assert changed["version"] == 2
    assert api.get("/products/TEE-S-RED").status_code == 404
    types = [e["type"] for e in _events(api)]
    assert "product.deleted" in types
    assert types.count("product_group.updated") == 1
    # The barcode of the deleted variant is free again.
    api.ok(api.post("/products", {"sku": "OTHER", "name": "Other", "price": "1.00",
                                  "barcodes": [TEE_BARCODES[0]]}), 201)


def test_a_variant_takes_its_name_and_tax_rate_from_its_product(api: Api) -> None:
    api.ok(api.post("/products", tee()), 201)
    for body, field in (({"name": "Odd"}, "name"), ({"tax_rate": "0.2"}, "tax_rate")):
        refused = api.patch("/products/TEE-M-RED", body)
        assert refused.status_code == 422
        assert refused.json()["error"]["details"]["field"] == field
    price = api.ok(api.patch("/products/TEE-M-RED", {"price": "14.00", "cost": "5.5"}))
    assert (price["price"], price["cost"], price["version"]) == ("14.00", "5.50", 2)


def _groups_and_skus(api: Api) -> tuple[Any, Any]:
    return (api.ok(api.get("/product-groups"))["items"], api.ok(api.get("/products"))["items"])


def _variant(n: int, **overrides: Any) -> dict[str, Any]:
    base = tee()["variants"][n]
    return {**base, **overrides}


BAD_NEW_PRODUCTS: list[tuple[dict[str, Any], str]] = [
    ({"variants": [_variant(0), _variant(1), _variant(2, options={"Size": "S", "Colour": "Red"})]},
     "variants.2.options"),
    ({"variants": [_variant(0), _variant(1, options={"Size": "M", "Colour": "Red", "Fit": "x"})]},
     "variants.1.options"),
    ({"variants": [_variant(0), _variant(1, options={"Size": "M"})]}, "variants.1.options"),
    ({"variants": [_variant(0, options={"Size": "XL", "Colour": "Red"})]}, "variants.0.options"),
    ({"variants": [_variant(0), _variant(1, sku="TEE-S-RED")]}, "variants.1.sku"),
    ({"variants": [_variant(0), _variant(1, barcodes=[TEE_BARCODES[0]])]},
     "variants.1.barcodes"),
    ({"options": [{"name": "Size", "values": []}]}, "options.0.values"),
    ({"options": [{"name": "Size", "values": ["S"]}, {"name": "size", "values": ["M"]}]},
     "options.1.name"),
    ({"options": [{"name": "Size", "values": ["S", "s"]}]}, "options.0.values.1"),
    ({"variants": []}, "variants"),
    ({"category": "Clothing//Tees"}, "category"),
    ({"variants": [_variant(0, price="1.001")]}, "variants.0.price"),
    ({"variants": [_variant(0, cost="1.00001")]}, "variants.0.cost"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_NEW_PRODUCTS)
def test_bad_products_with_variants_are_refused(api: Api, overrides: dict[str, Any],
                                                field: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.post("/products", tee(**overrides))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("validation_error", field), error
    assert row_counts(engine_of(api.ctx.store)) == before


def test_a_sku_or_barcode_another_product_has_is_a_conflict(api: Api) -> None:
    api.product("TEE-M-RED")
    api.product("MUG-1", barcodes=[TEE_BARCODES[1]])
    before = row_counts(engine_of(api.ctx.store))
    taken_sku = api.post("/products", tee())
    assert taken_sku.status_code == 409
    assert taken_sku.json()["error"]["details"]["field"] == "variants.1.sku"
    taken_code = api.post("/products", tee(variants=[_variant(0), _variant(2)]))
    assert taken_code.status_code == 409
    assert taken_code.json()["error"]["details"]["barcodes"] == [TEE_BARCODES[1]]
    assert row_counts(engine_of(api.ctx.store)) == before


BAD_CHANGES: list[tuple[dict[str, Any], str]] = [
    ({"options": [{"name": "Colour", "values": ["Red", "Blue"]}]}, "options.0"),
    ({"options": [{"name": "Size", "values": ["M"]},
                  {"name": "Colour", "values": ["Red", "Blue"]}]}, "options.0.values"),
    ({"variants": [{"sku": "TEE-M-RED", "options": {"Size": "S"}}]}, "variants.0.options"),
    ({"variants": [{"sku": "NEW", "options": {"Size": "S", "Colour": "Blue"}}]},
     "variants.0.price"),
    ({"variants": [{"sku": "NEW", "price": "1.00", "options": {"Size": "S"}}]},
     "variants.0.options"),
    ({"remove": ["MUG-1"]}, "remove.0"),
    ({"remove": ["TEE-S-RED", "TEE-M-RED", "TEE-M-BLUE"]}, "remove"),
    ({"variants": [{"sku": "TEE-M-RED", "price": "1.00"}], "remove": ["TEE-M-RED"]},
     "variants.0.sku"),
    ({"tax_rate": "2"}, "tax_rate"),
]


@pytest.mark.parametrize(("body", "field"), BAD_CHANGES)
def test_bad_changes_to_a_product_are_refused(api: Api, body: dict[str, Any],
                                              field: str) -> None:
    made = api.ok(api.post("/products", tee()), 201)
    api.product("MUG-1")
    before = row_counts(engine_of(api.ctx.store))
    response = api.patch(f"/product-groups/{made['id']}", body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(api.ctx.store)) == before
    assert api.ok(api.get(f"/product-groups/{made['id']}")) == made


def test_a_connected_shop_s_limits_hold(api: Api) -> None:
    api.ok(api.post("/connections", {
        "name": "web", "platform": "shopify",
        "settings": {"shop_url": "https://example.myshopify.com"},
        "secrets": {"access_token": "shpat_test"}}), 201)
    four = tee(options=[{"name": n, "values": ["a"]} for n in ("A", "B", "C", "D")],
               variants=[{"sku": "X-1", "price": "1.00",
                          "options": {"A": "a", "B": "a", "C": "a", "D": "a"}}])
    many = tee(options=[{"name": "N", "values": [str(n) for n in range(50)]},
                        {"name": "M", "values": [str(n) for n in range(50)]}],
               variants=[{"sku": f"V-{a}-{b}", "price": "1.00",
                          "options": {"N": str(a), "M": str(b)}}
                         for a in range(50) for b in range(41)])
    # More variants than fit in the tests' usual body limit.
    with TestClient(create_app(api.ctx, max_body_bytes=1_000_000)) as client:
        roomy = Api(client, api.ctx)
        before = row_counts(engine_of(api.ctx.store))
        refused = roomy.post("/products", four)
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error["details"] == {"field": "options", "connection": "web", "limit": 3}
        assert "shopify" in error["message"]
        refused = roomy.post("/products", many)
        assert refused.status_code == 422
        assert refused.json()["error"]["details"]["limit"] == 2048
        assert row_counts(engine_of(api.ctx.store)) == before
        many["variants"] = many["variants"][:2048]
        roomy.ok(roomy.post("/products", many), 201)


def test_products_are_listed_with_their_variants_by_page(api: Api) -> None:
    made = api.ok(api.post("/products", tee()), 201)
    for n in range(3):
        api.product(f"MUG-{n}")
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = api.ok(api.get("/product-groups", **params))
        seen += [(g["name"], len(g["variants"])) for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [("Tee", 3), ("Product MUG-0", 1), ("Product MUG-1", 1), ("Product MUG-2", 1)]
    assert [g["id"] for g in api.ok(api.get("/product-groups", q="m-blue"))["items"]] == \
        [made["id"]]
    assert api.ok(api.get("/product-groups", category="Clothing/Tees"))["items"] == [made]
    assert api.get("/product-groups/999").status_code == 404


def test_a_removed_variant_that_stays_keeps_its_values_taken(api: Api) -> None:
    made = api.ok(api.post("/products", tee()), 201)
    api.location("MAIN")
    api.stock("TEE-S-RED", "MAIN", 1)
    before = row_counts(engine_of(api.ctx.store))
    clash = api.patch(f"/product-groups/{made['id']}", {
        "remove": ["TEE-S-RED"],
        "variants": [{"sku": "TEE-S-RED-2", "price": "15.00",
                      "options": {"Size": "S", "Colour": "Red"}}]})
    assert clash.status_code == 422
    assert clash.json()["error"]["details"]["field"] == "remove"
    assert row_counts(engine_of(api.ctx.store)) == before
    grown = api.ok(api.patch(f"/product-groups/{made['id']}", {
        "remove": ["TEE-S-RED"],
        "options": [*made["options"], {"name": "Fit", "values": ["Regular"]}]}))
    stayed = next(v for v in grown["variants"] if v["sku"] == "TEE-S-RED")
    assert (stayed["active"], stayed["options"]) == (
        False, {"Size": "S", "Colour": "Red", "Fit": "Regular"})
    assert api.ok(api.get("/products/TEE-S-RED")) == stayed


def test_a_variant_s_category_is_its_product_s(api: Api) -> None:
    made = api.ok(api.post("/products", tee()), 201)
    api.ok(api.patch("/products/TEE-M-RED", {"category": "Sale/Tees"}))
    group = api.ok(api.get(f"/product-groups/{made['id']}"))
    assert {v["category"] for v in group["variants"]} == {"Sale/Tees"}
    assert group["category"] == "Sale/Tees"
    updated = [e["data"]["sku"] for e in _events(api) if e["type"] == "product.updated"]
    assert sorted(updated) == ["TEE-M-BLUE", "TEE-M-RED", "TEE-S-RED"]


def test_concurrent_variants_taking_the_same_values_make_one(api: Api) -> None:
    """Each change holds the product while it checks and writes: of many clients adding a
    variant with the same values at once, one succeeds and the others are refused."""
    made = api.ok(api.post("/products", tee(
        options=[{"name": "Size", "values": ["S", "M"]}],
        variants=[{"sku": "V-S", "price": "1.00", "options": {"Size": "S"}}])), 201)
    barrier = threading.Barrier(CLIENTS)
    headers = {"Authorization": f"Bearer {api.tokens['manager']}"}
    with serving(create_app(api.ctx)) as url:
        def one(n: int) -> httpx.Response:
            body = {"variants": [{"sku": f"V-M-{n}", "price": "1.00", "options": {"Size": "M"}}]}
            with httpx.Client(timeout=60) as client:
                barrier.wait()
                return client.patch(f"{url}/api/v1/product-groups/{made['id']}", json=body,
                                    headers=headers)

        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = sorted(a.status_code for a in pool.map(one, range(CLIENTS)))
    assert answers == [200] + [422] * (CLIENTS - 1)
    group = api.ok(api.get(f"/product-groups/{made['id']}"))
    assert sorted(v["options"]["Size"] for v in group["variants"]) == ["M", "S"]


def test_a_value_a_connected_woocommerce_would_split_is_refused(api: Api) -> None:
    api.ok(api.post("/connections", {
        "name": "woo", "platform": "woocommerce",
        "settings": {"shop_url": "https://shop.example"},
        "secrets": {"consumer_key": "ck_test", "consumer_secret": "cs_test"}}), 201)
    before = row_counts(engine_of(api.ctx.store))
    refused = api.post("/products", tee(
        options=[{"name": "Colour", "values": ["Red", "Red|Blue"]}],
        variants=[{"sku": "RB-1", "price": "1.00", "options": {"Colour": "Red|Blue"}}]))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["details"] == {"field": "options.0.values.1", "connection": "woo"}
    assert "'|'" in error["message"]
    assert row_counts(engine_of(api.ctx.store)) == before
