"""A day of trading posted to a real trytond, per sale and per shift, compared line by line."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import by_account, journal_lines, open_store, run_worker, sell, trade_a_day
from support.tryton_peer import (
    TRYTON_CODES,
    TrytonPeer,
    connect,
    invoices,
    tryton,
    tryton_lines,
)
from tillflow.connectors.tryton.accounting import TrytonAccounting
from tillflow.connectors.tryton.catalog import TrytonCatalog
from tillflow.erp import procurement

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
# A sale's customer shipment: out of the output zone to the customer (linked to its
# invoice line), and from storage to the output zone; a return's the other way round.
SHIPPED = [("A", 3.0, "OUT", "CUS", 1), ("B", 2.0, "OUT", "CUS", 1),
           ("A", 3.0, "STO", "OUT", 0), ("B", 2.0, "STO", "OUT", 0)]
RETURNED = [("A", 1.0, "CUS", "IN", 1), ("A", 1.0, "IN", "STO", 0)]

@pytest.mark.parametrize("trytond", ["sqlite", "postgresql"], indirect=True,
                         ids=["trytond-sqlite", "trytond-postgresql"])
def test_a_day_posted_per_sale_matches_the_journal_line_by_line(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    trade_a_day(api)
    # Tryton masters its own products and has neither A nor B: the till's lines go
    # without a product, on the revenue account and the tax of their rate.
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "erp"}}))
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
            "ok", 0, 0, 7)
        # The opening stock went too, as counts: Tryton knows neither product, so nothing.
        counts = [p for p in api.ok(api.get("/erp/erp/postings"))["items"]
                  if p["reference"].startswith("stock:")]
        assert [(p["status"], p["external_id"]) for p in counts] == [("posted", "-")] * 2
        # Sales are paid invoices, the return a paid credit note, carrying their numbers.
        sales = [e for e in entries if e["kind"] in ("sale", "return")]
        assert invoices(ledger) == [
            (e["reference"], "paid", sum((Decimal(x["debit"]) - Decimal(x["credit"])
                                          for x in e["lines"] if x["role"].startswith("tender")),
                                         Decimal(0))) for e in sales]
        numbers = ledger.client.model("account.invoice", "search_read", [], 0, None,
                                      [("id", "ASC")], ["reference"])
        assert [x["reference"] for x in numbers] == [e["document_number"] for e in sales]
        moves = ledger.client.model("account.move", "search", [], 0, None, None)
        # A second pass (a replayed event log, a restarted worker) posts nothing again.
        run_worker(api.ctx)
        assert len(ledger.client.model("account.move", "search", [], 0, None, None)) == len(
            moves)
        assert len(invoices(ledger)) == 3
    finally:
        ledger.close()


def test_a_day_posted_as_plain_moves(api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale", sales="move")
    trade_a_day(api)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    ledger = tryton(trytond)
    try:
        for entry in entries:
            assert tryton_lines(ledger, entry["reference"]) == journal_lines(entry, TRYTON_CODES)
        assert invoices(ledger) == []
        moves = ledger.client.model("account.move", "search_read", [], 0, None,
                                    [("id", "ASC")], ["description", "state"])
        assert [(m["state"], m["description"].split()[0]) for m in moves] == [
            ("posted", e["reference"]) for e in entries]
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


def test_products_tryton_knows_are_invoiced_as_themselves_paid_by_split_tenders(
        api: Api, trytond: TrytonPeer) -> None:
    connect(api, trytond, posting="sale")
    open_store(api)
    ledger = tryton(trytond)
    try:
        erp = TrytonCatalog(ledger.client)
        assert procurement.push_products(api.ctx, erp) == 2
        # Tryton's cost price of A comes back as its unit cost: the sale books its COGS.
        [product_a] = ledger.client.model("product.product", "search", [("code", "=", "A")],
                                          0, 1, None)
        ledger.client.model("product.product", "write", [product_a],
                            {"cost_price": Decimal("4.2500")})
        assert procurement.pull_costs(api.ctx, erp, source="erp") == 1
        sale = sell(api, [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 2}],
                    [{"method": "card", "amount": "24.38", "reference": "T-2"},
                     {"method": "cash", "amount": "20.00"}])
        run_worker(api.ctx)
        [entry] = api.ok(api.get("/journal"))["entries"]
        assert tryton_lines(ledger, entry["reference"]) == journal_lines(
            entry, {**TRYTON_CODES, "cogs": "5.2.1", "inventory": "1.3.1"})
        assert invoices(ledger) == [(entry["reference"], "paid", Decimal("44.38"))]
        lines = ledger.client.model("account.invoice.line", "search_read", [], 0, None,
                                    [("id", "ASC")], ["product.code", "quantity", "taxes"])
        assert [(x["product."]["code"], x["quantity"]) for x in lines] == [("A", 3), ("B", 2)]
        taxes = ledger.client.model("account.tax", "read", [t for x in lines for t in x["taxes"]],
                                    ["rate"])
        assert [t["rate"] for t in taxes] == [Decimal("0.08"), Decimal("0.20")]
        # The goods left the warehouse's storage for the customer, moves linked to lines.
        # The opening stock arrived first, as inventories of the storage location.
        assert stock_moves(ledger)[:2] == [("A", 50.0, None, "STO", 0),
                                           ("B", 50.0, None, "STO", 0)]
        assert stock_moves(ledger)[2:] == SHIPPED
        assert shipments(ledger, "stock.shipment.out") == [(sale["number"], "done")]
        api.ok(api.post(f"/sales/{sale['id']}/returns", {
            "lines": [{"sku": "A", "quantity": 1}], "register": "R1"}), 201)
        run_worker(api.ctx)
        run_worker(api.ctx)
        assert stock_moves(ledger)[6:] == RETURNED
        [(number, state)] = shipments(ledger, "stock.shipment.out.return")
        assert (number.startswith(sale["number"][:2]), state) == (True, "done")
        assert [state for _ref, state, _total in invoices(ledger)] == ["paid", "paid"]
    finally:
        ledger.close()
    health = api.ok(api.get("/erp/erp/health"))
    # A and B (which followed tillflow by themselves too), 2 counts, a sale, its return.
    assert (health["state"], health["posted"]) == ("ok", 6)


def shipments(ledger: TrytonAccounting, model: str) -> list[tuple[str, str]]:
    found = ledger.client.model(model, "search_read", [], 0, None, [("id", "ASC")],
                                ["reference", "state"])
    return [(x["reference"], x["state"]) for x in found]


def stock_moves(ledger: TrytonAccounting) -> list[tuple[str, float, str | None, str, int]]:
    """Done stock moves: product, quantity, from and to location codes, invoice lines."""
    moves = ledger.client.model("stock.move", "search_read", [], 0, None, [("id", "ASC")],
                                ["product.code", "quantity", "from_location.code",
                                 "to_location.code", "state", "invoice_lines"])
    assert {m["state"] for m in moves} <= {"done"}
    return [(m["product."]["code"], m["quantity"], m["from_location."]["code"],
             m["to_location."]["code"], len(m["invoice_lines"])) for m in moves]


def test_a_customers_sale_is_invoiced_to_their_party_with_the_tills_tax_per_line(
        api: Api, trytond: TrytonPeer) -> None:
    """Three lines of 0.03 at 20 %: 0.01 tax each at the till, 0.02 by Tryton's rounding
    of the invoice as a whole; the invoice carries the till's 0.03, to the customer."""
    connect(api, trytond, posting="sale")
    open_store(api)
    for sku in ("X", "Y", "Z"):
        api.product(sku, "0.03", tax_rate="0.20")
        api.stock(sku, "S1", 5)
    customer = api.ok(api.post("/customers", {"name": "Ada Lovelace",
                                              "email": "ada@example.com"}), 201)
    api.ok(api.post("/sales", {"location": "S1", "register": "R1", "customer": customer["id"],
                               "lines": [{"sku": sku, "quantity": 1} for sku in "XYZ"],
                               "payments": [{"method": "cash", "amount": "1.00"}]},
                    role="cashier"), 201)
    run_worker(api.ctx)
    [entry] = [e for e in api.ok(api.get("/journal"))["entries"] if e["kind"] == "sale"]
    taxes = [Decimal(x["credit"]) for x in entry["lines"] if x["role"].startswith("tax")]
    ledger = tryton(trytond)
    try:
        # A revenue line per product in Tryton, one per rate in the journal.
        assert by_account(tryton_lines(ledger, entry["reference"])) == by_account(
            journal_lines(entry, TRYTON_CODES))
        [(_reference, state, total)] = invoices(ledger)
        assert (state, total) == ("paid", Decimal("0.09") + sum(taxes, Decimal(0)))
        [invoice] = ledger.client.model("account.invoice", "search_read", [], 0, None, None,
                                        ["party.code", "party.name"])
        assert invoice["party."] == {"id": invoice["party."]["id"],
                                     "code": f"TF-{customer['id']}", "name": "Ada Lovelace"}
    finally:
        ledger.close()
    assert taxes == [Decimal("0.03")]
