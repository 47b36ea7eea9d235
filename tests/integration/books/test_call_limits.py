"""The books' call limits: when Xero's daily allowance or QuickBooks' minute is spent,
postings wait in order for the next window, and the health says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from support.api import Api
from support.erp_day import later, open_store, run_worker, sell
from support.saas_books import Books, company_in_usd, in_usd
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.simulator import XeroSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CASH = [{"method": "cash", "amount": "20.00"}]


@pytest.fixture(params=["xero", "quickbooks"])
def limited(request: pytest.FixtureRequest) -> Iterator[Books]:
    """Books at their real limits, on a clock the test moves."""
    clock = FakeClock(datetime.now(UTC))
    # Intuit's 10 a second would never pass on a clock that stands still: the minute's
    # 500 is the limit under test.
    sim: XeroSimulator | QuickBooksSimulator = (
        XeroSimulator(clock=clock, organisation=in_usd()) if request.param == "xero" else
        QuickBooksSimulator(clock=clock, throttles=Throttles(per_second=500),
                            company=company_in_usd()))
    sim.start()
    try:
        yield Books(str(request.param), sim)
    finally:
        sim.stop()


def test_a_spent_allowance_holds_postings_in_order_until_the_next_window(
        api: Api, limited: Books) -> None:
    books = limited
    books.connect(api, posting="sale")
    open_store(api)
    first = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    if books.platform == "xero":
        books.xero.exhaust_daily_allowance()
        window, words = timedelta(days=1), "day call limit is spent"
    else:
        books.qbo.use_up_minute()
        window, words = timedelta(minutes=1), "throttled"
    second = sell(api, [{"sku": "B", "quantity": 1}], CASH)
    third = sell(api, [{"sku": "B", "quantity": 2}], CASH)
    run_worker(api.ctx)
    health = api.ok(api.get("/erp/books/health"))
    assert (health["state"], health["pending"]) == ("retrying", 2)
    assert words in health["last_error"]
    run_worker(later(api.ctx, window / 2))  # not before the window Xero or Intuit named
    assert api.ok(api.get("/erp/books/health"))["pending"] == 2
    books.sim.advance_clock(seconds=window.total_seconds() + 1)
    run_worker(later(api.ctx, window * 2))
    posted = [p for p in api.ok(api.get("/erp/books/postings"))["items"]
              if p["reference"].startswith("sale:")]
    assert [p["reference"] for p in posted] == [f"sale:{s['number']}"
                                                for s in (first, second, third)]
    assert {p["status"] for p in posted} == {"posted"}
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
