"""Xero and QuickBooks Online behind one face, so a books test runs against both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from support import quickbooks_books, xero_books
from support.api import Api
from tillflow_simulators.common.oauth import TokenSet
from tillflow_simulators.quickbooks.company import CompanySettings
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.books import Settings
from tillflow_simulators.xero.simulator import XeroSimulator


def in_usd() -> Settings:
    """An organisation keeping its books in the tests' store currency (its own copy: a
    test may change it)."""
    return Settings(base_currency="USD")


def company_in_usd() -> CompanySettings:
    """A QuickBooks company whose home currency is the tests' store currency."""
    return CompanySettings(currency="USD")


DOCUMENTS = {"xero": ("Invoices", "CreditNotes", "ManualJournals", "Payments"),
             "quickbooks": ("SalesReceipt", "RefundReceipt", "Invoice", "Payment",
                            "JournalEntry")}


@dataclass
class Books:
    platform: str
    sim: XeroSimulator | QuickBooksSimulator

    @property
    def xero(self) -> XeroSimulator:
        assert isinstance(self.sim, XeroSimulator)
        return self.sim

    @property
    def qbo(self) -> QuickBooksSimulator:
        assert isinstance(self.sim, QuickBooksSimulator)
        return self.sim

    def settings(self, *, posting: str, **extra: Any) -> dict[str, Any]:
        if self.platform == "xero":
            return xero_books.settings(self.xero, posting=posting, **extra)
        return quickbooks_books.settings(self.qbo, posting=posting, **extra)

    def consent(self) -> tuple[TokenSet, dict[str, str]]:
        """A new consent's tokens, and the connection's secrets that carry it."""
        tokens = self.sim.connect()
        return tokens, {"client_id": self.sim.client.client_id,
                        "client_secret": self.sim.client.client_secret,
                        "refresh_token": tokens.refresh_token}

    def connect(self, api: Api, *, posting: str, name: str = "books",
                **extra: Any) -> TokenSet:
        tokens, secrets = self.consent()
        api.ok(api.post("/connections", {"name": name, "platform": self.platform,
                                         "settings": self.settings(posting=posting, **extra),
                                         "secrets": secrets}), 201)
        return tokens

    def keep_books_in(self, currency: str) -> None:
        """The organisation's base currency (Xero), the company's home currency
        (QuickBooks' ``CurrencyPrefs``) changed in the books."""
        if self.platform == "xero":
            self.xero.books().settings.base_currency = currency
            return
        company = self.qbo.company()
        with company.lock:
            [preferences] = company.table("Preferences").values()
            preferences["CurrencyPrefs"]["HomeCurrency"] = {"value": currency}

    def net(self, reference: str | None = None) -> dict[str, Decimal]:
        """Debits less credits per account the books keep (for one reference)."""
        if self.platform == "xero":
            return xero_books.books_net(self.xero, reference)
        return quickbooks_books.books_net(self.qbo, reference)

    def journal_net(self, entries: list[dict[str, Any]]) -> dict[str, Decimal]:
        if self.platform == "xero":
            return xero_books.journal_net(entries)
        return quickbooks_books.journal_net(entries)

    def documents(self) -> int:
        """How many documents, journals and payments the books keep."""
        if self.platform == "xero":
            return sum(len(self.xero.documents(kind)) for kind in DOCUMENTS["xero"])
        return sum(len(self.qbo.entities(kind)) for kind in DOCUMENTS["quickbooks"])

    def refuse_postings(self) -> str:
        """Make the books refuse what comes next; returns words of their refusal."""
        if self.platform == "xero":
            self.xero.set_lock_dates(period=datetime.now(UTC).date())
            return "period lock date"
        self._revenue_account()["Active"] = False
        return "made inactive"

    def accept_postings(self) -> None:
        if self.platform == "xero":
            self.xero.set_lock_dates(period=None)
        else:
            self._revenue_account()["Active"] = True

    def _revenue_account(self) -> dict[str, Any]:
        company = self.qbo.company()
        return next(a for a in company.table("Account").values() if a["AcctNum"] == "4000")

    def restart(self) -> None:
        self.sim.stop()
        self.sim.start()

    def expire_access_tokens(self) -> None:
        self.sim.expire_access_tokens()

    def revoke(self, tokens: TokenSet) -> None:
        self.sim.revoke_consent(tokens)
