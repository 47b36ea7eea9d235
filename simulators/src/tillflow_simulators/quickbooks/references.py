"""References between entities (``{"value": "<Id>", "name": ...}``), resolved as Intuit
resolves them: an Id that does not exist is an Invalid Reference Id (2500); an entity made
inactive is an Object Not Found (610)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tillflow_simulators.quickbooks.company import Company, Entity
from tillflow_simulators.quickbooks.errors import (
    BUSINESS,
    INVALID_REFERENCE,
    NOT_FOUND,
    REQUIRED,
    fault,
)

INACTIVE_DETAIL = ("Object Not Found : Something you're trying to use has been made inactive. "
                   "Check the fields with accounts, customers, items, vendors or employees.")
CENT = Decimal("0.01")
RECEIVABLE_TYPE = "Accounts Receivable"


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def required(value: Any, path: str) -> Any:
    if value is None or value in ([], ""):
        raise fault(REQUIRED, f"Required parameter {path} is missing in the request",
                    element=path)
    return value


def resolve(company: Company, name: str, ref: Any, path: str) -> Entity:
    """The live entity a reference names, or Intuit's refusal."""
    entity_id = ref.get("value") if isinstance(ref, dict) else None
    if not entity_id:
        raise fault(REQUIRED, f"Required parameter {path} is missing in the request",
                    element=path)
    entity = company.get(name, str(entity_id))
    if entity is None:
        raise fault(INVALID_REFERENCE, f"Invalid Reference Id : {name}s element id "
                                       f"{entity_id} not found", element=path)
    if entity.get("Active") is False:
        raise fault(NOT_FOUND, INACTIVE_DETAIL, element=path)
    return entity


def optional(company: Company, name: str, ref: Any, path: str) -> Entity | None:
    return resolve(company, name, ref, path) if ref else None


def ref_to(entity: Entity, name_field: str = "Name") -> dict[str, str]:
    return {"value": entity["Id"], "name": str(entity.get(name_field, ""))}


def undeposited_funds(company: Company) -> Entity:
    found = next((a for a in company.table("Account").values()
                  if a.get("AccountSubType") == "UndepositedFunds"), None)
    if found is None:
        raise fault(INVALID_REFERENCE, "Invalid Reference Id : no Undeposited Funds account",
                    element="DepositToAccountRef")
    return found


def receivable_account(company: Company, ref: Any) -> Entity:
    """The A/R account an invoice or a payment names (``ARAccountRef``), else the
    company's first one; another type of account is refused, as QuickBooks refuses it."""
    if not ref:
        found = next((a for a in company.table("Account").values()
                      if a.get("AccountType") == RECEIVABLE_TYPE), None)
        if found is None:
            raise fault(INVALID_REFERENCE, "Invalid Reference Id : no Accounts Receivable "
                        "account", element="ARAccountRef")
        return found
    account = resolve(company, "Account", ref, "ARAccountRef")
    if account.get("AccountType") != RECEIVABLE_TYPE:
        raise fault(BUSINESS, "Business Validation Error: ARAccountRef must be an Accounts "
                    "Receivable account", element="ARAccountRef")
    return account
