"""The server prices every line: a cashier's price below it, discount or stock override
beyond the store's limits needs a manager's approval naming those acts; others keep their
freedom; each override is in the audit trail. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.domain.barcodes import DEFAULT_RCN_RULES

PRICE_RULE = DEFAULT_RCN_RULES[1]
WEIGHT_RULE = DEFAULT_RCN_RULES[0]


class Till:
    """Ana, a cashier signed in at R1 with her PIN; Max, a manager who approves by PIN."""

    def __init__(self, api: Api) -> None:
        self.api = api
        api.location("S1")
        api.product("A", "100.00", tax_rate="0")
        api.product("CHEESE", "10.00", tax_rate="0",
                    barcodes=[PRICE_RULE.build(item="00042", value="00000")])
        api.product("HAM", "20.00", tax_rate="0",
                    barcodes=[WEIGHT_RULE.build(item="00043", value="00000")])
        for sku in ("A", "CHEESE", "HAM"):
            api.stock(sku, "S1", 5)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
        self.ana = api.session("R1")

    def sell(self, *, headers: dict[str, str] | None = None, role: str | None = None,
             key: str | None = None, **body: Any) -> Any:
        sale = {"location": "S1", "register": "R1", "lines": [{"sku": "A", "quantity": 1}],
                "payments": [{"method": "cash", "amount": "2000.00"}], **body}
        extra = {"Idempotency-Key": key or str(uuid.uuid4())}
        if role is None:
            extra |= headers if headers is not None else self.ana
        return self.api.post("/sales", sale, role=role, headers=extra)

    def approval(self, *acts: str) -> str:
        given = self.api.client.post("/api/v1/staff/approvals", headers=self.ana, json={
            "name": "Max", "pin": "987654", "acts": list(acts)})
        assert given.status_code == 201, given.text
        assert given.json()["acts"] == sorted(acts)
        return str(given.json()["approval"])

    def audit(self, act: str) -> list[dict[str, Any]]:
        items = self.api.ok(self.api.get("/audit", limit=500))["items"]
        return [item for item in items if item["act"] == act]


@pytest.fixture
def till(api: Api) -> Till:
    return Till(api)


def _code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def test_a_cashier_selling_below_the_price_needs_an_approval(till: Till) -> None:
    before = row_counts(engine_of(till.api.ctx.store))
    cheap = [{"sku": "A", "quantity": 1, "unit_price": "0.01"}]
    for refused in (till.sell(lines=cheap), till.sell(lines=cheap, role="cashier")):
        assert refused.status_code == 403, refused.text
        assert _code(refused) == "approval_required"
        assert refused.json()["error"]["details"]["acts"] == ["price"]
    assert row_counts(engine_of(till.api.ctx.store)) == before

    dearer = till.api.ok(till.sell(lines=[{"sku": "A", "quantity": 1, "unit_price": "120.00"}]),
                         201)
    assert dearer["total"] == "120.00"
    plain = till.api.ok(till.sell(), 201)
    assert plain["lines"][0]["unit_price"] == "100.00"
    assert till.audit("sale.price_override") == []


def test_an_approval_names_the_acts_it_approves_and_each_is_recorded(till: Till) -> None:
    cheap = [{"sku": "A", "quantity": 1, "unit_price": "60.00", "discount": "5.00"}]
    only_discount = till.approval("discount")
    refused = till.sell(lines=cheap, approval=only_discount)
    assert (_code(refused), refused.json()["error"]["details"]["acts"]) == (
        "approval_invalid", ["price"])

    both = till.approval("discount", "price")
    sale = till.api.ok(till.sell(lines=cheap, approval=both, key="k1"), 201)
    assert (sale["subtotal"], sale["discount_total"], sale["total"]) == (
        "60.00", "5.00", "55.00")
    [override] = till.audit("sale.price_override")
    assert (override["subject"], override["actor"], override["register"]) == (
        f"sale:{sale['id']}", "Ana", "R1")
    assert override["data"] == {"number": sale["number"], "sku": "A", "found": "100.00",
                                "sold": "60.00", "source": "catalog", "approved_by": "Max"}
    [discount] = till.audit("sale.discount_approved")
    assert discount["data"]["approved_by"] == "Max"
    assert discount["data"]["discount"] == "5.00"
    # One approval, one sale: the same sale sent again passes, another does not.
    assert till.sell(lines=cheap, approval=both, key="k1").status_code == 201
    assert _code(till.sell(lines=cheap, approval=both, key="k2")) == "approval_used"


def test_managers_admins_and_integrations_keep_price_freedom_on_the_record(till: Till) -> None:
    cheap = [{"sku": "A", "quantity": 1, "unit_price": "1.00", "discount": "0.50"}]
    max_at_r1 = till.api.session("R1", name="Max", role="manager", pin="987654")
    till.api.ok(till.sell(lines=cheap, headers=max_at_r1), 201)
    for role in ("manager", "admin", "integration"):
        till.api.ok(till.sell(lines=cheap, role=role), 201)
    overrides = till.audit("sale.price_override")
    assert [(o["actor"], o["data"]["approved_by"]) for o in overrides] == [
        ("Max", None), ("test manager", None), ("test admin", None),
        ("test integration", None)]


def test_a_cashier_discounts_and_overrides_up_to_the_store_limits(till: Till) -> None:
    assert till.api.ok(till.api.get("/settings/limits")) == {
        "cashier": {"discount_percent": "0", "price_override_percent": "0"}}
    limits = till.api.client.put("/api/v1/settings/limits", headers=till.api.headers("admin"),
                                 json={"cashier": {"discount_percent": "10",
                                                   "price_override_percent": "5"}})
    assert limits.json() == {"cashier": {"discount_percent": "10",
                                         "price_override_percent": "5"}}
    within = [{"sku": "A", "quantity": 1, "unit_price": "95.00", "discount": "9.50"}]
    till.api.ok(till.sell(lines=within), 201)
    beyond_price = [{"sku": "A", "quantity": 1, "unit_price": "94.99"}]
    assert till.sell(lines=beyond_price).json()["error"]["details"]["acts"] == ["price"]
    assert till.sell(discount="10.01").json()["error"]["details"]["acts"] == ["discount"]
    [changed] = till.audit("settings.limits_changed")
    assert changed["data"]["after"] == {"discount_percent": "10", "price_override_percent": "5"}


def test_limits_are_only_set_by_an_admin_for_a_limited_role(till: Till) -> None:
    put = till.api.client.put
    before = row_counts(engine_of(till.api.ctx.store))
    for body in ({"manager": {"discount_percent": "5"}},
                 {"cashier": {"discount_percent": "101"}},
                 {"cashier": {"discount_percent": "-1"}},
                 {"cashier": {"discount_percent": "5"}, "admin": {"discount_percent": "5"}}):
        refused = put("/api/v1/settings/limits", headers=till.api.headers("admin"), json=body)
        assert refused.status_code == 422, refused.text
    for role in ("manager", "cashier"):
        assert put("/api/v1/settings/limits", headers=till.api.headers(role),
                   json={"cashier": {"discount_percent": "50"}}).status_code == 403
    assert row_counts(engine_of(till.api.ctx.store)) == before


def test_the_server_reads_a_price_printed_in_the_barcode(till: Till) -> None:
    label = PRICE_RULE.build(item="00042", value="00350")
    sale = till.api.ok(till.sell(lines=[{"sku": "CHEESE", "quantity": 1, "barcode": label}]),
                       201)
    assert sale["lines"][0]["unit_price"] == "3.50"
    cheaper = [{"sku": "CHEESE", "quantity": 1, "barcode": label, "unit_price": "3.00"}]
    assert _code(till.sell(lines=cheaper)) == "approval_required"

    weighed = WEIGHT_RULE.build(item="00043", value="00750")
    sale = till.api.ok(till.sell(lines=[{"sku": "HAM", "quantity": "0.750",
                                         "barcode": weighed}]), 201)
    assert (sale["lines"][0]["unit_price"], sale["total"]) == ("20.00", "15.00")
    before = row_counts(engine_of(till.api.ctx.store))
    for line, field in (({"sku": "A", "quantity": 1, "barcode": label}, "lines[0].barcode"),
                        ({"sku": "HAM", "quantity": 1, "barcode": weighed},
                         "lines[0].quantity"),
                        ({"sku": "CHEESE", "quantity": 1, "barcode": _misread(label)},
                         "lines[0].barcode")):
        refused = till.sell(lines=[line])
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(till.api.ctx.store)) == before


def _misread(code: str) -> str:
    """The code with a wrong check digit."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def test_selling_past_the_stock_is_a_managers_act(till: Till) -> None:
    lines = [{"sku": "A", "quantity": 7}]
    assert _code(till.sell(lines=lines)) == "insufficient_stock"
    before = row_counts(engine_of(till.api.ctx.store))
    assert _code(till.sell(lines=lines, stock_override=True)) == "approval_required"
    assert _code(till.sell(lines=lines, stock_override=True,
                           role="integration")) == "forbidden"
    assert row_counts(engine_of(till.api.ctx.store)) == before

    sale = till.api.ok(till.sell(lines=lines, stock_override=True,
                                 approval=till.approval("stock")), 201)
    assert till.api.on_hand("A", "S1") == -2
    shortfalls = till.api.ok(till.api.get("/inventory/discrepancies"))["items"]
    assert [(d["sku"], d["sale_id"], d["shortfall"]) for d in shortfalls] == [
        ("A", sale["id"], 2)]
    [override] = till.audit("sale.stock_override")
    assert override["data"]["approved_by"] == "Max"
    till.api.ok(till.sell(lines=[{"sku": "CHEESE", "quantity": 9}], stock_override=True,
                          role="manager"), 201)
    assert [o["data"]["approved_by"] for o in till.audit("sale.stock_override")] == [
        "Max", None]
