"""The journal and its daily trial balance over the API, with the chart's mappings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from support.api import Api
from support.erp_day import book, open_store, sell, trade_a_day
from tillflow.db.uow import connection_of
from tillflow.erp import journal


def test_the_journal_lists_balanced_entries_in_a_date_range(api: Api) -> None:
    api.ok(api.patch("/journal/chart", {"accounts": {"tender:card": "1150",
                                                     "revenue:0.2": "4020"}}))
    trade_a_day(api)
    book(api.ctx)
    book(api.ctx)  # handling the log again books nothing twice
    today = datetime.now(UTC).date()
    entries = api.ok(api.get("/journal", **{"from": today.isoformat(),
                                            "to": (today + timedelta(days=1)).isoformat()}
                             ))["entries"]
    assert [e["kind"] for e in entries] == ["sale", "sale", "return", "cash_movement",
                                           "shift_close"]
    for entry in entries:
        assert sum(Decimal(x["debit"]) for x in entry["lines"]) == sum(
            Decimal(x["credit"]) for x in entry["lines"])
    card_sale = entries[1]
    assert {x["role"]: x["account"] for x in card_sale["lines"]} == {
        "revenue:0.2": "4020", "tax:0.2": "2200", "tender:card": "1150"}
    assert api.ok(api.get("/journal", **{"from": (today + timedelta(days=1)).isoformat()}
                          ))["entries"] == []


def test_the_daily_trial_balance_balances(api: Api) -> None:
    trade_a_day(api)
    book(api.ctx)
    today = datetime.now(UTC).date().isoformat()
    [day] = api.ok(api.get("/journal/trial-balance", **{"from": today}))["days"]
    assert day["date"] == today
    assert day["total_debit"] == day["total_credit"]
    accounts = {a["account"]: a for a in day["accounts"]}
    # Cash: 39.56 sale - 5.99 refund - 40.00 drop - 0.50 short (counted 93.07 of 93.57).
    assert accounts["1000"]["balance"] == "-6.93"
    assert accounts["6900"]["balance"] == "0.50"
    assert accounts["1010"]["balance"] == "40.00"


def test_bad_ranges_and_unknown_roles_are_refused(api: Api) -> None:
    assert api.get("/journal", **{"from": "yesterday"}).status_code == 422
    assert api.get("/journal", **{"from": "2026-01-01T00:00:00"}).status_code == 422
    assert api.get("/journal/trial-balance", **{"from": "2026-01-02",
                                               "to": "2026-01-01"}).status_code == 422
    refused = api.patch("/journal/chart", {"accounts": {"profit": "9999"}})
    assert refused.status_code == 422
    assert api.get("/journal", role="cashier").status_code == 200
    assert api.patch("/journal/chart", {"accounts": {"cogs": "5100"}},
                     role="cashier").status_code == 403
    assert api.ok(api.get("/journal/chart"))["accounts"]["cogs"] == "5000"
    assert api.get("/erp/nope/health").status_code == 404


def test_a_documents_entries_are_found_by_its_number(api: Api) -> None:
    trade_a_day(api)
    book(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    sale = next(e for e in entries if e["kind"] == "sale")
    found = api.ok(api.get("/journal", role="manager", document=sale["document_number"]))
    assert found["entries"] == [sale]
    assert api.ok(api.get("/journal", document="NO-SUCH-1"))["entries"] == []


def test_goods_sold_cost_what_the_product_costs_unless_an_erp_says(api: Api) -> None:
    open_store(api)
    api.ok(api.patch("/products/A", {"cost": "4.1250"}))
    with api.ctx.uow() as uow:  # B's cost as an ERP's pull would have brought it
        journal.set_cost(connection_of(uow), sku="B", unit_cost=Decimal("2.00"),
                         source="erp")
        uow.commit()
    api.ok(api.patch("/products/B", {"cost": "3.00"}))
    sold = sell(api, [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}],
                [{"method": "cash", "amount": "30.00"}])
    book(api.ctx)
    [entry] = [e for e in api.ok(api.get("/journal"))["entries"]
               if e["reference"] == f"sale:{sold['number']}"]
    roles = {x["role"]: (Decimal(x["debit"]), Decimal(x["credit"])) for x in entry["lines"]}
    # 2 × 4.125 rounds to 8.25 with B's 2.00 from the ERP, not its own 3.00.
    assert roles["cogs"] == (Decimal("10.25"), Decimal(0))
    assert roles["inventory"] == (Decimal(0), Decimal("10.25"))
