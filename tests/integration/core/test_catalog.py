"""Products, barcodes, search and paging through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


def product_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"sku": "TEA-1", "name": "Green tea", "price": "4.20",
                            "tax_rate": "0.07", "barcodes": ["4006381333931", "036000291452"]}
    body.update(overrides)
    return body


def test_create_read_and_patch_a_product(api: Api) -> None:
    created = api.ok(api.post("/products", product_body(), role="manager"), 201)
    assert created == {"sku": "TEA-1", "name": "Green tea", "price": "4.20", "tax_rate": "0.07",
                       "barcodes": ["036000291452", "4006381333931"], "active": True,
                       "version": 1, "cost": None, "product_id": created["product_id"],
                       "options": {}, "category": None}
    assert api.ok(api.get("/products/TEA-1", role="cashier")) == created
    patched = api.ok(api.patch("/products/TEA-1", {"price": "4.50", "active": False}))
    assert (patched["price"], patched["active"], patched["version"]) == ("4.50", False, 2)
    unchanged = api.ok(api.patch("/products/TEA-1", {"price": "4.50"}))
    assert unchanged["version"] == 2


def test_barcode_lookup_finds_upc_a_and_its_ean_13_form(api: Api) -> None:
    api.ok(api.post("/products", product_body()), 201)
    for code in ("036000291452", "0036000291452", "4006381333931"):
        found = api.ok(api.get(f"/products/by-barcode/{code}", role="cashier"))
        assert found["product"]["sku"] == "TEA-1"
    assert api.get("/products/by-barcode/4006381333948").status_code == 404
    bad = api.get("/products/by-barcode/4006381333932")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "validation_error"


def test_search_pages_with_a_cursor(api: Api) -> None:
    for n in range(7):
        api.ok(api.post("/products", product_body(sku=f"P{n}", name=f"Item {n}", barcodes=[])),
               201)
    api.ok(api.post("/products", product_body(sku="X1", name="Green tea", barcodes=[])), 201)
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 3, "query": "item"}
        if cursor:
            params["cursor"] = cursor
        page = api.ok(api.get("/products", **params))
        seen += [p["sku"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"P{n}" for n in range(7)]
    assert api.get("/products", cursor="!!!").status_code == 422


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"price": "1.234"}, "validation_error"),
        ({"price": "abc"}, "validation_error"),
        ({"price": "-1.00"}, "validation_error"),
        ({"price": 4.2}, "validation_error"),
        ({"tax_rate": "1.5"}, "validation_error"),
        ({"tax_rate": "x"}, "validation_error"),
        ({"barcodes": ["4006381333932"]}, "validation_error"),
        ({"barcodes": ["12345"]}, "validation_error"),
        ({"barcodes": ["036000291452", "0036000291452"]}, "validation_error"),
        ({"sku": "has space"}, "validation_error"),
        ({"name": "   "}, "validation_error"),
        ({"colour": "green"}, "validation_error"),
    ],
)
def test_bad_products_are_refused(api: Api, overrides: dict[str, Any], code: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.post("/products", product_body(**overrides))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert row_counts(engine_of(api.ctx.store)) == before


def test_sku_and_barcodes_are_unique(api: Api) -> None:
    api.ok(api.post("/products", product_body()), 201)
    before = row_counts(engine_of(api.ctx.store))
    duplicate = api.post("/products", product_body(barcodes=[]))
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "conflict"
    taken = api.post("/products", product_body(sku="TEA-2", barcodes=["0036000291452"]))
    assert taken.status_code == 409
    assert api.patch("/products/TEA-404", {"price": "1.00"}).status_code == 404
    assert row_counts(engine_of(api.ctx.store)) == before


@pytest.mark.parametrize(
    ("role", "method", "path", "status"),
    [
        (None, "get", "/products", 401),
        ("cashier", "post", "/products", 403),
        ("integration", "post", "/locations", 403),
        ("manager", "post", "/tokens", 403),
        ("cashier", "get", "/events", 403),
        ("cashier", "post", "/inventory/adjustments", 403),
    ],
)
def test_roles_and_tokens(api: Api, role: str | None, method: str, path: str,
                          status: int) -> None:
    before = row_counts(engine_of(api.ctx.store))
    if method == "get":
        response = api.get(path, role=role)
    else:
        response = api.post(path, product_body(), role=role)
    assert response.status_code == status
    assert response.json()["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[status]
    assert row_counts(engine_of(api.ctx.store)) == before


def test_a_wrong_token_is_unauthorized(api: Api) -> None:
    response = api.client.get("/api/v1/products", headers={"Authorization": "Bearer tf_nope"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert api.client.get("/api/v1/products", headers={"Authorization": "Basic x"}
                          ).status_code == 401


def test_admin_creates_tokens_that_work_once_shown(api: Api) -> None:
    made = api.ok(api.post("/tokens", {"role": "cashier", "name": "till 3"}), 201)
    assert made["token"].startswith("tf_")
    response = api.client.get("/api/v1/products",
                              headers={"Authorization": f"Bearer {made['token']}"})
    assert response.status_code == 200


def test_openapi_and_unknown_routes(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sales" in spec["paths"]
    missing = api.client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_scans_of_weight_price_and_gs1_codes(api: Api) -> None:
    api.ok(api.post("/products", product_body(sku="CHEESE", barcodes=["2112345000008"])), 201)
    api.ok(api.post("/products", product_body(sku="CAKE", barcodes=["2354321000002"])), 201)
    api.ok(api.post("/products", product_body(sku="TEA-1")), 201)
    weighed = api.ok(api.get("/products/by-barcode/2112345012346"))
    assert (weighed["product"]["sku"], weighed["quantity"]) == ("CHEESE", "1.234")
    assert "unit_price" not in weighed
    priced = api.ok(api.get("/products/by-barcode/2354321004505"))
    assert (priced["product"]["sku"], priced["unit_price"]) == ("CAKE", "4.50")
    assert "quantity" not in priced
    gs1 = api.ok(api.get("/products/by-barcode/]C1010400638133393110ABC%1D17261231"))
    assert gs1 == {"product": api.ok(api.get("/products/TEA-1"))}
    assert api.ok(api.get("/products/by-barcode/]E04006381333931"))["product"]["sku"] == "TEA-1"
    assert api.get("/products/by-barcode/]C101040063813339329").status_code == 422
    assert api.get("/products/by-barcode/2199999012342").status_code == 404
