"""Sales documents: sales receipts, refund receipts, credit memos and invoices.

Lines are ``SalesItemLineDetail`` (an item, a quantity, a unit price and the line's
``Amount``, which must equal quantity × unit price), ``DescriptionOnly`` or a
``SubTotalLineDetail`` (recomputed). Tax is computed per tax rate on the lines' amounts
(``GlobalTaxCalculation``: ``TaxExcluded`` adds it, ``TaxInclusive`` takes it out of the
amounts, ``NotApplicable`` has none) and rounded once per rate; a client may state
``TxnTaxDetail.TotalTax`` itself, and it is kept. Tracked inventory items move: sales take
stock, refunds and credit memos put it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tillflow_simulators.quickbooks.company import Company, Entity
from tillflow_simulators.quickbooks.errors import (
    AMOUNT,
    BUSINESS,
    DUPLICATE_NUMBER,
    UNSUPPORTED,
    fault,
)
from tillflow_simulators.quickbooks.references import (
    money,
    optional,
    receivable_account,
    ref_to,
    required,
    resolve,
    undeposited_funds,
)

ZERO = Decimal("0")
DEPOSIT_TYPES = ("Bank", "Other Current Asset")
TXN_TYPE_NAMES = {"SalesReceipt": "Sales Receipt", "RefundReceipt": "Refund Receipt",
                  "CreditMemo": "Credit Memo", "Invoice": "Invoice",
                  "JournalEntry": "Journal Entry"}


@dataclass(frozen=True)
class SalesKind:
    name: str
    stock_sign: int  # -1: the document takes stock, +1: puts it back
    customer_required: bool
    deposit_account: str  # "default", "required" or "none"
    keeps_balance: bool  # Balance is what is still owed (invoices, credit memos)


KINDS = {"SalesReceipt": SalesKind("SalesReceipt", -1, False, "default", False),
         "RefundReceipt": SalesKind("RefundReceipt", +1, False, "required", False),
         "CreditMemo": SalesKind("CreditMemo", +1, True, "none", True),
         "Invoice": SalesKind("Invoice", -1, True, "none", True)}


def _line(company: Company, raw: dict[str, Any], index: int) -> tuple[Entity, str | None]:
    """A priced line and the tax code it carries (None when it carries no amount)."""
    detail_type = required(raw.get("DetailType"), f"Line[{index}].DetailType")
    if detail_type == "SubTotalLineDetail":
        return {}, None
    if detail_type == "DescriptionOnly":
        return {**raw, "Amount": Decimal(raw.get("Amount", 0))}, None
    if detail_type != "SalesItemLineDetail":
        raise fault(UNSUPPORTED, f"Line DetailType {detail_type} is not modelled by the "
                    "QuickBooks simulator", element="DetailType")
    detail = required(raw.get("SalesItemLineDetail"), f"Line[{index}].SalesItemLineDetail")
    amount = money(Decimal(required(raw.get("Amount"), "Line.Amount")))
    quantity = Decimal(detail.get("Qty", 1))
    item = resolve(company, "Item", detail.get("ItemRef") or {"value": "1"}, "ItemRef")
    if "UnitPrice" in detail and money(quantity * Decimal(detail["UnitPrice"])) != amount:
        raise fault(AMOUNT, f"Amount is not equal to Qty * UnitPrice. Supplied value:{amount}",
                    element="Amount")
    tax_code = resolve(company, "TaxCode", detail.get("TaxCodeRef"), "TaxCodeRef")
    line = {**raw, "Amount": amount, "SalesItemLineDetail": {
        **detail, "ItemRef": ref_to(item), "Qty": quantity, "TaxCodeRef": ref_to(tax_code)}}
    return line, tax_code["Id"]


def _rate(company: Company, tax_code_id: str) -> tuple[Entity, Decimal]:
    code = company.table("TaxCode")[tax_code_id]
    details = code["SalesTaxRateList"]["TaxRateDetail"]
    rate = company.table("TaxRate")[details[0]["TaxRateRef"]["value"]]
    return rate, Decimal(rate["RateValue"])


def _taxes(company: Company, net_by_code: dict[str, Decimal], calculation: str,
           stated: Any) -> tuple[list[Entity], Decimal]:
    lines: list[Entity] = []
    total = ZERO
    for code_id, amount in net_by_code.items():
        rate, percent = _rate(company, code_id)
        if calculation == "TaxInclusive":
            tax = money(amount * percent / (Decimal(100) + percent))
            taxable = amount - tax
        else:
            tax, taxable = money(amount * percent / Decimal(100)), amount
        total += tax
        lines.append({"Amount": tax, "DetailType": "TaxLineDetail", "TaxLineDetail": {
            "TaxRateRef": {"value": rate["Id"]}, "PercentBased": True, "TaxPercent": percent,
            "NetAmountTaxable": taxable}})
    if isinstance(stated, dict) and "TotalTax" in stated:
        stated_total = money(Decimal(stated["TotalTax"]))
        if lines:
            lines[-1]["Amount"] = Decimal(lines[-1]["Amount"]) + stated_total - total
        total = stated_total
    return lines, total


def _doc_number(company: Company, name: str, element: dict[str, Any],
                existing: Entity | None) -> str:
    number = element.get("DocNumber") or (existing or {}).get("DocNumber")
    if not number:
        taken = {e.get("DocNumber") for e in company.table(name).values()}
        number = next(str(n) for n in range(1001, 10**7) if str(n) not in taken)
    clash = next((e for e in company.table(name).values()
                  if e.get("DocNumber") == number and e["Id"] != (existing or {}).get("Id")),
                 None)
    if clash is not None and company.settings.unique_doc_numbers:
        raise fault(DUPLICATE_NUMBER, "Duplicate Document Number Error : You must specify a "
                    "different number. This number has already been used. "
                    f"DocNumber={number} is assigned to TxnType={TXN_TYPE_NAMES[name]} with "
                    f"TxnId={clash['Id']}", element="DocNumber")
    return str(number)


def build(kind: SalesKind, company: Company, element: dict[str, Any],
          existing: Entity | None) -> Entity:
    raw_lines = required(element.get("Line"), "Line")
    entity: Entity = {key: value for key, value in element.items()
                      if key not in ("Line", "TxnTaxDetail")}
    customer = optional(company, "Customer", element.get("CustomerRef"), "CustomerRef")
    if kind.customer_required and customer is None:
        required(None, "CustomerRef")
    if customer is not None:
        entity["CustomerRef"] = ref_to(customer, "DisplayName")
    if kind.keeps_balance:  # what is owed is kept on an A/R account
        entity["ARAccountRef"] = ref_to(receivable_account(company, element.get("ARAccountRef")))
    _deposit_account(kind, company, element, entity)
    method = optional(company, "PaymentMethod", element.get("PaymentMethodRef"),
                      "PaymentMethodRef")
    if method is not None:
        entity["PaymentMethodRef"] = ref_to(method)
    calculation = element.get("GlobalTaxCalculation", "TaxExcluded")
    lines: list[Entity] = []
    net_by_code: dict[str, Decimal] = {}
    subtotal = ZERO
    for index, raw in enumerate(raw_lines):
        line, code = _line(company, raw, index)
        if not line:
            continue
        lines.append({**line, "LineNum": len(lines) + 1, "Id": str(len(lines) + 1)})
        subtotal += line["Amount"]
        if code is not None and calculation != "NotApplicable":
            net_by_code[code] = net_by_code.get(code, ZERO) + line["Amount"]
    tax_lines, total_tax = _taxes(company, net_by_code, calculation, element.get("TxnTaxDetail"))
    lines.append({"Amount": subtotal, "DetailType": "SubTotalLineDetail",
                  "SubTotalLineDetail": {}})
    total = subtotal if calculation == "TaxInclusive" else subtotal + total_tax
    entity.update(Line=lines, TxnTaxDetail={"TotalTax": total_tax, "TaxLine": tax_lines},
                  TotalAmt=total, GlobalTaxCalculation=calculation,
                  TxnDate=element.get("TxnDate", company.today().isoformat()),
                  DocNumber=_doc_number(company, kind.name, element, existing),
                  CurrencyRef={"value": company.settings.currency, "name": ""})
    paid = (existing["TotalAmt"] - existing["Balance"]) if existing and kind.keeps_balance \
        else ZERO
    entity["Balance"] = total - paid if kind.keeps_balance else ZERO
    if kind.keeps_balance and entity["Balance"] < 0:
        raise fault(BUSINESS, "Business Validation Error: the new total is below what has "
                    "already been paid or applied", element="Line")
    return entity


def _deposit_account(kind: SalesKind, company: Company, element: dict[str, Any],
                     entity: Entity) -> None:
    if kind.deposit_account == "none":
        return
    ref = element.get("DepositToAccountRef")
    if ref is None and kind.deposit_account == "required":
        required(None, "DepositToAccountRef")
    account = resolve(company, "Account", ref, "DepositToAccountRef") if ref else \
        undeposited_funds(company)
    if account["AccountType"] not in DEPOSIT_TYPES:
        raise fault(BUSINESS, "Business Validation Error: DepositToAccountRef must be a bank "
                    "or other current asset account", element="DepositToAccountRef")
    entity["DepositToAccountRef"] = ref_to(account)


def move_stock(kind: SalesKind, company: Company, entity: Entity, sign: int) -> None:
    """Apply (``sign`` 1) or undo (-1) what the document does to tracked stock."""
    for line in entity.get("Line", []):
        detail = line.get("SalesItemLineDetail")
        if not detail:
            continue
        item = company.get("Item", detail["ItemRef"]["value"])
        if item is not None and item.get("TrackQtyOnHand"):
            item["QtyOnHand"] = Decimal(item.get("QtyOnHand", 0)) + \
                kind.stock_sign * sign * Decimal(detail.get("Qty", 1))


def void(company: Company, entity: Entity) -> None:
    """What voiding leaves: the document with every amount at zero."""
    for line in entity["Line"]:
        line["Amount"] = ZERO
        detail = line.get("SalesItemLineDetail")
        if detail:
            detail["Qty"] = ZERO
    entity["TxnTaxDetail"] = {"TotalTax": ZERO, "TaxLine": []}
    entity["TotalAmt"] = entity["Balance"] = ZERO
    entity["PrivateNote"] = "Voided"
