"""The Xero simulator as the books tests use it: connecting, reading the books back."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from support.api import Api
from tillflow_simulators.xero.seed import AccountSpec, add_account
from tillflow_simulators.xero.simulator import XeroSimulator

ACCOUNTS = {"revenue": "200", "shipping": "260", "fees": "260", "tender": "094",
            "tender:cash": "093", "cash_transfer": "095", "over_short": "840",
            "cogs": "310", "inventory": "630", "receivable": "610", "card_fees": "404"}
# What a shop's accountant adds for a till: clearing accounts that take payments (Xero
# posts no manual journal to a bank account), and the cash on its way to the bank.
TILL_ACCOUNTS = (AccountSpec("093", "Till Cash", "CURRENT", enable_payments=True),
                 AccountSpec("094", "Till Card Clearing", "CURRENT", enable_payments=True),
                 AccountSpec("095", "Cash in Transit", "CURRENT"))
TAX_CODES = {"0": "ZERORATEDOUTPUT", "0.08": "TAX001", "0.20": "OUTPUT"}
TAX_ACCOUNT = "820"
RECEIVABLE = "610"


def add_till_accounts(xero: XeroSimulator) -> None:
    books = xero.books()
    with books.lock:
        for spec in TILL_ACCOUNTS:
            if books.account_by_code(spec.code) is None:
                add_account(books, spec)


def settings(xero: XeroSimulator, *, posting: str, **extra: Any) -> dict[str, Any]:
    add_till_accounts(xero)
    return {"posting": posting, "tenant_id": xero.tenant_id, "accounts": dict(ACCOUNTS),
            "tax_codes": dict(TAX_CODES), "api_url": xero.api_url,
            "token_url": xero.token_url, **extra}


def secrets(xero: XeroSimulator) -> dict[str, str]:
    tokens = xero.connect()
    return {"client_id": xero.client.client_id, "client_secret": xero.client.client_secret,
            "refresh_token": tokens.refresh_token}


def connect(api: Api, xero: XeroSimulator, *, posting: str, name: str = "books",
            **extra: Any) -> None:
    api.ok(api.post("/connections", {"name": name, "platform": "xero",
                                     "settings": settings(xero, posting=posting, **extra),
                                     "secrets": secrets(xero)}), 201)


def _add(net: dict[str, Decimal], code: str, amount: Any) -> None:
    net[code] += Decimal(str(amount))


def books_net(xero: XeroSimulator, reference: str | None = None) -> dict[str, Decimal]:
    """Debits less credits per account code over everything Xero keeps for the till (or
    for one tillflow reference: its document, its payments and its journal)."""
    net: dict[str, Decimal] = defaultdict(Decimal)
    for kind, sign in (("Invoices", -1), ("CreditNotes", 1)):
        for document in xero.documents(kind):
            if document["Status"] in ("VOIDED", "DELETED") or (
                    reference is not None and document["Reference"] != reference):
                continue
            for line in document["LineItems"]:
                _add(net, line["AccountCode"], sign * Decimal(str(line["LineAmount"])))
                _add(net, TAX_ACCOUNT, sign * Decimal(str(line["TaxAmount"])))
            _add(net, RECEIVABLE, -sign * Decimal(str(document["Total"])))
    for payment in xero.documents("Payments"):
        mine = payment["Reference"] == reference or payment["Reference"].startswith(
            f"{reference} ")  # a settlement's own, or one tender's of a document
        if payment["Status"] == "DELETED" or (reference is not None and not mine):
            continue
        sign = 1 if "Invoice" in payment else -1
        account = _code(xero, payment["Account"]["AccountID"])
        _add(net, account, sign * Decimal(str(payment["Amount"])))
        _add(net, RECEIVABLE, -sign * Decimal(str(payment["Amount"])))
    for journal in xero.documents("ManualJournals"):
        if journal["Status"] != "POSTED" or (
                reference is not None and not journal["Narration"].endswith(f"({reference})")):
            continue
        for line in journal["JournalLines"]:
            _add(net, line["AccountCode"], line["LineAmount"])
    return {code: amount for code, amount in net.items() if amount}


def _code(xero: XeroSimulator, account_id: str) -> str:
    return str(next(a["Code"] for a in xero.documents("Accounts")
                    if a["AccountID"] == account_id))


def journal_net(entries: list[dict[str, Any]]) -> dict[str, Decimal]:
    """The same from tillflow's journal, each role at the account the settings map."""
    net: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        for line in entry["lines"]:
            role = line["role"]
            code = TAX_ACCOUNT if role.startswith("tax") else (
                ACCOUNTS.get(role) or ACCOUNTS[role.split(":")[0]])
            net[code] += Decimal(line["debit"]) - Decimal(line["credit"])
    return {code: amount for code, amount in net.items() if amount}


def references(xero: XeroSimulator) -> list[str]:
    """Every sales document's and journal's tillflow reference, sorted: each once."""
    found = [d["Reference"] for kind in ("Invoices", "CreditNotes")
             for d in xero.documents(kind)]
    found += [j["Narration"].rsplit("(", 1)[1].rstrip(")")
              for j in xero.documents("ManualJournals")]
    return sorted(found)
