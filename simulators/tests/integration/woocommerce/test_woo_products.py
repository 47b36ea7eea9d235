"""Products and variations over real HTTP: shapes, filters, pagination, errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tillflow_simulators.common.gtin import is_valid_gtin
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.state import ShopSettings


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


def _create(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = api.post("/products", json={"name": "Mug", "regular_price": "9.50", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_created_product_has_woocommerce_fields(api: httpx.Client) -> None:
    response = api.post(
        "/products",
        json={
            "name": "Blue mug",
            "type": "simple",
            "regular_price": "12.30",
            "sku": "MUG-1",
            "global_unique_id": "4006381333931",
            "manage_stock": True,
            "stock_quantity": 3,
        },
    )
    assert response.status_code == 201
    product = response.json()
    assert response.headers["location"].endswith(f"/wp-json/wc/v3/products/{product['id']}")
    assert product["price"] == "12.30"
    assert product["regular_price"] == "12.30"
    assert product["sku"] == "MUG-1"
    assert product["global_unique_id"] == "4006381333931"
    assert product["stock_quantity"] == 3
    assert product["stock_status"] == "instock"
    assert product["status"] == "publish"
    assert product["date_modified_gmt"] == product["date_created_gmt"]
    assert "T" in product["date_modified_gmt"]
    assert not product["date_modified_gmt"].endswith("Z")


def test_stock_zero_means_out_of_stock(api: httpx.Client) -> None:
    product = _create(api, manage_stock=True, stock_quantity=2)
    updated = api.put(f"/products/{product['id']}", json={"stock_quantity": 0}).json()
    assert updated["stock_status"] == "outofstock"
    backorders = api.put(f"/products/{product['id']}", json={"backorders": "notify"}).json()
    assert backorders["stock_status"] == "onbackorder"


def test_numeric_price_is_rejected_like_wordpress(api: httpx.Client) -> None:
    response = api.post("/products", json={"name": "Mug", "regular_price": 9.5})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert response.json()["data"]["params"] == {
        "regular_price": "regular_price is not of type string."
    }


def test_duplicate_sku_is_refused(api: httpx.Client) -> None:
    first = _create(api, sku="DUP")
    response = api.post("/products", json={"name": "Other", "sku": "DUP"})
    assert response.status_code == 400
    assert response.json()["code"] == "product_invalid_sku"
    assert response.json()["data"]["resource_id"] == first["id"]


def test_sku_filter_finds_variations_too(api: httpx.Client) -> None:
    parent = _create(
        api,
        type="variable",
        sku="TEE",
        attributes=[{"name": "Size", "options": ["S", "M"], "variation": True}],
    )
    variation = api.post(
        f"/products/{parent['id']}/variations",
        json={
            "regular_price": "15.00",
            "sku": "TEE-S",
            "manage_stock": True,
            "stock_quantity": 4,
            "attributes": [{"name": "Size", "option": "S"}],
        },
    )
    assert variation.status_code == 201
    found = api.get("/products", params={"sku": "TEE-S"}).json()
    assert [p["id"] for p in found] == [variation.json()["id"]]
    assert found[0]["type"] == "variation"
    assert found[0]["parent_id"] == parent["id"]
    assert api.get(f"/products/{parent['id']}").json()["variations"] == [found[0]["id"]]
    assert api.get(f"/products/{found[0]['id']}").json()["sku"] == "TEE-S"
    listed = api.get(f"/products/{parent['id']}/variations").json()
    assert [v["sku"] for v in listed] == ["TEE-S"]


def test_pagination_headers_and_links(sim: WooCommerceSimulator, api: httpx.Client) -> None:
    sim.seed(25)
    first = api.get("/products", params={"per_page": 10})
    assert first.headers["x-wp-total"] == "25"
    assert first.headers["x-wp-totalpages"] == "3"
    assert 'rel="next"' in first.headers["link"]
    assert "page=2" in first.headers["link"]
    last = api.get("/products", params={"per_page": 10, "page": 3})
    assert len(last.json()) == 5
    assert 'rel="prev"' in last.headers["link"]
    assert 'rel="next"' not in last.headers["link"]
    skus = {p["sku"] for page in (1, 2, 3) for p in api.get(
        "/products", params={"per_page": 10, "page": page}
    ).json()}
    assert len(skus) == 25
    assert api.get("/products", params={"page": 4}).json() == []


def test_per_page_above_100_is_invalid(api: httpx.Client) -> None:
    response = api.get("/products", params={"per_page": 101})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"


def test_seeded_products_have_valid_ean13_barcodes(sim: WooCommerceSimulator) -> None:
    products = sim.seed(5)
    assert all(len(p["global_unique_id"]) == 13 for p in products)
    assert all(is_valid_gtin(p["global_unique_id"]) for p in products)
    assert all(p["manage_stock"] and p["stock_quantity"] > 0 for p in products)


def test_modified_after_and_status_filters() -> None:
    moment = [datetime(2025, 3, 1, 12, 0, tzinfo=UTC)]
    with (
        WooCommerceSimulator(clock=lambda: moment[0], settings=ShopSettings()) as sim,
        sim.client() as api,
    ):
        old = _create(api, sku="OLD")
        draft = _create(api, sku="DRAFT", status="draft")
        moment[0] += timedelta(seconds=30)
        api.put(f"/products/{old['id']}", json={"regular_price": "10.00"})
        since = "2025-03-01T12:00:10"
        recent = api.get("/products", params={"modified_after": since, "dates_are_gmt": "true"})
        with_offset = api.get("/products", params={"modified_after": f"{since}Z"})
        # Without either, the GMT time is read in the shop's zone, eight hours later.
        as_local = api.get("/products", params={"modified_after": since})
        drafts = api.get("/products", params={"status": "draft"})
    assert [p["sku"] for p in recent.json()] == [p["sku"] for p in with_offset.json()] == ["OLD"]
    assert as_local.json() == []
    assert recent.json()[0]["date_modified_gmt"] == "2025-03-01T12:00:30"
    assert recent.json()[0]["date_modified"] == "2025-03-01T04:00:30"
    assert [p["id"] for p in drafts.json()] == [draft["id"]]


def test_delete_trashes_unless_forced(api: httpx.Client) -> None:
    product = _create(api)
    trashed = api.delete(f"/products/{product['id']}")
    assert trashed.json()["status"] == "trash"
    assert api.get("/products").json() == []
    again = api.delete(f"/products/{product['id']}")
    assert again.status_code == 410
    forced = api.delete(f"/products/{product['id']}", params={"force": "true"})
    assert forced.status_code == 200
    missing = api.get(f"/products/{product['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "woocommerce_rest_product_invalid_id"


def test_meta_data_holds_external_ids(api: httpx.Client) -> None:
    product = _create(api, meta_data=[{"key": "_tillflow_id", "value": "P-1"}])
    updated = api.put(
        f"/products/{product['id']}", json={"meta_data": [{"key": "_tillflow_id", "value": "P-2"}]}
    ).json()
    assert [(m["key"], m["value"]) for m in updated["meta_data"]] == [("_tillflow_id", "P-2")]
