"""A Xero connection proved against the organisation, reading only.

In order, each only if the one before passed: the consent reaches the organisation
(``settings.tenant_id``) and it keeps its books in the store's currency; every account
``settings.accounts`` names exists, is active and can take what its role posts (no bank
account where a manual journal goes; payments enabled for tenders); every tax code
``settings.tax_codes`` names exists and is active. Each failure names the setting to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.xero.client import TenantUnreachable, XeroClient
from tillflow.ports.accounting import ErpCheck

# Roles posted only on invoice and credit note lines, never in a manual journal.
ON_DOCUMENTS = ("revenue", "shipping", "fees")


def check_xero(client: XeroClient, settings: Mapping[str, Any], *,
               currency: str) -> list[ErpCheck]:
    found: list[ErpCheck] = []
    for step in (_organisation, _accounts, _tax_codes):
        result = step(client, settings, currency)
        found.append(result)
        if not result.ok:
            break
    return found


def _organisation(client: XeroClient, _settings: Mapping[str, Any],
                  currency: str) -> ErpCheck:
    try:
        [organisation] = client.get("/Organisation")["Organisations"]
    except TenantUnreachable as exc:
        return ErpCheck("organisation", False, str(exc), field="settings.tenant_id")
    kept = organisation.get("BaseCurrency")
    if kept != currency:
        return ErpCheck("organisation", False, f"Xero's organisation keeps its books in "
                        f"{kept}, the store sells in {currency}", field="settings.tenant_id")
    return ErpCheck("organisation", True, f"{organisation.get('Name')} ({kept})")


def _accounts(client: XeroClient, settings: Mapping[str, Any],
              _currency: str) -> ErpCheck:
    accounts = {a.get("Code"): a for a in client.get("/Accounts")["Accounts"]}
    for role, code in dict(settings.get("accounts") or {}).items():
        account = accounts.get(code)
        if account is None:
            return ErpCheck("accounts", False, f"Xero has no account {code!r} (mapped for "
                            f"{role!r})", field="settings.accounts")
        if account.get("Status") != "ACTIVE":
            return ErpCheck("accounts", False, f"Xero's account {code!r} (mapped for "
                            f"{role!r}) is {str(account.get('Status')).lower()}",
                            field="settings.accounts")
        problem = _unfit(role, account)
        if problem:
            return ErpCheck("accounts", False, f"Xero's account {code!r} (mapped for "
                            f"{role!r}) {problem}", field="settings.accounts")
    return ErpCheck("accounts", True, f"{len(settings.get('accounts') or {})} accounts found")


def _unfit(role: str, account: Mapping[str, Any]) -> str | None:
    """Why an account cannot take what tillflow posts to its role, if it cannot."""
    if role.split(":", 1)[0] in ON_DOCUMENTS:
        return None
    if account.get("Type") == "BANK":
        return ("is a bank account, and Xero posts no manual journal to one (cash moved, "
                "over or short, a summary's tenders): map a current asset account, such as "
                "a till clearing account, and reconcile it to the bank in Xero")
    if role.startswith("tender") and not account.get("EnablePaymentsToAccount"):
        return ("takes no payments: tick \"Enable payments to this account\" on it in Xero")
    return None


def _tax_codes(client: XeroClient, settings: Mapping[str, Any],
               _currency: str) -> ErpCheck:
    rates = {r.get("TaxType"): r for r in client.get("/TaxRates")["TaxRates"]}
    for rate, code in dict(settings.get("tax_codes") or {}).items():
        found = rates.get(code)
        if found is None or found.get("Status") != "ACTIVE":
            return ErpCheck("tax codes", False, f"Xero has no active tax rate {code!r} "
                            f"(mapped for {rate})", field="settings.tax_codes")
    return ErpCheck("tax codes", True, f"{len(settings.get('tax_codes') or {})} tax codes "
                    "found")
