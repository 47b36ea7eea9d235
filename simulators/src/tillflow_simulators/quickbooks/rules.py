"""What each entity allows, and the writes Intuit's data service performs on them.

- create: ``POST /{entity}`` without ``Id``.
- update: ``POST /{entity}`` with ``Id`` and the current ``SyncToken`` (an older one is a
  Stale Object Error, 5010); a full update replaces every writable field, a sparse one
  (``"sparse": true``) only those sent.
- delete: ``POST /{entity}?operation=delete`` with ``Id`` and ``SyncToken``; transactions
  only (name lists are made inactive instead).
- void: ``?operation=void`` (invoices) or ``?operation=update&include=void`` (sales
  receipts, payments): every amount goes to zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from tillflow_simulators.quickbooks import money_moves, names, sales
from tillflow_simulators.quickbooks.company import Company, Entity
from tillflow_simulators.quickbooks.errors import (
    NOT_FOUND,
    REQUIRED,
    STALE,
    UNSUPPORTED_OPERATION,
    fault,
)

Build = Callable[[Company, dict[str, Any], Entity | None], Entity]
Effect = Callable[[Company, Entity, int], None]
# Fields the data service keeps or computes whatever a client sends.
KEPT = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "status"})
COMPUTED = frozenset({"TotalAmt", "Balance", "HomeTotalAmt", "HomeBalance", "TxnTaxDetail",
                      "UnappliedAmt"})
STALE_DETAIL = ("Stale Object Error : You and {user} were working on this at the same time. "
                "{user} finished before you did, so your work was not saved.")
DELETED_DETAIL = "Object Not Found : Another user has deleted this transaction."


def _no_effect(company: Company, entity: Entity, sign: int) -> None:
    return None


@dataclass(frozen=True)
class Rules:
    name: str
    build: Build | None  # None: read only here
    effect: Effect = _no_effect
    void: Callable[[Company, Entity], None] | None = None
    deletable: bool = False
    # Fields a sparse update does not carry over from the stored entity.
    computed: frozenset[str] = field(default=COMPUTED)


def _sales(kind: str) -> Rules:
    sales_kind = sales.KINDS[kind]
    return Rules(kind, partial(sales.build, sales_kind),
                 partial(sales.move_stock, sales_kind), sales.void, deletable=True)


RULES = {rules.name: rules for rules in (
    Rules("Account", names.build_account), Rules("Customer", names.build_customer),
    Rules("Item", names.build_item), Rules("TaxCode", None), Rules("TaxRate", None),
    Rules("PaymentMethod", None), Rules("CompanyInfo", None), Rules("Preferences", None),
    _sales("SalesReceipt"), _sales("RefundReceipt"), _sales("CreditMemo"), _sales("Invoice"),
    Rules("Payment", money_moves.build_payment, money_moves.apply_payment,
          money_moves.void_payment, deletable=True,
          computed=frozenset({"UnappliedAmt", "HomeTotalAmt"})),
    Rules("Deposit", money_moves.build_deposit, money_moves.apply_deposit, deletable=True),
    Rules("JournalEntry", money_moves.build_journal, deletable=True),
)}


def _writable(rules: Rules) -> Build:
    if rules.build is None:
        raise fault(UNSUPPORTED_OPERATION, f"Operation Create/Update is not supported for "
                    f"{rules.name} by this API", element=rules.name)
    return rules.build


def find(company: Company, rules: Rules, entity_id: Any) -> Entity:
    found = company.get(rules.name, str(entity_id))
    if found is None:
        raise fault(NOT_FOUND, DELETED_DETAIL if (rules.name, str(entity_id)) in company.deleted
                    else f"Object Not Found : {rules.name} {entity_id} could not be found")
    return found


def _current(company: Company, rules: Rules, element: dict[str, Any]) -> Entity:
    for field_name in ("Id", "SyncToken"):
        if element.get(field_name) in (None, ""):
            raise fault(REQUIRED, f"Required parameter {field_name} is missing in the request",
                        element=field_name)
    entity = find(company, rules, element["Id"])
    if str(element["SyncToken"]) != entity["SyncToken"]:
        raise fault(STALE, STALE_DETAIL.format(user="Another User"), element="SyncToken")
    return entity


def create(company: Company, rules: Rules, element: dict[str, Any]) -> Entity:
    build = _writable(rules)
    fields = {k: v for k, v in element.items() if k not in KEPT | rules.computed
              or (k == "TxnTaxDetail" and "TotalTax" in v)}
    entity = company.insert(rules.name, build(company, fields, None))
    rules.effect(company, entity, 1)
    return entity


def update(company: Company, rules: Rules, element: dict[str, Any]) -> Entity:
    build = _writable(rules)
    entity = _current(company, rules, element)
    money_moves.refuse_if_deposited(entity)
    sent = {k: v for k, v in element.items() if k not in KEPT}
    if element.get("sparse") is True:
        kept = {k: v for k, v in entity.items()
                if k not in KEPT | rules.computed and not k.startswith("_")}
        sent = {**kept, **sent}
    rules.effect(company, entity, -1)
    try:
        built = build(company, sent, entity)
    except Exception:
        rules.effect(company, entity, 1)
        raise
    private = {k: v for k, v in entity.items() if k in KEPT or k.startswith("_")}
    entity.clear()
    entity.update({**built, **private, "sparse": False})
    company.bump(rules.name, entity)
    rules.effect(company, entity, 1)
    return entity


def delete(company: Company, rules: Rules, element: dict[str, Any]) -> Entity:
    if not rules.deletable:
        raise fault(UNSUPPORTED_OPERATION, f"Operation Delete is not supported for "
                    f"{rules.name}: make it inactive instead", element=rules.name)
    entity = _current(company, rules, element)
    money_moves.refuse_if_deposited(entity)
    rules.effect(company, entity, -1)
    company.remove(rules.name, entity)
    return {"Id": entity["Id"], "status": "Deleted", "domain": "QBO"}


def void(company: Company, rules: Rules, element: dict[str, Any]) -> Entity:
    if rules.void is None:
        raise fault(UNSUPPORTED_OPERATION, f"Operation Void is not supported for {rules.name}",
                    element=rules.name)
    entity = _current(company, rules, element)
    money_moves.refuse_if_deposited(entity)
    rules.effect(company, entity, -1)
    rules.void(company, entity)
    company.bump(rules.name, entity, "Void")
    return entity
