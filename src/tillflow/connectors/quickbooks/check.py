"""A QuickBooks connection proved against the company, reading only.

In order, each only if the one before passed: the consent reaches the company
(``settings.realm_id``), whose home currency (a preference, ``CurrencyPrefs``) is the
store's; every account ``settings.accounts`` names exists and is active,
the ``tender`` clearing account takes deposits (a bank or other current asset
account) and the ``receivable`` one is an Accounts Receivable account (invoices of sales
paid later are kept there); every tax code ``settings.tax_codes`` names exists and is
active. Each failure names the setting to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.quickbooks.client import QuickBooksClient, RealmUnreachable
from tillflow.connectors.quickbooks.names import QuickBooksNames
from tillflow.ports.accounting import ErpCheck, ErpRejected

DEPOSIT_TYPES = ("Bank", "Other Current Asset")
RECEIVABLE_TYPE = "Accounts Receivable"


def check_quickbooks(client: QuickBooksClient, settings: Mapping[str, Any], *,
                     currency: str) -> list[ErpCheck]:
    names = QuickBooksNames(client)
    found: list[ErpCheck] = []
    for step in (_company, _accounts, _tax_codes):
        result = step(client, names, settings, currency)
        found.append(result)
        if not result.ok:
            break
    return found


def _company(client: QuickBooksClient, _names: QuickBooksNames,
             _settings: Mapping[str, Any], currency: str) -> ErpCheck:
    try:
        found = client.query("select * from CompanyInfo")
        preferences = client.query("select * from Preferences")
    except RealmUnreachable as exc:
        return ErpCheck("company", False, str(exc), field="settings.realm_id")
    name = str(found[0].get("CompanyName")) if found else "the company"
    home = _home_currency(preferences)
    if home != currency:
        # Amounts go to the books as the till's figures: in another home currency they
        # would be booked as that currency's, silently wrong.
        kept = f"keeps its books in {home}" if home else "names no home currency"
        return ErpCheck("company", False, f"QuickBooks's company {name} {kept}, the store "
                        f"sells in {currency}", field="settings.realm_id")
    return ErpCheck("company", True, f"{name} ({home})")


def _home_currency(preferences: list[dict[str, Any]]) -> str | None:
    if not preferences:
        return None
    home = (preferences[0].get("CurrencyPrefs") or {}).get("HomeCurrency") or {}
    value = home.get("value")
    return str(value) if value else None


def _accounts(_client: QuickBooksClient, names: QuickBooksNames,
              settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    for role, code in dict(settings.get("accounts") or {}).items():
        try:
            account = names.account(code)
        except ErpRejected:
            return ErpCheck("accounts", False, f"QuickBooks has no account {code!r} (mapped "
                            f"for {role!r})", field="settings.accounts")
        if account.get("Active") is False:
            return ErpCheck("accounts", False, f"QuickBooks's account {code!r} (mapped for "
                            f"{role!r}) is inactive", field="settings.accounts")
        if role.startswith("tender") and account.get("AccountType") not in DEPOSIT_TYPES:
            return ErpCheck("accounts", False, f"QuickBooks's account {code!r} (mapped for "
                            f"{role!r}) takes no deposits: choose a bank or other current "
                            "asset account", field="settings.accounts")
        if role.startswith("receivable") and account.get("AccountType") != RECEIVABLE_TYPE:
            return ErpCheck("accounts", False, f"QuickBooks's account {code!r} (mapped for "
                            f"{role!r}) is not an Accounts Receivable account, which "
                            "invoices need", field="settings.accounts")
    return ErpCheck("accounts", True, f"{len(settings.get('accounts') or {})} accounts found")


def _tax_codes(_client: QuickBooksClient, names: QuickBooksNames,
               settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    for rate, code in dict(settings.get("tax_codes") or {}).items():
        found = names.tax_code(code)
        if found is None or found.get("Active") is False:
            return ErpCheck("tax codes", False, f"QuickBooks has no active tax code {code!r} "
                            f"(mapped for {rate})", field="settings.tax_codes")
    return ErpCheck("tax codes", True, f"{len(settings.get('tax_codes') or {})} tax codes "
                    "found")
