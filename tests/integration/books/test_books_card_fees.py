"""Card fees the gateway reports reach Xero and QuickBooks: Adyen's Payment accounting
report (the terminal simulator's) states what each settled payment cost; tillflow books
it as a card fee, out of the card clearing account, and the books get it once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from support.adyen_reports import adyen_shop, sell_tea_by_card
from support.api import Api
from support.erp_day import run_worker
from support.saas_books import Books
from tillflow.services.payments.fees import FeeReading
from tillflow_simulators.adyen.reports import FeeSchedule
from tillflow_simulators.adyen.runner import RunningAdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
D = Decimal


@pytest.fixture
def adyen(api: Api) -> Iterator[RunningAdyenSimulator]:
    # 1 % markup and 0.50 % interchange of each payment settled, no scheme fees.
    fees = FeeSchedule(markup=D("0.01"), scheme_fees=D(0), interchange=D("0.005"))
    with adyen_shop(api, price="50.00", tax_rate="0.08", fees=fees) as running:
        yield running


def _sell_by_card(api: Api, key: str) -> Any:
    return sell_tea_by_card(api, key, "54.00")


def _record_fees(api: Api) -> Any:
    today = datetime.now(UTC).date().isoformat()
    return api.ok(api.post("/payments/fees", {"date": today, "connection": "adyen"}))


def test_a_settled_payment_s_fee_is_booked_and_posted_once(
        api: Api, books: Books, adyen: RunningAdyenSimulator) -> None:
    books.connect(api, posting="sale")
    paid = _sell_by_card(api, "fee-1")["payments"][0]

    recorded = _record_fees(api)["recorded"]
    assert _record_fees(api)["recorded"] == []  # read again: nothing twice
    run_worker(api.ctx)

    # 1 % of 54.00 and 0.5 %: 0.54 + 0.27.
    assert [(r["payment_id"], r["fee"], r["method"]) for r in recorded] == [
        (paid["payment_id"], "0.81", "card")]
    entries = api.ok(api.get("/journal"))["entries"]
    [fee] = [e for e in entries if e["reference"] == f"card-fee:{paid['payment_id']}"]
    assert {(x["role"], x["debit"], x["credit"]) for x in fee["lines"]} == {
        ("card_fees", "0.81", "0.00"), ("tender:card", "0.00", "0.81")}
    assert books.net(fee["reference"]) == books.journal_net([fee])
    assert books.net() == books.journal_net(entries)
    posted = api.ok(api.get("/erp/books/postings"))["items"]
    assert {p["status"] for p in posted} == {"posted"}
    count = books.documents()
    run_worker(api.ctx)
    assert books.documents() == count


def test_booked_fees_without_a_card_fees_account_are_named_by_the_check(
        api: Api, books: Books, adyen: RunningAdyenSimulator) -> None:
    accounts = books.settings(posting="sale")["accounts"]
    del accounts["card_fees"]
    books.connect(api, posting="sale", accounts=accounts)
    assert api.post("/connections/books/check").status_code == 200  # no fee booked yet
    _sell_by_card(api, "fee-2")
    _record_fees(api)
    run_worker(api.ctx)

    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert "'card_fees'" in error["message"]
    assert error["details"]["field"] == "settings.accounts"
    # Posted meanwhile, the fee is a dead letter naming the role, replayable after the fix.
    [dead] = api.ok(api.get("/erp/books/postings", status="dead"))["items"]
    assert str(dead["reference"]).startswith("card-fee:")
    assert "card_fees" in str(dead["last_error"])



def test_the_worker_reads_the_fees_and_they_go_one_by_one_in_a_day_s_books(
        api: Api, books: Books, adyen: RunningAdyenSimulator) -> None:
    books.connect(api, posting="day")
    paid = _sell_by_card(api, "fee-3")["payments"][0]
    reading = FeeReading(api.ctx)

    assert reading.run_once() == 1  # today's and the days before
    assert reading.run_once() == 0  # not due again yet
    run_worker(api.ctx)

    posted = {p["reference"]: p["status"]
              for p in api.ok(api.get("/erp/books/postings"))["items"]}
    # The day is not over, so its summary waits; the fee belongs to no shift and goes.
    assert posted[f"card-fee:{paid['payment_id']}"] == "posted"
    assert not [r for r in posted if r.startswith("day-summary:")]
