"""``/customers``: create, find by email, update."""
from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tillflow_simulators.woocommerce import WooCommerceSimulator


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


def test_create_and_find_by_email(api: httpx.Client) -> None:
    created = api.post(
        "/customers",
        json={"email": "Ann@Example.com", "first_name": "Ann", "billing": {"phone": "555"}},
    )
    assert created.status_code == 201
    assert created.json()["username"] == "ann"
    found = api.get("/customers", params={"email": "ann@example.com"}).json()
    assert [c["id"] for c in found] == [created.json()["id"]]
    assert found[0]["billing"]["phone"] == "555"
    assert api.get("/customers", params={"email": "bob@example.com"}).json() == []


def test_duplicate_email_is_refused(api: httpx.Client) -> None:
    api.post("/customers", json={"email": "ann@example.com"})
    response = api.post("/customers", json={"email": "ANN@example.com"})
    assert response.status_code == 400
    assert response.json()["code"] == "registration-error-email-exists"


def test_email_is_required(api: httpx.Client) -> None:
    response = api.post("/customers", json={"first_name": "Ann"})
    assert response.status_code == 400
    assert response.json()["code"] == "rest_missing_callback_param"


def test_update_changes_fields_and_modified_date(api: httpx.Client) -> None:
    customer = api.post("/customers", json={"email": "ann@example.com"}).json()
    updated = api.put(f"/customers/{customer['id']}", json={"last_name": "Lee"})
    assert updated.json()["last_name"] == "Lee"
    missing = api.get("/customers/9999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "wc_user_invalid_id"
