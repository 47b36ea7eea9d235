"""Payments received against invoices, deposits of undeposited funds, and journal entries.

A payment's lines link invoices (and credit memos it uses) and lower their ``Balance``;
what is not applied is ``UnappliedAmt``. A deposit moves sales receipts and payments held
in Undeposited Funds into a bank account (after which they cannot be changed until the
deposit lets them go), or adds amounts from other accounts. A journal entry's debits must
equal its credits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tillflow_simulators.quickbooks.company import Company, Entity
from tillflow_simulators.quickbooks.errors import BUSINESS, DEPOSITED, fault
from tillflow_simulators.quickbooks.references import (
    money,
    receivable_account,
    ref_to,
    required,
    resolve,
    undeposited_funds,
)

ZERO = Decimal("0")
PAYABLE = {"Invoice": 1, "CreditMemo": -1}
DEPOSITABLE = ("SalesReceipt", "Payment", "RefundReceipt")
DEPOSITED_DETAIL = ("This transaction has been deposited. If you want to change or delete it, "
                    "you must first edit the deposit it appears on and remove it.")


def _linked(line: dict[str, Any]) -> list[dict[str, Any]]:
    linked: list[dict[str, Any]] = line.get("LinkedTxn") or []
    return linked


def build_payment(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    customer = resolve(company, "Customer", element.get("CustomerRef"), "CustomerRef")
    total = money(Decimal(required(element.get("TotalAmt"), "TotalAmt")))
    applied = ZERO
    lines = []
    for line in element.get("Line", []):
        amount = money(Decimal(required(line.get("Amount"), "Line.Amount")))
        for link in required(_linked(line), "Line.LinkedTxn"):
            sign = PAYABLE.get(link.get("TxnType", ""))
            if sign is None:
                raise fault(BUSINESS, "Business Validation Error: a payment line must link an "
                            "Invoice or a CreditMemo", element="LinkedTxn")
            document = company.get(link["TxnType"], str(link.get("TxnId")))
            if document is None:
                raise fault(BUSINESS, f"Business Validation Error: {link['TxnType']} "
                            f"{link.get('TxnId')} does not exist", element="LinkedTxn")
            if document["CustomerRef"]["value"] != customer["Id"]:
                raise fault(BUSINESS, "Business Validation Error: the linked transaction "
                            "belongs to another customer", element="LinkedTxn")
            # A payment being changed was undone first, so Balance is what is open.
            if amount > document["Balance"]:
                raise fault(BUSINESS, "Business Validation Error: the amount applied is more "
                            "than the open balance of the linked transaction",
                            element="LinkedTxn")
            applied += sign * amount
        lines.append({**line, "Amount": amount})
    if applied > total:
        raise fault(BUSINESS, "Business Validation Error: the amounts applied are more than "
                    "the payment's total", element="TotalAmt")
    deposit_ref = element.get("DepositToAccountRef")
    account = resolve(company, "Account", deposit_ref, "DepositToAccountRef") if deposit_ref \
        else undeposited_funds(company)
    receivable = receivable_account(company, element.get("ARAccountRef"))
    return {**element, "CustomerRef": ref_to(customer, "DisplayName"), "TotalAmt": total,
            "ARAccountRef": ref_to(receivable),
            "UnappliedAmt": total - applied, "Line": lines,
            "DepositToAccountRef": ref_to(account), "ProcessPayment": False,
            "TxnDate": element.get("TxnDate", company.today().isoformat()),
            "CurrencyRef": {"value": company.settings.currency, "name": ""}}


def apply_payment(company: Company, payment: Entity, sign: int) -> None:
    for line in payment.get("Line", []):
        for link in _linked(line):
            document = company.get(link["TxnType"], str(link["TxnId"]))
            if document is not None:
                document["Balance"] -= sign * line["Amount"]


def void_payment(company: Company, payment: Entity) -> None:
    for line in payment.get("Line", []):
        line["Amount"] = ZERO
    payment["TotalAmt"] = payment["UnappliedAmt"] = ZERO
    payment["PrivateNote"] = "Voided"


def build_deposit(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    bank = resolve(company, "Account", element.get("DepositToAccountRef"),
                   "DepositToAccountRef")
    if bank["AccountType"] != "Bank":
        raise fault(BUSINESS, "Business Validation Error: a deposit must go to a bank account",
                    element="DepositToAccountRef")
    lines, total = [], ZERO
    for raw in required(element.get("Line"), "Line"):
        amount = money(Decimal(required(raw.get("Amount"), "Line.Amount")))
        links = _linked(raw)
        line = {**raw, "Amount": amount}
        for link in links:
            _check_depositable(company, link, amount, existing)
        if not links:
            detail = required(raw.get("DepositLineDetail"), "Line.DepositLineDetail")
            account = resolve(company, "Account", detail.get("AccountRef"), "AccountRef")
            line.update(DetailType="DepositLineDetail",
                        DepositLineDetail={**detail, "AccountRef": ref_to(account)})
        lines.append(line)
        total += amount
    return {**element, "DepositToAccountRef": ref_to(bank), "Line": lines, "TotalAmt": total,
            "TxnDate": element.get("TxnDate", company.today().isoformat()),
            "CurrencyRef": {"value": company.settings.currency, "name": ""}}


def _check_depositable(company: Company, link: dict[str, Any], amount: Decimal,
                       existing: Entity | None) -> None:
    kind = link.get("TxnType", "")
    found = company.get(kind, str(link.get("TxnId"))) if kind in DEPOSITABLE else None
    if found is None:
        raise fault(BUSINESS, "Business Validation Error: a deposit line must link a sales "
                    "receipt, refund receipt or payment that exists", element="LinkedTxn")
    held_by = found.get("_deposit")
    if held_by is not None and held_by != (existing or {}).get("Id"):
        raise fault(DEPOSITED, DEPOSITED_DETAIL, element="LinkedTxn")
    funds = undeposited_funds(company)
    if found.get("DepositToAccountRef", {}).get("value") != funds["Id"]:
        raise fault(BUSINESS, "Business Validation Error: only transactions held in "
                    "Undeposited Funds can be deposited", element="LinkedTxn")
    expected = -found["TotalAmt"] if kind == "RefundReceipt" else found["TotalAmt"]
    if amount != expected:
        raise fault(BUSINESS, f"Business Validation Error: the deposit line amount {amount} "
                    f"does not match the transaction's {expected}", element="Amount")


def apply_deposit(company: Company, deposit: Entity, sign: int) -> None:
    for line in deposit.get("Line", []):
        for link in _linked(line):
            found = company.get(link["TxnType"], str(link["TxnId"]))
            if found is None:
                continue
            if sign > 0:
                found["_deposit"] = deposit["Id"]
            else:
                found.pop("_deposit", None)


def refuse_if_deposited(entity: Entity) -> None:
    if entity.get("_deposit") is not None:
        raise fault(DEPOSITED, DEPOSITED_DETAIL)


def build_journal(company: Company, element: dict[str, Any], existing: Entity | None) -> Entity:
    debits = credits = ZERO
    lines = []
    for index, raw in enumerate(required(element.get("Line"), "Line")):
        amount = money(Decimal(required(raw.get("Amount"), f"Line[{index}].Amount")))
        detail = required(raw.get("JournalEntryLineDetail"),
                          f"Line[{index}].JournalEntryLineDetail")
        posting = required(detail.get("PostingType"), "PostingType")
        account = resolve(company, "Account", detail.get("AccountRef"), "AccountRef")
        if posting == "Debit":
            debits += amount
        else:
            credits += amount
        lines.append({**raw, "Id": str(index), "Amount": amount,
                      "DetailType": "JournalEntryLineDetail",
                      "JournalEntryLineDetail": {**detail, "AccountRef": ref_to(account)}})
    if debits != credits:
        raise fault(BUSINESS, "Business Validation Error: You can't save this transaction "
                    f"because its debits ({debits}) and credits ({credits}) don't balance.",
                    element="Line")
    return {"Adjustment": False, **element, "Line": lines, "TotalAmt": debits,
            "TxnDate": element.get("TxnDate", company.today().isoformat()),
            "CurrencyRef": {"value": company.settings.currency, "name": ""}}
