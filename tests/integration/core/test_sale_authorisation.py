"""Who may record which sale: offline sales only from a paired register's session (priced
as that register last read the catalog), channel sales only from integrations and admins,
a register-bound cashier token only at its register. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


@pytest.fixture
def shop(api: Api) -> Api:
    api.location("S1")
    api.product("A", "10.00", tax_rate="0")
    api.product("B", "4.00", tax_rate="0")
    api.stock("A", "S1", 5)
    api.stock("B", "S1", 5)
    api.register_with_shift("R1", "S1")
    api.register_with_shift("R2", "S1")
    return api


def _sale(**overrides: Any) -> dict[str, Any]:
    return {"location": "S1", "register": "R1", "lines": [{"sku": "A", "quantity": 1}],
            "payments": [{"method": "cash", "amount": "20000.00"}], **overrides}


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_marking_a_sale_offline_does_not_sell_past_zero(shop: Api) -> None:
    """The attack: a cashier's token selling 1,000 of 5 as "offline" or as a web order."""
    ana = shop.session("R1")
    before = row_counts(engine_of(shop.ctx.store))
    thousand = [{"sku": "A", "quantity": 1000}]
    for role in ("cashier", "manager", "admin", "integration"):
        refused = shop.post("/sales", _sale(lines=thousand, offline=True), role=role,
                            headers=_key())
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    for role in ("cashier", "manager"):
        refused = shop.post("/sales", _sale(lines=thousand, channel="shopify",
                                            external_id="gid://shopify/Order/1"),
                            role=role, headers=_key())
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    # Signed in at R1, a cashier sends offline sales for R1 only.
    refused = shop.post("/sales", _sale(register="R2", offline=True), role=None,
                        headers=ana | _key())
    assert refused.status_code == 403
    assert row_counts(engine_of(shop.ctx.store)) == before
    assert shop.on_hand("A", "S1") == 5

    web = shop.post("/sales", _sale(register=None, lines=thousand, channel="shopify",
                                    external_id="gid://shopify/Order/1"),
                    role="integration")
    assert web.status_code == 201, web.text


def test_a_cashier_token_bound_to_a_register_sells_only_there(shop: Api) -> None:
    made = shop.ok(shop.post("/tokens", {"role": "cashier", "name": "till R1",
                                         "register": "R1"}), 201)
    assert made["register"] == "R1"
    bound = {"Authorization": f"Bearer {made['token']}"}
    before = row_counts(engine_of(shop.ctx.store))
    for register in ("R2", None):
        refused = shop.post("/sales", _sale(register=register), role=None,
                            headers=bound | _key())
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["details"]["signed_in_at"] == "R1"
    refused = shop.post("/registers/R2/shifts", {"opening_float": "0.00"}, role=None,
                        headers=bound)
    assert refused.status_code == 403
    assert row_counts(engine_of(shop.ctx.store)) == before
    shop.ok(shop.post("/sales", _sale(), role=None, headers=bound | _key()), 201)
    # An API token is no register session: it neither sells offline nor asks approvals.
    assert shop.post("/sales", _sale(offline=True), role=None,
                     headers=bound | _key()).status_code == 403
    for role in ("admin", "integration"):
        refused = shop.post("/tokens", {"role": role, "register": "R1"})
        assert refused.status_code == 422
    assert shop.post("/tokens", {"role": "cashier", "register": "R9"}).status_code == 422


def test_an_offline_sale_is_priced_as_its_register_last_read_the_catalog(shop: Api) -> None:
    ana = shop.session("R1")
    page = shop.client.get("/api/v1/products", params={"limit": 500}, headers=ana)
    assert page.status_code == 200
    # Later, the prices change; the register sells offline at what it read.
    shop.ok(shop.patch("/products/A", {"price": "12.00"}))
    offline = shop.ok(shop.post("/sales", _sale(offline=True, lines=[
        {"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]), role=None,
        headers=ana | _key()), 201)
    assert [line["unit_price"] for line in offline["lines"]] == ["10.00", "4.00"]
    assert offline["total"] == "24.00"
    [found] = shop.ok(shop.get("/price-discrepancies"))["items"]
    assert (found["sale_id"], found["sku"], found["register"], found["sold_at"],
            found["catalog_price"], found["quantity"]) == (
        offline["id"], "A", "R1", "10.00", "12.00", 2)
    events = shop.ok(shop.get("/events", after=0, limit=500))["events"]
    assert [e["data"]["sku"] for e in events if e["type"] == "price.discrepancy"] == ["A"]

    # Online, the catalog's price is the price; a cashier's offline sale below what the
    # register read is an override like any other.
    online = shop.ok(shop.post("/sales", _sale(), role=None, headers=ana | _key()), 201)
    assert online["lines"][0]["unit_price"] == "12.00"
    cheap = shop.post("/sales", _sale(offline=True, lines=[
        {"sku": "A", "quantity": 1, "unit_price": "9.00"}]), role=None, headers=ana | _key())
    assert cheap.json()["error"]["code"] == "approval_required"
    # Reading the catalog again, the register knows the new price: no discrepancy then.
    shop.client.get("/api/v1/products", params={"limit": 500}, headers=ana)
    again = shop.ok(shop.post("/sales", _sale(offline=True), role=None,
                              headers=ana | _key()), 201)
    assert again["lines"][0]["unit_price"] == "12.00"
    assert len(shop.ok(shop.get("/price-discrepancies"))["items"]) == 1
    assert shop.get("/price-discrepancies", role="cashier").status_code == 403
