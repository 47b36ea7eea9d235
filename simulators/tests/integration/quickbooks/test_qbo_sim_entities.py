"""What a till posts to QuickBooks Online: sales receipts, refunds, invoices paid and
deposited, journal entries; checked against Intuit's XSD and its business rules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from sim_support.books import QboApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.quickbooks import QuickBooksSimulator, Throttles


@pytest.fixture
def qbo() -> Iterator[QuickBooksSimulator]:
    with QuickBooksSimulator(clock=FakeClock(), throttles=Throttles.unlimited()) as sim:
        yield sim


@pytest.fixture
def api(qbo: QuickBooksSimulator) -> QboApi:
    return QboApi(qbo)


def line(amount: str, *, item: str = "1", qty: int = 1, price: str | None = None,
         tax_code: str = "3") -> dict[str, Any]:
    return {"Amount": Decimal(amount), "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": item}, "Qty": qty,
                                    "UnitPrice": Decimal(price or amount),
                                    "TaxCodeRef": {"value": tax_code}}}


def receipt(number: str = "R1-0001", **changes: Any) -> dict[str, Any]:
    body = {"DocNumber": number, "TxnDate": "2026-01-15", "CustomerRef": {"value": "1"},
            "PaymentMethodRef": {"value": "1"},
            "Line": [line("6.70", qty=2, price="3.35"), line("2.15", tax_code="2")]}
    body.update(changes)
    return body


def errors(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.text
    return [(e["code"], e["Detail"]) for e in response.json()["Fault"]["Error"]]


def test_a_sale_is_a_sales_receipt_taxed_per_rate(qbo: QuickBooksSimulator, api: QboApi) -> None:
    kept = api.ok("POST", "/salesreceipt", json=receipt())["SalesReceipt"]
    assert (kept["TxnTaxDetail"]["TotalTax"], kept["TotalAmt"]) == (1.51, 10.36)
    assert kept["DepositToAccountRef"]["name"] == "Undeposited Funds"
    assert kept["Line"][-1]["DetailType"] == "SubTotalLineDetail"
    assert (kept["SyncToken"], kept["Balance"]) == ("0", 0)
    [stored] = qbo.entities("SalesReceipt")
    assert stored["TotalAmt"] == Decimal("10.36")


def test_the_xsd_refuses_unknown_elements_wrong_types_and_missing_required(
        api: QboApi) -> None:
    [(code, detail)] = errors(api.call("POST", "/salesreceipt", json=receipt(Memo="x")))
    assert code == "2010"
    assert detail.startswith('Property Name:Unrecognized field "Memo"')
    wrong = receipt(Line=[{**line("1.00"), "Amount": "one"}])
    assert errors(api.call("POST", "/salesreceipt", json=wrong))[0][0] == "2010"
    custom = receipt(CustomField=[{"Name": "Till", "StringValue": "R1"}])
    assert errors(api.call("POST", "/salesreceipt", json=custom)) == [
        ("2020", "Required parameter CustomField[0].Type is missing in the request")]
    assert errors(api.call("POST", "/salesreceipt", json=receipt(Line=[]))) == [
        ("2020", "Required parameter Line is missing in the request")]


def test_business_rules_amounts_references_duplicates(api: QboApi) -> None:
    wrong_amount = receipt(Line=[line("5.00", qty=2, price="3.35")])
    assert errors(api.call("POST", "/salesreceipt", json=wrong_amount)) == [
        ("6070", "Amount is not equal to Qty * UnitPrice. Supplied value:5.00")]
    unknown_item = receipt(Line=[line("1.00", item="999")])
    assert errors(api.call("POST", "/salesreceipt", json=unknown_item))[0][0] == "2500"
    api.ok("POST", "/salesreceipt", json=receipt())
    [(code, detail)] = errors(api.call("POST", "/salesreceipt", json=receipt()))
    assert code == "6210"
    assert "DocNumber=R1-0001 is assigned to TxnType=Sales Receipt" in detail


def test_an_inactive_account_is_object_not_found(qbo: QuickBooksSimulator, api: QboApi) -> None:
    account = qbo.find("Account", "Name", "Checking")
    api.ok("POST", "/account", json={"Id": account["Id"], "SyncToken": account["SyncToken"],
                                     "sparse": True, "Active": False})
    refused = errors(api.call("POST", "/salesreceipt",
                              json=receipt(DepositToAccountRef={"value": account["Id"]})))
    assert refused[0][0] == "610"
    assert "has been made inactive" in refused[0][1]


def test_request_id_replays_the_first_answer(qbo: QuickBooksSimulator, api: QboApi) -> None:
    first = api.call("POST", "/salesreceipt", json=receipt(), params={"requestid": "r1-42"})
    again = api.call("POST", "/salesreceipt", json=receipt(), params={"requestid": "r1-42"})
    assert (first.status_code, again.content) == (200, first.content)
    assert len(qbo.entities("SalesReceipt")) == 1
    too_long = api.call("POST", "/salesreceipt", json=receipt("R1-0002"),
                        params={"requestid": "x" * 51})
    assert too_long.status_code == 400


def test_sync_token_guards_updates_full_and_sparse(api: QboApi) -> None:
    kept = api.ok("POST", "/salesreceipt", json=receipt())["SalesReceipt"]
    sparse = api.ok("POST", "/salesreceipt", json={
        "Id": kept["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "till R1"})
    assert (sparse["SalesReceipt"]["SyncToken"], sparse["SalesReceipt"]["TotalAmt"]) == (
        "1", 10.36)
    stale = errors(api.call("POST", "/salesreceipt", json={
        "Id": kept["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "late"}))
    assert stale[0][0] == "5010"
    assert stale[0][1].startswith("Stale Object Error : You and ")
    full = api.ok("POST", "/salesreceipt", json={**receipt(), "Id": kept["Id"],
                                                 "SyncToken": "1",
                                                 "Line": [line("2.15", tax_code="2")]})
    assert (full["SalesReceipt"]["TotalAmt"], "PrivateNote" in full["SalesReceipt"]) == (
        2.32, False)


def test_void_and_delete(qbo: QuickBooksSimulator, api: QboApi) -> None:
    kept = api.ok("POST", "/salesreceipt", json=receipt())["SalesReceipt"]
    voided = api.ok("POST", "/salesreceipt", json={"Id": kept["Id"], "SyncToken": "0"},
                    params={"operation": "update", "include": "void"})["SalesReceipt"]
    assert (voided["TotalAmt"], voided["PrivateNote"]) == (0, "Voided")
    deleted = api.ok("POST", "/salesreceipt", json={"Id": kept["Id"], "SyncToken": "1"},
                     params={"operation": "delete"})["SalesReceipt"]
    assert deleted == {"Id": kept["Id"], "status": "Deleted", "domain": "QBO"}
    gone = errors(api.call("GET", f"/salesreceipt/{kept['Id']}"))
    assert gone == [("610", "Object Not Found : Another user has deleted this transaction.")]
    assert qbo.entities("SalesReceipt") == []
    customer = errors(api.call("POST", "/customer", json={"Id": "1", "SyncToken": "0"},
                               params={"operation": "delete"}))
    assert customer[0][0] == "500"


def test_an_invoice_paid_then_deposited_and_the_deposit_holds_it(api: QboApi) -> None:
    invoice = api.ok("POST", "/invoice", json={
        "CustomerRef": {"value": "1"}, "Line": [line("10.00", tax_code="2")]})["Invoice"]
    assert invoice["Balance"] == 10.80
    payment = api.ok("POST", "/payment", json={
        "CustomerRef": {"value": "1"}, "TotalAmt": 10.80, "PaymentMethodRef": {"value": "2"},
        "Line": [{"Amount": 10.80, "LinkedTxn": [{"TxnId": invoice["Id"],
                                                   "TxnType": "Invoice"}]}]})["Payment"]
    assert api.ok("GET", f"/invoice/{invoice['Id']}")["Invoice"]["Balance"] == 0
    api.ok("POST", "/deposit", json={
        "DepositToAccountRef": {"value": "1"},
        "Line": [{"Amount": 10.80, "LinkedTxn": [{"TxnId": payment["Id"],
                                                   "TxnType": "Payment"}]}]})
    held = errors(api.call("POST", "/payment", json={"Id": payment["Id"], "SyncToken": "0"},
                           params={"operation": "delete"}))
    assert held[0][0] == "6540"


def test_an_invoice_and_a_payment_keep_what_is_owed_on_an_ar_account(api: QboApi) -> None:
    accounts = {a["AcctNum"]: a["Id"] for a in api.ok(
        "GET", "/query", params={"query": "select * from Account"})["QueryResponse"]["Account"]}
    invoice = api.ok("POST", "/invoice", json={
        "CustomerRef": {"value": "1"}, "Line": [line("10.00", tax_code="2")]})["Invoice"]
    assert invoice["ARAccountRef"]["value"] == accounts["1100"]  # the company's A/R
    not_receivable = {"CustomerRef": {"value": "1"}, "ARAccountRef": {"value": accounts["1010"]},
                      "Line": [line("10.00", tax_code="2")]}
    assert errors(api.call("POST", "/invoice", json=not_receivable))[0][0] == "6000"
    part = {"CustomerRef": {"value": "1"}, "TotalAmt": 4.00,
            "Line": [{"Amount": 4.00, "LinkedTxn": [{"TxnId": invoice["Id"],
                                                      "TxnType": "Invoice"}]}]}
    assert errors(api.call("POST", "/payment", json={
        **part, "ARAccountRef": {"value": accounts["1010"]}}))[0][0] == "6000"
    api.ok("POST", "/payment", json=part)
    assert api.ok("GET", f"/invoice/{invoice['Id']}")["Invoice"]["Balance"] == 6.80


def test_journal_entries_must_balance(api: QboApi) -> None:
    def entry(credit: str) -> dict[str, Any]:
        return {"Line": [
            {"Amount": 20, "DetailType": "JournalEntryLineDetail",
             "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "2"}}},
            {"Amount": Decimal(credit), "DetailType": "JournalEntryLineDetail",
             "JournalEntryLineDetail": {"PostingType": "Credit",
                                        "AccountRef": {"value": "11"}}}]}

    assert errors(api.call("POST", "/journalentry", json=entry("19.99")))[0][0] == "6000"
    assert api.ok("POST", "/journalentry", json=entry("20"))["JournalEntry"]["TotalAmt"] == 20


def test_names_are_unique_and_items_found_by_sku(api: QboApi) -> None:
    api.ok("POST", "/item", json={"Name": "Flat white", "Type": "NonInventory",
                                  "Sku": "SKU-1", "IncomeAccountRef": {"value": "8"}})
    twice = errors(api.call("POST", "/item", json={"Name": "flat white",
                                                   "Type": "Service",
                                                   "IncomeAccountRef": {"value": "8"}}))
    assert twice[0][0] == "6240"
    [found] = api.query("select * from Item where Sku = 'SKU-1'")["Item"]
    assert found["Name"] == "Flat white"
    bad = api.call("GET", "/query", params={"query": "select * from Item where Colour = 'x'"})
    assert errors(bad)[0][0] == "4001"


def test_minor_versions_below_75_are_served_as_75_and_others_refused(
        qbo: QuickBooksSimulator, api: QboApi) -> None:
    assert api.call("GET", "/companyinfo/1", params={"minorversion": "65"}).status_code == 200
    newer = api.call("GET", "/companyinfo/1", params={"minorversion": "76"})
    assert errors(newer)[0][0] == "2010"
