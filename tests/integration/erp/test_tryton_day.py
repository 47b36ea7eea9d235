"""A day of trading posted to a real trytond, per sale and per shift, compared line by line."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import journal_lines, run_worker, trade_a_day
from support.tryton_peer import TRYTON_CODES, TrytonPeer, connect, tryton, tryton_lines

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

def test_a_day_posted_per_sale_matches_the_journal_line_by_line(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert [e["kind"] for e in entries] == ["sale", "sale", "return", "cash_movement",
                                           "shift_close"]
    ledger = tryton(trytond)
    try:
        for entry in entries:
            assert tryton_lines(ledger, entry["reference"]) == journal_lines(entry, TRYTON_CODES)
        health = api.ok(api.get("/erp/erp/health"))
        assert (health["state"], health["pending"], health["failed"], health["posted"]) == (
            "ok", 0, 0, 5)
        # A second pass (a replayed event log, a restarted worker) posts nothing again.
        run_worker(api.ctx)
        moves = ledger.client.model("account.move", "search", [], 0, None, None)
        assert len(moves) == 5
    finally:
        ledger.close()


def test_a_day_posted_per_shift_is_one_summarised_move(api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="shift")
    shift = trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    expected: Counter[tuple[str, Decimal, Decimal]] = Counter()
    net: dict[str, Decimal] = {}
    for entry in entries:
        for line in entry["lines"]:
            net[line["role"]] = (net.get(line["role"], Decimal(0)) + Decimal(line["debit"])
                                 - Decimal(line["credit"]))
    for role, amount in net.items():
        if amount:
            code = TRYTON_CODES[role]
            expected[(code, max(amount, Decimal(0)), max(-amount, Decimal(0)))] += 1
    ledger = tryton(trytond)
    try:
        assert tryton_lines(ledger, f"shift-summary:{shift}") == expected
        moves = ledger.client.model("account.move", "search_read", [], 0, None, None,
                                    ["description", "state"])
        assert [(m["state"], m["description"].split()[0]) for m in moves] == [
            ("posted", f"shift-summary:{shift}")]
    finally:
        ledger.close()
