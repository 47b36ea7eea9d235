"""The day of trading against Xero and QuickBooks: every document read back from the books
and compared with tillflow's journal, the books away for a while, the access token
refused and the refresh token rotated mid-run: nothing lost, nothing doubled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from support.api import Api
from support.erp_day import later, run_worker, sell, trade_a_day
from support.saas_books import Books
from tillflow.erp.adapters import accounting_for
from tillflow.erp.poster import PostingRunner


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_the_day_of_trading(api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    runner = PostingRunner(api.ctx, accounting_for)
    try:
        trade_a_day(api)
        run_worker(api.ctx, runner)
        books.sim.stop()  # the books away: the next day's sales queue
        api.register_with_shift("R2", "S1")
        sell(api, [{"sku": "A", "quantity": 1}], [{"method": "cash", "amount": "10.80"}],
             register="R2")
        sell(api, [{"sku": "B", "quantity": 2}],
             [{"method": "card", "amount": "11.98", "reference": "T-2"}], register="R2")
        run_worker(api.ctx, runner)
        health = api.ok(api.get("/erp/books/health"))
        assert (health["state"], health["pending"]) == ("retrying", 2)
    finally:
        runner.close()
    books.sim.start()
    books.expire_access_tokens()  # back, refusing the token the workers hold
    run_worker(later(api.ctx, timedelta(hours=1)))  # a worker an hour on: retries are due
    entries = api.ok(api.get("/journal"))["entries"]
    for entry in entries:  # each document, account by account, as the journal has it
        expected = books.journal_net([entry])
        assert books.net(entry["reference"]) == expected, entry["reference"]
    assert books.net() == books.journal_net(entries)
    posted = api.ok(api.get("/erp/books/postings"))["items"]
    documents = [p["reference"] for p in posted if not p["reference"].startswith("product:")]
    assert documents == [e["reference"] for e in entries]
    assert {p["status"] for p in posted} == {"posted"}
    count = books.documents()
    run_worker(later(api.ctx, timedelta(hours=2)))
    assert books.documents() == count
    assert api.ok(api.get("/erp/books/health"))["state"] == "ok"
