"""What a till posts to Xero: invoices paid in cash and by card, credit notes for returns,
bank transactions, manual journals, each kept as Xero keeps it and refused as Xero
refuses it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sim_support.books import XeroApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.xero import RateLimits, XeroSimulator


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    with XeroSimulator(clock=FakeClock(), rate_limits=RateLimits.unlimited()) as sim:
        yield sim


@pytest.fixture
def api(xero: XeroSimulator) -> XeroApi:
    return XeroApi(xero)


def sale(reference: str = "R1-0001", **changes: Any) -> dict[str, Any]:
    invoice = {"Type": "ACCREC", "Contact": {"Name": "Walk-in Customer"},
               "Date": "2026-01-15", "DueDate": "2026-01-15", "Reference": reference,
               "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
               "LineItems": [
                   {"Description": "Flat white", "Quantity": 2, "UnitAmount": 3.35,
                    "AccountCode": "200", "TaxType": "OUTPUT"},
                   {"Description": "Croissant", "Quantity": 1, "UnitAmount": 2.15,
                    "AccountCode": "200", "TaxType": "TAX001"}]}
    invoice.update(changes)
    return invoice


def test_a_sale_becomes_an_authorised_invoice_with_lines_taxed_and_rounded_per_line(
        xero: XeroSimulator, api: XeroApi) -> None:
    [invoice] = api.ok("PUT", "/Invoices", json={"Invoices": [sale()]})["Invoices"]
    assert invoice["InvoiceNumber"] == "INV-0001"
    assert [line["TaxAmount"] for line in invoice["LineItems"]] == [1.34, 0.17]
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (8.85, 1.51, 10.36)
    assert invoice["Date"] == "/Date(1768435200000+0000)/"
    [kept] = xero.documents("Invoices")
    assert kept["Total"] == Decimal("10.36")
    assert kept["Contact"]["Name"] == "Walk-in Customer"


def test_a_payment_into_the_cash_drawer_pays_the_invoice(xero: XeroSimulator,
                                                         api: XeroApi) -> None:
    [invoice] = api.ok("PUT", "/Invoices", json={"Invoices": [sale()]})["Invoices"]
    payment = {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "091"},
               "Date": "2026-01-15", "Amount": 10.36, "Reference": "cash"}
    [paid] = api.ok("PUT", "/Payments", json={"Payments": [payment]})["Payments"]
    assert paid["PaymentType"] == "ACCRECPAYMENT"
    [after] = api.ok("GET", f"/Invoices/{invoice['InvoiceID']}")["Invoices"]
    assert (after["Status"], after["AmountDue"], after["AmountPaid"]) == ("PAID", 0, 10.36)
    too_much = api.call("PUT", "/Payments", json={"Payments": [payment]})
    assert too_much.status_code == 400
    deleted = api.ok("POST", f"/Payments/{paid['PaymentID']}", json={"Status": "DELETED"})
    assert deleted["Payments"][0]["Status"] == "DELETED"
    [reopened] = xero.documents("Invoices")
    assert (reopened["Status"], reopened["AmountDue"]) == ("AUTHORISED", Decimal("10.36"))


def test_a_return_is_a_credit_note_allocated_to_the_sale(api: XeroApi) -> None:
    [invoice] = api.ok("PUT", "/Invoices", json={"Invoices": [sale()]})["Invoices"]
    credit = {**sale("R1-0001-RET"), "Type": "ACCRECCREDIT",
              "LineItems": [sale()["LineItems"][1]]}
    [note] = api.ok("PUT", "/CreditNotes", json={"CreditNotes": [credit]})["CreditNotes"]
    assert (note["Total"], note["RemainingCredit"]) == (2.32, 2.32)
    allocation = {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 2.32,
                  "Date": "2026-01-15"}
    api.ok("PUT", f"/CreditNotes/{note['CreditNoteID']}/Allocations",
           json={"Allocations": [allocation]})
    [after] = api.ok("GET", f"/Invoices/{invoice['InvoiceID']}")["Invoices"]
    assert (after["AmountCredited"], after["AmountDue"]) == (2.32, 8.04)
    [spent] = api.ok("GET", f"/CreditNotes/{note['CreditNoteID']}")["CreditNotes"]
    assert (spent["Status"], spent["RemainingCredit"]) == ("PAID", 0)


def test_summarize_errors_false_keeps_the_good_elements_and_marks_the_bad(
        xero: XeroSimulator, api: XeroApi) -> None:
    bad = sale("R1-0002", LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 1,
                                      "AccountCode": "999", "TaxType": "OUTPUT"}])
    body = api.ok("PUT", "/Invoices", json={"Invoices": [sale(), bad]},
                  params={"summarizeErrors": "false"})
    good, refused = body["Invoices"]
    assert good["StatusAttributeString"] == "OK"
    assert refused["StatusAttributeString"] == "ERROR"
    assert refused["HasErrors"] is True
    assert refused["ValidationErrors"] == [
        {"Message": "Account code '999' is not a valid code for this document."}]
    assert [i["Reference"] for i in xero.documents("Invoices")] == ["R1-0001"]


def test_by_default_one_bad_element_fails_the_whole_batch(xero: XeroSimulator,
                                                         api: XeroApi) -> None:
    bad = sale("R1-0002", Contact={})
    refused = api.call("PUT", "/Invoices", json={"Invoices": [sale(), bad]})
    assert refused.status_code == 400
    error = refused.json()
    assert (error["ErrorNumber"], error["Type"]) == (10, "ValidationException")
    assert [e["Reference"] for e in error["Elements"]] == ["R1-0002"]
    assert xero.documents("Invoices") == []


def test_the_spec_refuses_wrong_types_and_unknown_elements_whole(api: XeroApi) -> None:
    wrong = api.call("PUT", "/Invoices", json={"Invoices": [sale(
        LineItems=[{"Description": "x", "Quantity": "two", "UnitAmount": 1}])]})
    assert wrong.status_code == 400
    assert wrong.json()["Type"] == "PostDataInvalidException"
    assert "Invoices[0].LineItems[0].Quantity" in wrong.json()["Message"]
    unknown = api.call("PUT", "/Invoices", json={"Invoices": [sale(Referense="typo")]})
    assert unknown.json()["ErrorNumber"] == 14
    assert "'Referense'" in unknown.json()["Message"]
    missing = api.call("PUT", "/Items", json={"Items": [{"Name": "No code"}]})
    assert missing.json()["Elements"][0]["ValidationErrors"] == [{"Message": "Code is required"}]


def test_documents_dated_in_a_locked_period_are_refused(xero: XeroSimulator,
                                                       api: XeroApi) -> None:
    xero.set_lock_dates(end_of_year=date(2025, 12, 31))
    refused = api.call("PUT", "/Invoices", json={"Invoices": [sale(Date="2025-12-31")]})
    [element] = refused.json()["Elements"]
    assert element["ValidationErrors"] == [{"Message": (
        "The document date cannot be before the end of year lock date, currently set at "
        "31-Dec-2025")}]
    assert api.call("PUT", "/Invoices", json={"Invoices": [sale()]}).status_code == 200


def test_an_archived_account_is_refused_on_new_lines(xero: XeroSimulator, api: XeroApi) -> None:
    xero.archive_account("200")
    refused = api.call("PUT", "/Invoices", json={"Invoices": [sale()]})
    messages = {e["Message"] for e in refused.json()["Elements"][0]["ValidationErrors"]}
    assert messages == {"Account code '200' has been archived, or has been deleted. Each line "
                        "item must reference a valid account."}


def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(
        xero: XeroSimulator, api: XeroApi) -> None:
    key = {"Idempotency-Key": "sale-1f0c"}
    first = api.call("PUT", "/Invoices", json={"Invoices": [sale()]}, headers=key)
    again = api.call("PUT", "/Invoices", json={"Invoices": [sale()]}, headers=key)
    assert again.status_code == 200
    assert again.content == first.content
    assert len(xero.documents("Invoices")) == 1
    other = api.call("PUT", "/Invoices", json={"Invoices": [sale("R1-0009")]}, headers=key)
    assert other.status_code == 409
    long_key = api.call("PUT", "/Invoices", json={"Invoices": [sale()]},
                        headers={"Idempotency-Key": "k" * 129})
    assert long_key.status_code == 400


def test_invoice_numbers_are_unique_and_status_changes_follow_xero(api: XeroApi) -> None:
    [first] = api.ok("PUT", "/Invoices", json={"Invoices": [sale(InvoiceNumber="T-1")]})[
        "Invoices"]
    duplicate = api.call("PUT", "/Invoices", json={"Invoices": [sale(InvoiceNumber="T-1")]})
    assert duplicate.json()["Elements"][0]["ValidationErrors"] == [
        {"Message": "Invoice # must be unique."}]
    deleted = api.call("POST", f"/Invoices/{first['InvoiceID']}",
                       json={"Invoices": [{"Status": "DELETED"}]})
    assert deleted.json()["Elements"][0]["ValidationErrors"] == [
        {"Message": "Invoice not of valid status for modification"}]
    voided = api.ok("POST", f"/Invoices/{first['InvoiceID']}",
                    json={"Invoices": [{"Status": "VOIDED"}]})
    assert voided["Invoices"][0]["Status"] == "VOIDED"


def test_filters_pages_and_changes_since(xero: XeroSimulator, api: XeroApi) -> None:
    for number in range(1, 4):
        api.ok("PUT", "/Invoices", json={"Invoices": [sale(f"R1-000{number}")]})
        xero.advance_clock(minutes=1)
    found = api.ok("GET", "/Invoices", params={"where": 'Reference=="R1-0002"'})["Invoices"]
    assert [i["Reference"] for i in found] == ["R1-0002"]
    page = api.ok("GET", "/Invoices", params={"page": "2", "pageSize": "2",
                                              "order": "Reference DESC"})
    assert [i["Reference"] for i in page["Invoices"]] == ["R1-0001"]
    assert page["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 3}
    since = api.ok("GET", "/Invoices", headers={"If-Modified-Since": "2026-01-15T09:01:30Z"})
    assert [i["Reference"] for i in since["Invoices"]] == ["R1-0003"]
    bad = api.call("GET", "/Invoices", params={"where": 'Reference=="unclosed'})
    assert bad.json()["Type"] == "QueryParseException"
    assert api.call("GET", "/Invoices/00000000-0000-0000-0000-000000000000").text == (
        "The resource you're looking for cannot be found")


def test_bank_transactions_and_manual_journals(xero: XeroSimulator, api: XeroApi) -> None:
    spend = {"Type": "SPEND", "BankAccount": {"Code": "091"}, "Date": "2026-01-15",
             "LineItems": [{"Description": "Float top-up", "Quantity": 1,
                            "UnitAmount": 20, "AccountCode": "840", "TaxType": "NONE"}]}
    [kept] = api.ok("PUT", "/BankTransactions", json={"BankTransactions": [spend]})[
        "BankTransactions"]
    assert (kept["Total"], kept["BankAccount"]["Code"]) == (20, "091")
    def journal(credit: float, debited: str = "840") -> dict[str, Any]:
        return {"Narration": "Shift close R1", "Date": "2026-01-15", "Status": "POSTED",
                "JournalLines": [{"LineAmount": 10.00, "AccountCode": debited},
                                 {"LineAmount": credit, "AccountCode": "200"}]}

    refused = api.call("PUT", "/ManualJournals", json={"ManualJournals": [journal(-9.99)]})
    assert refused.json()["Elements"][0]["ValidationErrors"] == [
        {"Message": "The total debits (10.00) must equal total credits (9.99)"}]
    to_bank = api.call("PUT", "/ManualJournals",
                       json={"ManualJournals": [journal(-10.00, debited="091")]})
    assert to_bank.json()["Elements"][0]["ValidationErrors"] == [
        {"Message": "Account code '091' is a bank account: manual journals cannot be posted "
                    "to bank accounts"}]
    [posted] = api.ok("PUT", "/ManualJournals", json={"ManualJournals": [journal(-10.00)]})[
        "ManualJournals"]
    assert posted["Status"] == "POSTED"
    assert len(xero.documents("ManualJournals")) == 1


def test_contacts_items_accounts_and_tax_rates(api: XeroApi) -> None:
    [contact] = api.ok("PUT", "/Contacts", json={"Contacts": [{"Name": "Ana Silva"}]})[
        "Contacts"]
    duplicate = api.call("PUT", "/Contacts", json={"Contacts": [{"Name": "ana silva"}]})
    assert "already assigned to another contact" in \
        duplicate.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    item = {"Code": "SKU-1", "Name": "Flat white",
            "SalesDetails": {"UnitPrice": 3.35, "AccountCode": "200", "TaxType": "OUTPUT"}}
    api.ok("PUT", "/Items", json={"Items": [item]})
    [sold] = api.ok("PUT", "/Invoices", json={"Invoices": [sale(
        Contact={"ContactID": contact["ContactID"]},
        LineItems=[{"ItemCode": "SKU-1", "Quantity": 1}])]})["Invoices"]
    assert (sold["LineItems"][0]["UnitAmount"], sold["Total"]) == (3.35, 4.02)
    [account] = api.ok("PUT", "/Accounts", json={"Code": "270", "Name": "Gift Card Sales",
                                                "Type": "REVENUE"})["Accounts"]
    archived = api.ok("POST", f"/Accounts/{account['AccountID']}",
                      json={"Accounts": [{"Status": "ARCHIVED"}]})
    assert archived["Accounts"][0]["Status"] == "ARCHIVED"
    [rate] = api.ok("PUT", "/TaxRates", json={"TaxRates": [{
        "Name": "Take-away 5%", "TaxComponents": [{"Name": "VAT", "Rate": 5}]}]})["TaxRates"]
    assert (rate["TaxType"], rate["EffectiveRate"]) == ("TAX002", 5)
