"""Bulk requests are accepted with a UUID and run by the consumer; input limits refuse long
lists; injected faults answer as the store or its web server would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sim_support.magento import TOKEN, bearer
from sim_support.waiting import wait_until
from tillflow_simulators.magento import MagentoSimulator


@pytest.fixture
def sim() -> Iterator[MagentoSimulator]:
    with MagentoSimulator(access_token=TOKEN, consumers=False) as simulator:
        simulator.add_product("MUG-1", "Mug", "12.50", qty=10)
        yield simulator
        assert simulator.violations == []


@pytest.fixture
def admin(sim: MagentoSimulator) -> Iterator[httpx.Client]:
    with bearer(sim) as client:
        yield client


def test_bulk_products_run_when_the_consumer_runs(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    accepted = admin.post(
        "/async/bulk/V1/products",
        json=[
            {"product": {"sku": "NEW-1", "name": "New", "price": 3}},
            {"product": {"sku": "NEW-2", "type_id": "simple"}},
        ],
    )
    assert accepted.status_code == 202
    body = accepted.json()
    assert [i["status"] for i in body["request_items"]] == ["accepted", "accepted"]
    status = f"/V1/bulk/{body['bulk_uuid']}/status"
    assert [o["status"] for o in admin.get(status).json()["operations_list"]] == [4, 4]
    assert sim.run_consumers() == 2
    operations = admin.get(status).json()["operations_list"]
    assert [o["status"] for o in operations] == [1, 3]
    assert operations[1]["result_message"] == (
        'The "name" attribute value is empty. Set the attribute and try again.'
    )
    assert admin.get("/V1/products/NEW-1").status_code == 200


def test_bulk_update_by_sku_and_source_items(sim: MagentoSimulator, admin: httpx.Client) -> None:
    admin.put("/async/bulk/V1/products/bySku", json=[{"product": {"sku": "MUG-1", "price": 14}}])
    admin.post(
        "/all/async/bulk/V1/inventory/source-items",
        json=[
            {
                "sourceItems": [
                    {"sku": "MUG-1", "source_code": "default", "quantity": 3, "status": 1}
                ]
            }
        ],
    )
    sim.run_consumers()
    assert sim.product("MUG-1").price == 14
    assert sim.salable_quantity("MUG-1") == 3


def test_bulk_entries_are_checked_before_they_are_accepted(admin: httpx.Client) -> None:
    refused = admin.post("/async/bulk/V1/products", json=[{"product": {"sku": "X", "price": "?"}}])
    assert refused.status_code == 400
    assert admin.get("/async/V1/products").status_code == 404


def test_unknown_bulk_uuid(admin: httpx.Client) -> None:
    answer = admin.get("/V1/bulk/00000000-0000-0000-0000-000000000000/status")
    assert answer.status_code == 404


def test_input_limit_refuses_a_21st_source_item() -> None:
    items = [{"sku": "MUG-1", "source_code": "default", "quantity": n} for n in range(21)]
    with MagentoSimulator(access_token=TOKEN, input_limits=True) as sim, bearer(sim) as admin:
        sim.add_product("MUG-1", "Mug", 1)
        answer = admin.post("/V1/inventory/source-items", json={"sourceItems": items})
        assert answer.status_code == 400
        assert answer.json() == {
            "message": 'Maximum items of type "%type" is %max',
            "parameters": {
                "type": "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface",
                "max": 20,
            },
        }
        assert (
            admin.post("/V1/inventory/source-items", json={"sourceItems": items[:20]}).status_code
            == 200
        )
        too_big = admin.get("/V1/products", params={"searchCriteria[pageSize]": 301})
        assert too_big.json()["message"] == "Maximum SearchCriteria pageSize is %max"
        default_page = admin.get("/V1/products", params={"searchCriteria": ""}).json()
        assert default_page["search_criteria"]["page_size"] == 20


def test_an_asynchronous_request_takes_lists_up_to_the_async_limit() -> None:
    """Adobe's input limits: 20 entities in a synchronous list, 5,000 in an asynchronous
    one (api-security.md)."""
    items = [{"sku": "MUG-1", "source_code": "default", "quantity": 3, "status": 1}] * 25
    with MagentoSimulator(access_token=TOKEN, input_limits=True) as sim, bearer(sim) as admin:
        sim.add_product("MUG-1", "Mug", 1)
        accepted = admin.post(
            "/async/bulk/V1/inventory/source-items", json=[{"sourceItems": items}]
        )
        assert accepted.status_code == 202, accepted.text
        too_many = admin.post(
            "/async/bulk/V1/inventory/source-items", json=[{"sourceItems": items * 201}]
        )
        assert too_many.status_code == 400
        assert too_many.json()["parameters"]["max"] == 5000


def test_faults_answer_as_the_store_and_its_proxy(
    sim: MagentoSimulator, admin: httpx.Client
) -> None:
    sim.fail_next(429, retry_after=3)
    sim.fail_next(500)
    sim.fail_next(503, method="GET")
    throttled = admin.get("/V1/products/MUG-1")
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "3"
    assert throttled.json() == {"message": "Too Many Requests", "trace": None}
    assert admin.get("/V1/products/MUG-1").json()["message"].startswith("Internal Error.")
    unavailable = admin.get("/V1/products/MUG-1")
    assert unavailable.status_code == 503
    assert "text/html" in unavailable.headers["content-type"]
    assert admin.get("/V1/products/MUG-1").status_code == 200


def test_a_slow_answer_still_makes_the_change(sim: MagentoSimulator) -> None:
    sim.slow_next(1.0, method="POST")
    with bearer(sim) as admin, pytest.raises(httpx.ReadTimeout):
        admin.post(
            "/V1/inventory/source-items",
            timeout=0.2,
            json={"sourceItems": [{"sku": "MUG-1", "source_code": "default", "quantity": 2}]},
        )
    wait_until(
        lambda: sim.source_quantity("MUG-1") == 2, timeout=5, message="the slow write never landed"
    )


def test_rate_limit_answers_429(sim: MagentoSimulator, admin: httpx.Client) -> None:
    sim.rate_limit(rate=0.01, burst=1)
    assert admin.get("/V1/products/MUG-1").status_code == 200
    assert admin.get("/V1/products/MUG-1").status_code == 429
    sim.clear_faults()
    assert admin.get("/V1/products/MUG-1").status_code == 200
