"""Tryton away for an hour, and Tryton refusing a posting: nothing lost, nothing doubled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from support.api import Api
from support.erp_day import book, journal_lines, later, open_store, run_worker, sell
from support.tryton_peer import (
    TRYTON_CODES,
    TrytonPeer,
    connect,
    invoices,
    tryton,
    tryton_lines,
)
from tillflow.connectors.tryton.accounting import TrytonAccounting
from tillflow.domain.accounting.entries import JournalEntry
from tillflow.erp.adapters import accounting_for, catalog_for
from tillflow.erp.poster import ErpPorts, PostingRunner, deliver
from tillflow.ports.accounting import ErpUnavailable, StockCount

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CASH = [{"method": "cash", "amount": "20.00"}]


def descriptions(peer: TrytonPeer) -> list[str]:
    """The references of Tryton's customer invoices in order; each one paid, once."""
    ledger = tryton(peer)
    try:
        found = invoices(ledger)
        moves = ledger.client.model("account.move", "search_read", [], 0, None,
                                    [("id", "ASC")], ["state"])
    finally:
        ledger.close()
    assert {m["state"] for m in moves} <= {"posted"}
    assert {state for _reference, state, _total in found} <= {"paid"}
    # Each sale here is one invoice move and one payment move.
    assert len(moves) == 2 * len(found)
    return [reference for reference, _state, _total in found]


def test_trytond_stopped_mid_day_queues_postings_and_drains_them_in_order(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    open_store(api)
    first = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    runner = PostingRunner(api.ctx, accounting_for)
    try:
        run_worker(api.ctx, runner)
        trytond.stop()
        second = sell(api, [{"sku": "B", "quantity": 2}], CASH)
        third = sell(api, [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}], CASH)
        run_worker(api.ctx, runner)
        health = api.ok(api.get("/erp/erp/health"))
        # Posted: products A and B, the opening stock (two counts) and the first sale.
        assert (health["state"], health["pending"], health["posted"]) == ("retrying", 2, 5)
        assert "unreachable" in health["last_error"]
        trytond.start()
    finally:
        runner.close()
    # An hour later a worker (this one restarted, or another) finds the retries due.
    run_worker(later(api.ctx, timedelta(hours=1)))
    assert descriptions(trytond) == [f"sale:{first['number']}", f"sale:{second['number']}",
                                     f"sale:{third['number']}"]
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"


@dataclass
class AnswerLost:
    """The real Tryton books the move; the answer is lost on the way back (a timeout)."""

    ledger: TrytonAccounting

    def post_entries(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> list[str]:
        self.ledger.post_entries(entries, maybe_there=maybe_there)
        raise ErpUnavailable("Tryton unreachable: timed out")

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        return self.ledger.count_stock(counts, maybe_there=maybe_there)

    def close(self) -> None:
        self.ledger.close()


def test_a_lost_answer_is_found_by_reference_instead_of_posted_twice(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    open_store(api)
    sale = sell(api, [{"sku": "A", "quantity": 1}], CASH)
    book(api.ctx)
    answer_lost = AnswerLost(tryton(trytond))
    try:
        ports = ErpPorts(answer_lost, lambda: catalog_for(api.ctx, "erp"))
        assert deliver(api.ctx, "erp", ports).waiting
    finally:
        answer_lost.close()
    [posting] = sale_postings(api)
    assert (posting["status"], posting["attempts"]) == ("pending", 1)
    run_worker(later(api.ctx, timedelta(hours=1)))
    assert descriptions(trytond) == [f"sale:{sale['number']}"]
    [posting] = sale_postings(api)
    assert (posting["status"], posting["attempts"]) == ("posted", 2)


def sale_postings(api: Api) -> list[dict[str, Any]]:
    return [p for p in api.ok(api.get("/erp/erp/postings"))["items"]
            if p["reference"].startswith("sale:")]


def test_a_rejected_posting_is_a_dead_letter_replayed_after_the_mapping_is_fixed(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    # Tryton has no payment method named so: the card sale cannot be paid there.
    api.ok(api.patch("/connections/erp", {"settings": {"payment_methods": {"card": "Cheque"}}}))
    open_store(api)
    card = sell(api, [{"sku": "A", "quantity": 1}],
                [{"method": "card", "amount": "10.80", "reference": "T-9"}])
    cash = sell(api, [{"sku": "B", "quantity": 1}], CASH)
    run_worker(api.ctx)
    [dead] = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
    assert dead["reference"] == f"sale:{card['number']}"
    assert "no payment methods named 'Cheque'" in dead["last_error"]
    assert api.ok(api.get("/erp/erp/health"))["state"] == "failing"
    # The queue did not wait for the dead letter.
    assert descriptions(trytond) == [f"sale:{cash['number']}"]
    api.ok(api.patch("/connections/erp", {"settings": {"payment_methods": {"card": "Card"}}}))
    api.ok(api.post(f"/erp/erp/postings/{dead['id']}/replay"), 202)
    run_worker(api.ctx)
    run_worker(api.ctx)
    assert descriptions(trytond) == [f"sale:{cash['number']}", f"sale:{card['number']}"]
    entries = {e["reference"]: e for e in api.ok(api.get("/journal"))["entries"]}
    ledger = tryton(trytond)
    try:
        for reference, entry in entries.items():
            assert tryton_lines(ledger, reference) == journal_lines(entry, TRYTON_CODES)
    finally:
        ledger.close()
    assert api.ok(api.get("/erp/erp/health"))["state"] == "ok"
    assert api.post("/erp/erp/postings/999/replay").status_code == 404
