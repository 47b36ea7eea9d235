"""Requests Adobe's schema refuses are refused in Magento's words; routes an Open Source
store lacks answer as Magento does; answers stay inside the schema."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sim_support.magento import TOKEN, bearer
from tillflow_simulators.magento import MagentoSimulator


@pytest.fixture
def sim() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN) as simulator:
        yield simulator
        assert simulator.violations == []


@pytest.fixture
def admin(sim: MagentoSimulator) -> Iterator[httpx.Client]:
    with bearer(sim) as client:
        yield client


def test_wrong_type_is_refused_with_the_field_path(admin: httpx.Client) -> None:
    answer = admin.post(
        "/V1/products",
        json={
            "product": {
                "sku": "A",
                "name": "A",
                "price": 1,
                "extension_attributes": {"stock_item": {"qty": "many"}},
            }
        },
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "message": (
            'Error occurred during "extension_attributes" processing. '
            'Error occurred during "stock_item" processing. '
            'Error occurred during "qty" processing. '
            'The "many" value\'s type is invalid. The "float" type was expected. '
            "Verify and try again."
        )
    }


def test_numeric_strings_pass_as_php_converts_them(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    answer = admin.post(
        "/V1/products", json={"product": {"sku": "A", "name": "A", "price": "9.90"}}
    )
    assert answer.status_code == 200
    assert answer.json()["price"] == 9.9
    assert sim.product("A").price == sim.product("a").price


def test_unknown_field_is_refused(admin: httpx.Client) -> None:
    answer = admin.post(
        "/V1/products", json={"product": {"sku": "A", "name": "A", "price": 1, "bar_code": "123"}}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "message": '"%fieldName" is not supported. Correct the field name and try again.',
        "parameters": {"fieldName": "BarCode"},
    }


def test_unknown_field_was_an_internal_error_before_2_4_7() -> None:
    with MagentoSimulator(access_token=TOKEN, version="2.4.6") as sim, bearer(sim) as admin:
        answer = admin.post("/V1/products", json={"product": {"sku": "A", "bar_code": "1"}})
    assert answer.status_code == 500
    assert answer.json()["message"].startswith("Internal Error. Details are available in Magento")


def test_camel_case_fields_and_unknown_top_level_keys_pass(admin: httpx.Client) -> None:
    answer = admin.post(
        "/V1/products",
        json={"product": {"sku": "B", "name": "B", "price": 2, "typeId": "simple"}, "extra": 1},
    )
    assert answer.status_code == 200, answer.text


def test_missing_required_argument_is_named(admin: httpx.Client) -> None:
    answer = admin.post("/V1/inventory/source-items", json={})
    assert answer.status_code == 400
    assert answer.json() == {
        "message": '"%fieldName" is required. Enter and try again.',
        "parameters": {"fieldName": "sourceItems"},
    }


def test_search_criteria_is_required_by_get_list(admin: httpx.Client) -> None:
    assert admin.get("/V1/products").json()["parameters"] == {"fieldName": "searchCriteria"}
    assert admin.get("/V1/products", params={"searchCriteria": ""}).status_code == 200


def test_path_argument_of_the_wrong_type(admin: httpx.Client) -> None:
    answer = admin.get("/V1/orders/abc")
    assert answer.status_code == 400
    assert answer.json() == {
        "message": 'The "abc" value\'s type is invalid. The "int" type '
        "was expected. Verify and try again."
    }


def test_unknown_route_and_wrong_method(admin: httpx.Client) -> None:
    for answer in (admin.get("/V1/nothing-here"), admin.delete("/V1/orders")):
        assert answer.status_code == 404
        assert answer.json() == {"message": "Request does not match any route."}


def test_adobe_commerce_only_routes_do_not_exist(admin: httpx.Client) -> None:
    for path in ("/V1/company/", "/V1/webhooks/list", "/V1/eventing/getEventProviders"):
        assert admin.get(path).status_code == 404, path


def test_missing_entities_are_404(admin: httpx.Client) -> None:
    product = admin.get("/V1/products/NOPE")
    assert product.status_code == 404
    assert product.json() == {
        "message": "The product that was requested doesn't exist. Verify the product and try again."
    }
    customer = admin.get("/V1/customers/42")
    assert customer.json() == {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "customerId", "fieldValue": 42},
    }


def test_store_codes_in_the_path(admin: httpx.Client) -> None:
    for prefix in ("", "/default", "/all"):
        assert admin.get(f"{prefix}/V1/store/storeViews").status_code == 200
    assert admin.get("/nowhere/V1/store/storeViews").status_code == 404


def test_customers_create_get_update_search(admin: httpx.Client) -> None:
    made = admin.post(
        "/V1/customers",
        json={"customer": {"email": "ada@example.com", "firstname": "Ada", "lastname": "Lovelace"}},
    ).json()
    again = admin.post(
        "/V1/customers",
        json={"customer": {"email": "ADA@example.com", "firstname": "A", "lastname": "L"}},
    )
    assert again.status_code == 400
    changed = admin.put(
        f"/V1/customers/{made['id']}",
        json={
            "customer": {"email": "ada@example.com", "firstname": "Augusta", "lastname": "Lovelace"}
        },
    ).json()
    assert changed["firstname"] == "Augusta"
    found = admin.get(
        "/V1/customers/search",
        params={
            "searchCriteria[filterGroups][0][filters][0][field]": "firstname",
            "searchCriteria[filterGroups][0][filters][0][value]": "aug%",
            "searchCriteria[filterGroups][0][filters][0][conditionType]": "like",
        },
    ).json()
    assert [c["id"] for c in found["items"]] == [made["id"]]


def test_configurable_product_with_simple_children(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    sim.add_product("TEE-S", "T-shirt S", 15, qty=3, attributes={"color": "Red"})
    sim.add_configurable("TEE", "T-shirt", ["TEE-S"])
    children = admin.get("/V1/configurable-products/TEE/children").json()
    assert [c["sku"] for c in children] == ["TEE-S"]
    parent = admin.get("/V1/products/TEE").json()
    assert parent["extension_attributes"]["configurable_product_links"] == [children[0]["id"]]
    cart = httpx.post(f"{sim.rest_url}/V1/guest-carts").json()
    refused = httpx.post(
        f"{sim.rest_url}/V1/guest-carts/{cart}/items",
        json={"cartItem": {"sku": "TEE", "qty": 1, "quote_id": cart}},
    )
    assert refused.json() == {"message": "You need to choose options for your item."}
