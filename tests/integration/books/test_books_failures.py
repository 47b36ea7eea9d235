"""Xero and QuickBooks away, refusing, rotating and revoking: nothing lost, nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from support.api import Api
from support.dropping_proxy import dropping_proxy
from support.erp_day import later, open_store, run_worker, sell, trade_a_day
from support.saas_books import Books
from tillflow.erp.adapters import accounting_for
from tillflow.erp.poster import PostingRunner

CASH = [{"method": "cash", "amount": "20.00"}]
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def postings(api: Api, status: str | None = None) -> list[dict[str, object]]:
    """The connection's postings of documents (not the products that go before them)."""
    params = {} if status is None else {"status": status}
    items: list[dict[str, object]] = api.ok(api.get("/erp/books/postings", **params))["items"]
    return [p for p in items if not str(p["reference"]).startswith("product:")]


def test_books_away_then_back_drain_in_order_without_doubles(api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    open_store(api)
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    runner = PostingRunner(api.ctx, accounting_for)
    try:
        run_worker(api.ctx, runner)
        posted = books.documents()
        books.sim.stop()
        sell(api, [{"sku": "B", "quantity": 1}], CASH)
        sell(api, [{"sku": "B", "quantity": 2}], CASH)
        run_worker(api.ctx, runner)
        health = api.ok(api.get("/erp/books/health"))
        assert (health["state"], health["pending"]) == ("retrying", 2)
        assert "unreachable" in health["last_error"]
        books.sim.start()
    finally:
        runner.close()
    run_worker(later(api.ctx, timedelta(hours=1)))
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    assert books.documents() == 3 * posted
    assert api.ok(api.get("/erp/books/health"))["state"] == "ok"


def test_a_refused_document_is_a_dead_letter_with_the_books_words_and_replays(
        api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    words = books.refuse_postings()
    open_store(api)
    sale = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    [dead] = postings(api, "dead")
    assert dead["reference"] == f"sale:{sale['number']}"
    assert words in str(dead["last_error"])
    assert books.documents() == 0
    assert api.ok(api.get("/erp/books/health"))["state"] == "failing"
    books.accept_postings()
    for letter in api.ok(api.get("/erp/books/postings", status="dead"))["items"]:
        api.ok(api.post(f"/erp/books/postings/{letter['id']}/replay"), 202)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    assert api.ok(api.get("/erp/books/health"))["state"] == "ok"


def test_a_lost_answer_books_once(api: Api, books: Books) -> None:
    with dropping_proxy(books.sim.url) as (proxy, url):
        settings = books.settings(posting="sale")
        settings["api_url"] = settings["api_url"].replace(books.sim.url, url)
        _tokens, secrets = books.consent()
        api.ok(api.post("/connections", {"name": "books", "platform": books.platform,
                                         "settings": settings, "secrets": secrets}), 201)
        open_store(api)
        sell(api, [{"sku": "A", "quantity": 1}], CASH)
        proxy.drop_next("Invoices" if books.platform == "xero" else "salesreceipt")
        run_worker(api.ctx)
        assert proxy.dropped
        assert postings(api)[0]["status"] == "pending"
        run_worker(later(api.ctx, timedelta(minutes=5)))
    entries = api.ok(api.get("/journal"))["entries"]
    assert [p["status"] for p in postings(api)] == ["posted"]
    assert books.net() == books.journal_net(entries)


def test_a_refresh_token_rotated_mid_day_keeps_posting(api: Api, books: Books) -> None:
    tokens = books.connect(api, posting="sale")
    open_store(api)
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    books.expire_access_tokens()  # the next call is refused: a refresh, with a new token
    sell(api, [{"sku": "B", "quantity": 1}], CASH)
    run_worker(api.ctx)
    assert [p["status"] for p in postings(api)] == ["posted", "posted"]
    with pytest.raises(Exception, match="invalid_grant"):
        books.sim.state.identity.grants.refresh(  # the first refresh token is spent
            client_id=books.sim.client.client_id, client_secret=books.sim.client.client_secret,
            refresh_token=tokens.refresh_token)


def test_a_revoked_consent_fails_the_health_with_the_fix_then_a_new_one_posts(
        api: Api, books: Books) -> None:
    tokens = books.connect(api, posting="sale")
    open_store(api)
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    books.revoke(tokens)
    books.expire_access_tokens()
    run_worker(api.ctx)
    health = api.ok(api.get("/erp/books/health"))
    assert health["state"] == "failing"
    assert f"tillflow connect {books.platform} --name books" in health["last_error"]
    assert postings(api)[0]["status"] == "pending"
    check = api.post("/connections/books/check")
    assert check.status_code == 422
    assert check.json()["error"]["details"]["field"] == "secrets.refresh_token"
    _tokens, secrets = books.consent()
    api.ok(api.patch("/connections/books", {"secrets": secrets}))
    run_worker(later(api.ctx, timedelta(hours=1)))
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    assert api.ok(api.get("/erp/books/health"))["state"] == "ok"


def test_a_day_posted_per_day_waits_for_the_day_to_end(api: Api, books: Books) -> None:
    books.connect(api, posting="day")
    trade_a_day(api)
    run_worker(api.ctx)
    assert postings(api) == []
    assert books.documents() == 0
    run_worker(later(api.ctx, timedelta(days=1)))
    [summary] = postings(api)
    assert str(summary["reference"]).startswith("day-summary:")
    assert summary["status"] == "posted"
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    run_worker(later(api.ctx, timedelta(days=2)))
    assert len(postings(api)) == 1
