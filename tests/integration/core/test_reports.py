"""Sales reports and the sales list's filters through the HTTP API, on SQLite and
PostgreSQL: the figures of a known day of trading, to the cent."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D  # noqa: N817 (the figures read as in a ledger)
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.domain.web_orders import ShopCharge, ShopLine, ShopOrder
from tillflow.services.channel_sales import WebOrder, record_web_sale

NEW_YORK = "America/New_York"


def at(api: Api, moment: str) -> None:
    """Run the store's clock at ``moment`` (UTC) from now on."""
    fixed = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    api.ctx.clock = lambda: fixed


def report(api: Api, group_by: str, start: str, end: str, *,
           role: str = "manager") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = api.ok(api.get("/reports/sales", role=role, group_by=group_by,
                                                **{"from": start, "to": end}))["rows"]
    return rows


def row(key: Any, sales: int, units: int | str, net: str, tax: str) -> dict[str, Any]:
    return {"key": key, "sales": sales, "units": units, "net": net, "tax": tax,
            "total": str(D(net) + D(tax))}


@pytest.fixture
def trading(api: Api) -> dict[str, Any]:
    """A store in New York with a known trading: a sale late on Dec 5 local time, a
    staff member's sale with discounts early on Dec 6, an offline sale the till made on
    Dec 6 and replayed on Dec 8, a web order with shipping on Dec 6, a return on Dec 7."""
    api.ok(api.patch("/settings/store", {"timezone": NEW_YORK}))
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08")
    api.product("B", "2.50", tax_rate="0.05")
    for sku in ("A", "B"):
        api.stock(sku, "S1", 50)
    at(api, "2026-12-06T04:00:00")
    api.register_with_shift("R1", "S1")

    at(api, "2026-12-06T04:30:00")  # 23:30 on Dec 5 in New York
    first = api.ok(api.post("/sales", {
        "location": "S1", "lines": [{"sku": "A", "quantity": 2}],
        "payments": [{"method": "cash", "amount": "21.60"}]}), 201)

    at(api, "2026-12-06T05:30:00")  # 00:30 on Dec 6
    ana = api.session("R1", name="Ana", role="manager")
    second = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1",
        "lines": [{"sku": "A", "quantity": 1, "discount": "1.00"}, {"sku": "B", "quantity": 2}],
        "payments": [{"method": "cash", "amount": "20.00"}]}, role=None, headers=ana), 201)

    at(api, "2026-12-08T10:00:00")  # replayed two days after the till made it
    offline = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "offline": True,
        "sold_at": "2026-12-06T10:00:00-05:00",
        "lines": [{"sku": "B", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "2.63"}]}, role=None,
        headers=api.session("R1", name="Ana", role="manager")), 201)

    at(api, "2026-12-06T20:00:00")
    order = ShopOrder(
        currency="USD", taxes_included=False,
        lines=(ShopLine("A", D(1), D("10.00"), D(0), D(0), D("0.80"), D("0.08")),),
        charges=(ShopCharge("shipping", "Standard", D("5.00"), D(0), D(0)),),
        total=D("15.80"), total_tax=D("0.80"))
    web, _ = record_web_sale(api.ctx, WebOrder(channel="shopify", external_id="web-1",
                                               location="S1", order=order, method="card",
                                               paid=True))

    at(api, "2026-12-07T17:00:00")
    returned = api.ok(api.post(f"/sales/{second['id']}/returns", {
        "register": "R1", "lines": [{"sku": "B", "quantity": 1}]}, role=None,
        headers=api.session("R1", name="Ana", role="manager")), 201)
    staff = api.ok(api.get("/staff"))["items"]
    return {"first": first, "second": second, "offline": offline, "web_total": web.total,
            "returned": returned, "ana": next(m["id"] for m in staff if m["name"] == "Ana")}


def test_days_are_the_stores_local_days_and_offline_sales_count_when_made(
        api: Api, trading: dict[str, Any]) -> None:
    assert trading["offline"]["sold_at"] == "2026-12-06T15:00:00+00:00"
    assert report(api, "day", "2026-12-05", "2026-12-09") == [
        row("2026-12-05", 1, 2, "20.00", "1.60"),
        # Ana's 14.00 + 0.97, the offline 2.50 + 0.13, the web order 15.00 + 0.80
        row("2026-12-06", 3, 5, "31.50", "1.90"),
        row("2026-12-07", 0, -1, "-2.50", "-0.13"),
    ]


def test_the_reports_agree_with_the_sales_to_the_cent(api: Api,
                                                      trading: dict[str, Any]) -> None:
    recorded = (D(trading["first"]["total"]) + D(trading["second"]["total"])
                + D(trading["offline"]["total"]) + trading["web_total"]
                - D(trading["returned"]["total"]))
    for group_by in ("day", "week", "month", "product", "tax_rate", "staff", "register",
                     "channel"):
        rows = report(api, group_by, "2026-12-01", "2027-01-01")
        assert sum(D(r["total"]) for r in rows) == recorded, group_by
        assert all(D(r["net"]) + D(r["tax"]) == D(r["total"]) for r in rows)


def test_by_product_tax_rate_staff_register_and_channel(api: Api,
                                                        trading: dict[str, Any]) -> None:
    period = ("2026-12-01", "2026-12-31")
    assert report(api, "product", *period) == [
        row("A", 3, 4, "39.00", "3.12"),
        row("B", 2, 2, "5.00", "0.25"),
        row("shipping", 1, 0, "5.00", "0.00"),
    ]
    assert report(api, "tax_rate", *period) == [
        row("0", 1, 0, "5.00", "0.00"),
        row("0.05", 2, 2, "5.00", "0.25"),
        row("0.08", 3, 4, "39.00", "3.12"),
    ]
    assert report(api, "staff", *period) == [
        row(trading["ana"], 2, 3, "14.00", "0.97"),
        row(None, 2, 3, "35.00", "2.40"),
    ]
    assert report(api, "register", *period) == [
        row("R1", 2, 3, "14.00", "0.97"),
        row(None, 2, 3, "35.00", "2.40"),
    ]
    assert report(api, "channel", *period) == [
        row("pos", 3, 5, "34.00", "2.57"),
        row("shopify", 1, 1, "15.00", "0.80"),
    ]


def test_from_is_inclusive_to_exclusive_and_times_may_carry_offsets(
        api: Api, trading: dict[str, Any]) -> None:
    # Exactly at Ana's sale: in when it is the start, out when it is the end.
    assert report(api, "channel", "2026-12-06T05:30:00Z", "2026-12-06T05:30:01Z") == [
        row("pos", 1, 3, "14.00", "0.97")]
    assert report(api, "channel", "2026-12-06T04:30:01Z", "2026-12-06T05:30:00Z") == []
    # A time without an offset is the store's: 00:30 in New York is Ana's sale.
    assert report(api, "day", "2026-12-06T00:30:00", "2026-12-06T00:31:00") == [
        row("2026-12-06", 1, 3, "14.00", "0.97")]
    assert report(api, "day", "2026-12-06", "2026-12-06") == []


def test_a_change_of_time_zone_moves_the_days(api: Api, trading: dict[str, Any]) -> None:
    api.ok(api.patch("/settings/store", {"timezone": "UTC"}))
    assert [(r["key"], r["sales"]) for r in report(api, "day", "2026-12-05", "2026-12-09")] == [
        ("2026-12-06", 4), ("2026-12-07", 0)]
    api.ok(api.patch("/settings/store", {"timezone": "Asia/Kathmandu"}))  # UTC+05:45
    assert [(r["key"], r["sales"]) for r in report(api, "day", "2026-12-05", "2026-12-09")] == [
        ("2026-12-06", 3), ("2026-12-07", 1)]


def test_weeks_and_months_across_a_year_end(api: Api) -> None:
    api.location("S2")
    api.product("WK", "1.00", tax_rate="0")
    api.stock("WK", "S2", 10)
    # Thursday Dec 31 and Friday Jan 1 are in ISO week 53 of 2026; Monday Jan 4 starts 2027.
    for moment in ("2026-12-31T12:00:00", "2027-01-01T12:00:00", "2027-01-04T12:00:00"):
        at(api, moment)
        api.ok(api.post("/sales", {"location": "S2", "lines": [{"sku": "WK", "quantity": 1}],
                                   "payments": [{"method": "cash", "amount": "1.00"}]}), 201)
    assert report(api, "week", "2026-12-01", "2027-02-01") == [
        row("2026-W53", 2, 2, "2.00", "0.00"), row("2027-W01", 1, 1, "1.00", "0.00")]
    assert report(api, "month", "2026-12-01", "2027-02-01") == [
        row("2026-12", 1, 1, "1.00", "0.00"), row("2027-01", 2, 2, "2.00", "0.00")]


@pytest.mark.parametrize(("params", "field"), [
    ({"group_by": "hour", "from": "2026-12-01", "to": "2026-12-02"}, "group_by"),
    ({"group_by": "day", "from": "2026-13-01", "to": "2026-12-02"}, "from"),
    ({"group_by": "day", "from": "2026-12-01", "to": "yesterday"}, "to"),
    ({"group_by": "day", "from": "2026-12-03", "to": "2026-12-02"}, "from"),
    ({"group_by": "day", "from": "2026-12-01"}, "to"),
    ({"from": "2026-12-01", "to": "2026-12-02"}, "group_by"),
])
def test_bad_report_requests_name_the_field(api: Api, params: dict[str, str],
                                            field: str) -> None:
    response = api.get("/reports/sales", role="manager", **params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("validation_error", field)


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("manager", 200), ("cashier", 403), ("integration", 403), (None, 401)])
def test_reports_are_for_managers_and_admins(api: Api, role: str | None, status: int) -> None:
    response = api.get("/reports/sales", role=role, group_by="day",
                       **{"from": "2026-12-01", "to": "2026-12-02"})
    assert response.status_code == status, response.text


def test_a_bad_time_zone_is_refused_and_writes_nothing(api: Api) -> None:
    before = row_counts(engine_of(api.ctx.store))
    response = api.patch("/settings/store", {"timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "timezone"
    assert row_counts(engine_of(api.ctx.store)) == before
    assert api.ok(api.get("/settings/store"))["timezone"] == "UTC"
    assert api.patch("/settings/store", {"timezone": NEW_YORK}, role="manager").status_code == 403


def test_the_sales_list_filters_by_period_register_staff_and_customer(
        api: Api, trading: dict[str, Any]) -> None:
    def numbers(**params: Any) -> list[str]:
        return [s["number"] for s in api.ok(api.get("/sales", role="manager", **params))["items"]]

    first, second, offline = trading["first"], trading["second"], trading["offline"]
    assert numbers(**{"from": "2026-12-06", "to": "2026-12-07"}, channel="pos") == [
        second["number"], offline["number"]]
    assert numbers(**{"to": "2026-12-06"}) == [first["number"]]
    assert numbers(register="R1") == [second["number"], offline["number"]]
    assert numbers(staff=trading["ana"], **{"from": "2026-12-06T10:00:00"}) == [
        offline["number"]]
    customer = api.ok(api.post("/customers", {"name": "Cleo", "email": "cleo@example.com"}), 201)
    at(api, "2026-12-09T12:00:00")
    bought = api.ok(api.post("/sales", {
        "location": "S1", "customer": customer["id"], "lines": [{"sku": "B", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "2.63"}]}), 201)
    assert numbers(customer=customer["id"]) == [bought["number"]]


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-12-32"}, "from"),
    ({"from": "2026-12-07", "to": "2026-12-06"}, "from"),
    ({"register": "NOPE"}, "register"),
    ({"staff": 999}, "staff"),
    ({"customer": "0000-0000"}, "customer"),
])
def test_bad_sales_list_filters_name_the_field(api: Api, params: dict[str, Any],
                                               field: str) -> None:
    response = api.get("/sales", **params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["field"] == field


@pytest.mark.parametrize(("body", "why"), [
    ({"sold_at": "2026-12-06T10:00:00+00:00"}, "not offline"),
    ({"offline": True, "sold_at": "2026-12-06T13:00:00+00:00"}, "in the future"),
])
def test_only_an_offline_sale_says_when_it_was_made_and_never_later_than_now(
        api: Api, body: dict[str, Any], why: str) -> None:
    api.location("S3")
    api.product("OF", "1.00", tax_rate="0")
    api.stock("OF", "S3", 5)
    at(api, "2026-12-06T12:00:00")
    api.register_with_shift("R3", "S3")
    session = api.session("R3", name="Bo")
    before = row_counts(engine_of(api.ctx.store))
    response = api.post("/sales", {"location": "S3", "register": "R3",
                                   "lines": [{"sku": "OF", "quantity": 1}],
                                   "payments": [{"method": "cash", "amount": "1.00"}], **body},
                        role=None, headers=session)
    assert response.status_code == 422, why
    assert response.json()["error"]["details"]["field"] == "sold_at"
    assert row_counts(engine_of(api.ctx.store)) == before


def test_a_sale_counts_once_per_product_and_per_tax_rate(api: Api) -> None:
    api.location("S4")
    api.product("TW", "3.00", tax_rate="0.08")
    api.stock("TW", "S4", 10)
    at(api, "2026-12-10T15:00:00")
    api.ok(api.post("/sales", {"location": "S4",
                               "lines": [{"sku": "TW", "quantity": 1},
                                         {"sku": "TW", "quantity": 2, "discount": "1.00"}],
                               "payments": [{"method": "cash", "amount": "10.00"}]}), 201)
    order = ShopOrder(
        currency="USD", taxes_included=False,
        lines=(ShopLine("TW", D(1), D("3.00"), D(0), D(0), D("0.24"), D("0.08")),),
        charges=(ShopCharge("shipping", "Express", D("10.00"), D("0.80"), D("0.08")),),
        total=D("14.04"), total_tax=D("1.04"))
    record_web_sale(api.ctx, WebOrder(channel="shopify", external_id="web-twice",
                                      location="S4", order=order, method="card", paid=True))
    period = ("2026-12-10", "2026-12-11")
    assert report(api, "product", *period) == [row("TW", 2, 4, "11.00", "0.88"),
                                               row("shipping", 1, 0, "10.00", "0.80")]
    assert report(api, "tax_rate", *period) == [row("0.08", 2, 4, "21.00", "1.68")]
