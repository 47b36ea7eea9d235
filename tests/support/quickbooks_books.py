"""The QuickBooks Online simulator as the books tests use it: connecting, reading back."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from support.api import Api
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator

ACCOUNTS = {"revenue": "4000", "shipping": "4100", "fees": "4100", "tender": "1020",
            "tender:cash": "1010", "cash_transfer": "1000", "over_short": "6100",
            "cogs": "5000", "inventory": "1200", "receivable": "1100", "card_fees": "6300"}
TAX_CODES = {"0": "Zero", "0.08": "Reduced", "0.20": "Standard"}
TAX_ACCOUNT = "2200"


def settings(qbo: QuickBooksSimulator, *, posting: str, **extra: Any) -> dict[str, Any]:
    return {"posting": posting, "realm_id": qbo.realm_id, "accounts": dict(ACCOUNTS),
            "tax_codes": dict(TAX_CODES), "api_url": qbo.url, "token_url": qbo.token_url,
            **extra}


def secrets(qbo: QuickBooksSimulator) -> dict[str, str]:
    tokens = qbo.connect()
    return {"client_id": qbo.client.client_id, "client_secret": qbo.client.client_secret,
            "refresh_token": tokens.refresh_token}


def connect(api: Api, qbo: QuickBooksSimulator, *, posting: str, name: str = "books",
            **extra: Any) -> None:
    api.ok(api.post("/connections", {"name": name, "platform": "quickbooks",
                                     "settings": settings(qbo, posting=posting, **extra),
                                     "secrets": secrets(qbo)}), 201)


def books_net(qbo: QuickBooksSimulator, reference: str | None = None) -> dict[str, Decimal]:
    """Debits less credits per account number over every receipt, invoice, payment and
    journal entry (or those noted with one tillflow reference)."""
    numbers = {a["Id"]: a["AcctNum"] for a in qbo.entities("Account")}
    income = {i["Id"]: numbers[i["IncomeAccountRef"]["value"]]
              for i in qbo.entities("Item") if "IncomeAccountRef" in i}
    net: dict[str, Decimal] = defaultdict(Decimal)
    for kind, sign in (("SalesReceipt", 1), ("RefundReceipt", -1), ("Invoice", 1)):
        for receipt in qbo.entities(kind):
            if reference is not None and receipt.get("PrivateNote") != reference:
                continue
            debited = receipt.get("DepositToAccountRef") or receipt["ARAccountRef"]
            net[numbers[debited["value"]]] += sign * receipt["TotalAmt"]
            net[TAX_ACCOUNT] -= sign * Decimal(receipt["TxnTaxDetail"]["TotalTax"])
            for line in receipt["Line"]:
                detail = line.get("SalesItemLineDetail")
                if detail:
                    net[income[detail["ItemRef"]["value"]]] -= sign * Decimal(line["Amount"])
    for payment in qbo.entities("Payment"):
        if reference is None or payment.get("PrivateNote") == reference:
            net[numbers[payment["DepositToAccountRef"]["value"]]] += payment["TotalAmt"]
            net[numbers[payment["ARAccountRef"]["value"]]] -= payment["TotalAmt"]
    for journal in qbo.entities("JournalEntry"):
        if reference is not None and journal.get("PrivateNote") != reference:
            continue
        for line in journal["Line"]:
            detail = line["JournalEntryLineDetail"]
            sign = 1 if detail["PostingType"] == "Debit" else -1
            net[numbers[detail["AccountRef"]["value"]]] += sign * Decimal(line["Amount"])
    return {code: amount for code, amount in net.items() if amount}


def journal_net(entries: list[dict[str, Any]]) -> dict[str, Decimal]:
    net: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        for line in entry["lines"]:
            role = line["role"]
            code = TAX_ACCOUNT if role.startswith("tax") else (
                ACCOUNTS.get(role) or ACCOUNTS[role.split(":")[0]])
            net[code] += Decimal(line["debit"]) - Decimal(line["credit"])
    return {code: amount for code, amount in net.items() if amount}


def notes(qbo: QuickBooksSimulator, kind: str) -> list[str]:
    """The tillflow references of every ``kind`` (``SalesReceipt``) the company keeps."""
    return sorted(str(e.get("PrivateNote")) for e in qbo.entities(kind))
