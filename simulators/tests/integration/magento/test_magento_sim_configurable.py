"""Product attributes and configurable products as a Magento store keeps them: attributes
made and found, their options, the attribute set a value needs, and the links Magento
refuses, each with Magento's message and status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sim_support.magento import TOKEN, bearer
from tillflow_simulators.magento import MagentoSimulator


@pytest.fixture(scope="module")
def sim() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN) as simulator:
        yield simulator
        assert simulator.violations == []


@pytest.fixture(scope="module")
def admin(sim: MagentoSimulator) -> Iterator[httpx.Client]:
    with bearer(sim) as client:
        yield client


def _ok(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text
    return answer.json()


def _refused(answer: httpx.Response, status: int = 400) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def _attribute(admin: httpx.Client, code: str, label: str) -> dict[str, Any]:
    made: dict[str, Any] = _ok(
        admin.post(
            "/all/V1/products/attributes",
            json={
                "attribute": {
                    "attribute_code": code,
                    "frontend_input": "select",
                    "entity_type_id": "4",
                    "is_required": False,
                    "scope": "global",
                    "default_frontend_label": label,
                    "frontend_labels": [{"store_id": 0, "label": label}],
                }
            },
        )
    )
    return made


def _simple(admin: httpx.Client, sku: str, values: dict[str, str]) -> None:
    _ok(
        admin.post(
            "/all/V1/products",
            json={
                "product": {
                    "sku": sku,
                    "name": sku,
                    "price": 10,
                    "type_id": "simple",
                    "attribute_set_id": 4,
                    "visibility": 1,
                    "custom_attributes": [
                        {"attribute_code": k, "value": v} for k, v in values.items()
                    ],
                }
            },
        )
    )


def test_an_attribute_is_made_found_and_given_options(admin: httpx.Client) -> None:
    made = _attribute(admin, "fit", "Fit")
    assert (made["attribute_code"], made["frontend_input"], made["scope"]) == (
        "fit",
        "select",
        "global",
    )
    assert _refused(
        admin.post(
            "/all/V1/products/attributes",
            json={
                "attribute": {
                    "attribute_code": "fit",
                    "frontend_input": "select",
                    "entity_type_id": "4",
                    "is_required": False,
                    "default_frontend_label": "Fit",
                    "frontend_labels": [],
                }
            },
        )
    ) == {"message": "The attribute can't be saved."}
    assert _refused(
        admin.post(
            "/all/V1/products/attributes",
            json={
                "attribute": {
                    "attribute_code": "9fit",
                    "frontend_input": "select",
                    "entity_type_id": "4",
                    "is_required": False,
                    "default_frontend_label": "Fit",
                    "frontend_labels": [],
                }
            },
        )
    )["parameters"] == ["9fit"]
    assert _refused(admin.get("/all/V1/products/attributes/nope"), 404) == {
        "message": 'The attribute with a "%1" attributeCode doesn\'t exist. Verify the '
        "attribute and try again.",
        "parameters": ["nope"],
    }

    slim = _ok(
        admin.post("/all/V1/products/attributes/fit/options", json={"option": {"label": "Slim"}})
    )
    assert _refused(
        admin.post("/all/V1/products/attributes/fit/options", json={"option": {"label": "slim"}})
    ) == {
        "message": 'Admin store attribute option label "%1" is already exists.',
        "parameters": ["slim"],
    }
    assert _ok(admin.get("/all/V1/products/attributes/fit/options")) == [
        {"label": " ", "value": ""},
        {"label": "Slim", "value": slim},
    ]
    found = _ok(
        admin.get(
            "/all/V1/products/attributes",
            params={
                "searchCriteria[filterGroups][0][filters][0][field]": "frontend_label",
                "searchCriteria[filterGroups][0][filters][0][value]": "fit",
            },
        )
    )
    assert [a["attribute_code"] for a in found["items"]] == ["fit"]
    assert _refused(
        admin.post(
            "/all/V1/products/attributes/weight/options", json={"option": {"label": "Heavy"}}
        )
    )["parameters"] == ["weight"]


def test_a_value_needs_the_attribute_in_the_products_attribute_set(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    made = _attribute(admin, "cut", "Cut")
    wide = _ok(
        admin.post("/all/V1/products/attributes/cut/options", json={"option": {"label": "Wide"}})
    )
    _simple(admin, "CUT-1", {"cut": wide})
    assert "cut" not in sim.product("CUT-1").custom_attributes
    held = _ok(admin.get("/all/V1/products/attribute-sets/4/attributes"))
    assert "cut" not in [a["attribute_code"] for a in held]

    groups = _ok(
        admin.get(
            "/all/V1/products/attribute-sets/groups/list",
            params={
                "searchCriteria[filterGroups][0][filters][0][field]": "attribute_set_id",
                "searchCriteria[filterGroups][0][filters][0][value]": "4",
            },
        )
    )["items"]
    details = next(
        g for g in groups if g["extension_attributes"]["attribute_group_code"] == "product-details"
    )
    assert (
        _ok(
            admin.post(
                "/all/V1/products/attribute-sets/attributes",
                json={
                    "attributeSetId": 4,
                    "attributeGroupId": int(details["attribute_group_id"]),
                    "attributeCode": "cut",
                    "sortOrder": 0,
                },
            )
        )
        == made["attribute_id"]
    )
    assert _refused(
        admin.post(
            "/all/V1/products/attribute-sets/attributes",
            json={
                "attributeSetId": 9,
                "attributeGroupId": 7,
                "attributeCode": "cut",
                "sortOrder": 0,
            },
        ),
        404,
    )["parameters"] == [9]
    _simple(admin, "CUT-1", {"cut": wide})
    assert sim.product("CUT-1").custom_attributes["cut"] == wide


def test_children_of_a_configurable_product_are_checked_as_magento_checks_them(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    sim.add_attribute("hem", "Hem", ["Raw", "Sewn"])
    sim.add_product("HEM-R", "Raw", 5, attributes={"hem": "Raw"})
    sim.add_product("HEM-R2", "Raw again", 5, attributes={"hem": "Raw"})
    sim.add_product("HEM-S", "Sewn", 5, attributes={"hem": "Sewn"})
    sim.add_product("HEM-NONE", "No hem", 5)
    _ok(
        admin.post(
            "/all/V1/products",
            json={
                "product": {
                    "sku": "HEM",
                    "name": "Hem",
                    "type_id": "configurable",
                    "attribute_set_id": 4,
                }
            },
        )
    )
    assert _refused(
        admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-R"})
    ) == {"message": "The parent product doesn't have configurable product options."}

    hem = sim.store.attributes["hem"]
    option = {
        "attribute_id": str(hem.attribute_id),
        "label": "Hem",
        "position": 0,
        "values": [{"value_index": o.option_id} for o in hem.options],
    }
    assert _refused(
        admin.post("/all/V1/configurable-products/HEM-R/options", json={"option": option})
    )["parameters"] == ["HEM-R"]
    assert _refused(
        admin.post(
            "/all/V1/configurable-products/HEM/options", json={"option": {**option, "values": []}}
        )
    ) == {"message": "Option values are not specified."}
    option_id = _ok(
        admin.post("/all/V1/configurable-products/HEM/options", json={"option": option})
    )
    assert _refused(
        admin.post("/all/V1/configurable-products/HEM/options", json={"option": option})
    ) == {"message": "Product already has this option"}
    [listed] = _ok(admin.get("/all/V1/configurable-products/HEM/options/all"))
    assert (listed["id"], listed["attribute_id"]) == (option_id, str(hem.attribute_id))

    _ok(admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-R"}))
    assert _refused(
        admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-R"})
    ) == {"message": "The product is already attached."}
    assert _refused(
        admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-NONE"})
    )["parameters"] == ["hem"]
    same = _refused(
        admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-R2"})
    )
    assert same["message"] == 'Products "%1" and "%2" have the same set of attribute values.'
    _ok(admin.post("/all/V1/configurable-products/HEM/child", json={"childSku": "HEM-S"}))
    assert [c["sku"] for c in _ok(admin.get("/all/V1/configurable-products/HEM/children"))] == [
        "HEM-R",
        "HEM-S",
    ]
    parent = _ok(admin.get("/all/V1/products/HEM"))
    assert parent["extension_attributes"]["configurable_product_options"][0]["label"] == "Hem"

    assert _ok(admin.delete("/all/V1/configurable-products/HEM/children/HEM-R")) is True
    assert _refused(admin.delete("/all/V1/configurable-products/HEM/children/HEM-R"), 404) == {
        "message": "The option that was requested doesn't exist. Verify the entity and try again."
    }
    assert _ok(admin.get("/all/V1/configurable-products/HEM-S/children")) == []
    assert sim.product("HEM-R").type_id == "simple"  # unlinked, not deleted
