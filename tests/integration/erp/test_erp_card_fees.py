"""A card fee Adyen's report states reaches a real trytond, and the Odoo simulator, as a
move on the expense account mapped for ``card_fees`` out of the card clearing account,
line by line."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from support.adyen_reports import adyen_shop, sell_tea_by_card
from support.api import Api
from support.erp_day import journal_lines, run_worker
from support.odoo_books import ODOO_CODES
from support.odoo_sim import odoo_lines, posted_refs
from support.tryton_peer import PASSWORD, TRYTON_CODES, USERNAME, TrytonPeer, tryton, tryton_lines
from tillflow_simulators.adyen.reports import FeeSchedule
from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
FEES_ACCOUNT = "5.1.3"  # the universal chart's services expense
ODOO_FEES_ACCOUNT = "600000"  # the generic chart's expenses
# 1 % markup and 0.50 % interchange of each payment settled: 0.81 of 54.00.
FEES = FeeSchedule(markup=Decimal("0.01"), scheme_fees=Decimal(0),
                   interchange=Decimal("0.005"))


def _fee_booked(api: Api, connection: dict[str, Any]) -> dict[str, Any]:
    """A card sale through Adyen with ``connection`` to the ERP, its fee read; the fee's
    journal entry once the worker has posted."""
    with adyen_shop(api, price="50.00", tax_rate="0.08", fees=FEES):
        api.ok(api.post("/connections", connection), 201)
        paid = sell_tea_by_card(api, "erp-fee", "54.00")["payments"][0]
        today = datetime.now(UTC).date().isoformat()
        api.ok(api.post("/payments/fees", {"date": today, "connection": "adyen"}))
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    [fee] = [e for e in entries if e["reference"] == f"card-fee:{paid['payment_id']}"]
    return dict(fee)


def test_a_card_fee_is_a_tryton_move_on_the_card_fees_account(api: Api,
                                                               trytond: TrytonPeer) -> None:
    fee = _fee_booked(api, {
        "name": "erp", "platform": "tryton",
        "settings": {"url": trytond.url, "database": trytond.database,
                     "posting": "sale", "catalog": "erp",
                     "accounts": {"tender:card": "1.1.8", "card_fees": FEES_ACCOUNT}},
        "secrets": {"username": USERNAME, "password": PASSWORD}})
    codes = {**TRYTON_CODES, "card_fees": FEES_ACCOUNT}
    ledger = tryton(trytond)
    try:
        assert tryton_lines(ledger, fee["reference"]) == journal_lines(fee, codes)
        assert journal_lines(fee, codes) == {(FEES_ACCOUNT, Decimal("0.81"), Decimal(0)): 1,
                                             ("1.1.8", Decimal(0), Decimal("0.81")): 1}
    finally:
        ledger.close()
    health = api.ok(api.get("/erp/erp/health"))
    assert (health["state"], health["failed"]) == ("ok", 0)


@pytest.mark.parametrize("protocol", ["json2"])
def test_a_card_fee_is_an_odoo_entry_on_the_card_fees_account(api: Api,
                                                               odoo: OdooSimulator) -> None:
    fee = _fee_booked(api, {
        "name": "erp", "platform": "odoo",
        "settings": {"url": odoo.url, "database": DEFAULT_DATABASE, "protocol": "json2",
                     "posting": "shift", "accounts": {"card_fees": ODOO_FEES_ACCOUNT}},
        "secrets": {"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY}})
    codes = {**ODOO_CODES, "card_fees": ODOO_FEES_ACCOUNT}
    # Posted on its own whatever the posting mode: a fee belongs to no shift.
    assert fee["reference"] in posted_refs(odoo)
    assert odoo_lines(odoo, "json2", fee["reference"]) == journal_lines(fee, codes)
    assert journal_lines(fee, codes) == {
        (ODOO_FEES_ACCOUNT, Decimal("0.81"), Decimal(0)): 1,
        (ODOO_CODES["tender:card"], Decimal(0), Decimal("0.81")): 1}


@pytest.mark.parametrize("protocol", ["json2"])
def test_an_erp_without_a_card_fees_account_is_named_by_the_check(
        api: Api, odoo: OdooSimulator) -> None:
    connection = {"name": "erp", "platform": "odoo",
                  "settings": {"url": odoo.url, "database": DEFAULT_DATABASE,
                               "protocol": "json2", "posting": "sale"},
                  "secrets": {"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY}}
    fee = _fee_booked(api, connection)

    answer = api.post("/connections/erp/check")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"]["field"] == "settings.accounts"
    assert "'card_fees'" in answer.json()["error"]["message"]
    [dead] = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
    assert (dead["reference"], "card_fees" in str(dead["last_error"])) == (
        fee["reference"], True)

    api.ok(api.patch("/connections/erp", {"settings": {
        "accounts": {"card_fees": ODOO_FEES_ACCOUNT}}}))
    checked = api.ok(api.post("/connections/erp/check"))
    assert checked["checks"][-1] == {"name": "card fees", "ok": True,
                                     "detail": f"card fees go to {ODOO_FEES_ACCOUNT!r}"}
    api.ok(api.post(f"/erp/erp/postings/{dead['id']}/replay"), 202)
    run_worker(api.ctx)
    assert odoo_lines(odoo, "json2", fee["reference"]) == journal_lines(
        fee, {**ODOO_CODES, "card_fees": ODOO_FEES_ACCOUNT})
