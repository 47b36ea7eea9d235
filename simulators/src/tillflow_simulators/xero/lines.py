"""Line items priced as Xero prices them, and the checks Xero makes on each line.

A line's amount is quantity × unit amount less its discount, rounded to the cent; its
tax is the line's rate applied to that amount and rounded per line (``Exclusive``: on
top; ``Inclusive``: the part of the amount that is tax; ``NoTax``: none). A client may
state a line's ``TaxAmount`` itself, and Xero keeps it. Totals are sums of rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tillflow_simulators.xero.books import Books, Record
from tillflow_simulators.xero.values import BadValue, decimal_of, money, unit

ZERO = Decimal("0.00")
# Accounts a sales document may not post a line to.
NOT_FOR_LINES = frozenset({"DEBTORS", "CREDITORS"})


@dataclass
class Priced:
    lines: list[Record] = field(default_factory=list)
    sub_total: Decimal = ZERO
    total_tax: Decimal = ZERO
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.sub_total + self.total_tax


def tax_rate_percent(books: Books, tax_type: str) -> Decimal | None:
    rate = books.tax_rate(tax_type)
    if rate is None or rate["Status"] != "ACTIVE":
        return None
    return sum((c["Rate"] for c in rate["TaxComponents"]), ZERO)


def price_lines(books: Books, raw_lines: list[dict[str, Any]], *, amount_types: str,
                unitdp: int, account_required: bool, bank_lines: bool = False) -> Priced:
    priced = Priced()
    for raw in raw_lines:
        try:
            line = _price_line(books, raw, amount_types=amount_types, unitdp=unitdp,
                               account_required=account_required, bank_lines=bank_lines,
                               errors=priced.errors)
        except BadValue as exc:
            priced.errors.append(str(exc))
            continue
        priced.lines.append(line)
        tax = line.get("TaxAmount", ZERO)
        amount = line.get("LineAmount", ZERO)
        priced.total_tax += tax
        priced.sub_total += amount - tax if amount_types == "Inclusive" else amount
    return priced


def _price_line(books: Books, raw: dict[str, Any], *, amount_types: str, unitdp: int,
                account_required: bool, bank_lines: bool, errors: list[str]) -> Record:
    line: Record = {key: value for key, value in raw.items()
                    if key in ("Description", "ItemCode", "AccountCode", "TaxType", "Tracking",
                               "LineItemID")}
    item = _item_defaults(books, line, errors)
    quantity = decimal_of(raw.get("Quantity", Decimal(1)), "Quantity")
    unit_amount = raw.get("UnitAmount", item.get("UnitPrice") if item else None)
    discount = decimal_of(raw.get("DiscountRate", ZERO), "DiscountRate")
    if unit_amount is not None:
        unit_price = unit(decimal_of(unit_amount, "UnitAmount"), unitdp)
        amount = money(quantity * unit_price * (Decimal(100) - discount) / Decimal(100))
        stated = raw.get("LineAmount")
        if stated is not None and money(decimal_of(stated, "LineAmount")) != amount:
            errors.append(f"The line total {money(decimal_of(stated, 'LineAmount'))} does "
                          f"not match the expected line total {amount}")
        line.update(Quantity=quantity, UnitAmount=unit_price)
    elif "LineAmount" in raw:
        amount = money(decimal_of(raw["LineAmount"], "LineAmount"))
        line["Quantity"] = quantity
    else:
        amount = ZERO
        line["Quantity"] = quantity
    if discount:
        line["DiscountRate"] = discount
    line["LineAmount"] = amount
    _check_account(books, line, account_required=account_required, bank_lines=bank_lines,
                   errors=errors)
    line["TaxAmount"] = _line_tax(books, line, raw, amount=amount, amount_types=amount_types,
                                  errors=errors)
    return line


def _item_defaults(books: Books, line: Record, errors: list[str]) -> dict[str, Any] | None:
    code = line.get("ItemCode")
    if code is None:
        return None
    item = next((i for i in books.table("Items").values() if i["Code"] == code), None)
    if item is None:
        errors.append(f"Item code '{code}' is not valid")
        return None
    sales: dict[str, Any] = item.get("SalesDetails") or {}
    line.setdefault("Description", item.get("Description") or item.get("Name", ""))
    if "AccountCode" in sales:
        line.setdefault("AccountCode", sales["AccountCode"])
    if "TaxType" in sales:
        line.setdefault("TaxType", sales["TaxType"])
    line["Item"] = {"ItemID": item["ItemID"], "Code": code, "Name": item.get("Name", code)}
    return sales


def _check_account(books: Books, line: Record, *, account_required: bool, bank_lines: bool,
                   errors: list[str]) -> None:
    code = line.get("AccountCode")
    if code is None:
        if account_required:
            errors.append("Account code must be specified on every line of an approved "
                          "document")
        return
    account = books.account_by_code(code)
    if account is None or account["Status"] == "DELETED":
        errors.append(f"Account code '{code}' is not a valid code for this document.")
    elif account["Status"] != "ACTIVE":
        errors.append(f"Account code '{code}' has been archived, or has been deleted. "
                      "Each line item must reference a valid account.")
    elif account.get("SystemAccount") in NOT_FOR_LINES or \
            (account["Type"] == "BANK" and not bank_lines):
        errors.append(f"Account code '{code}' is not a valid code for this document.")
    else:
        line["AccountID"] = account["AccountID"]
        line.setdefault("TaxType", account.get("TaxType") or "NONE")


def _line_tax(books: Books, line: Record, raw: dict[str, Any], *, amount: Decimal,
              amount_types: str, errors: list[str]) -> Decimal:
    if amount_types == "NoTax":
        line["TaxType"] = line.get("TaxType", "NONE")
        return ZERO
    tax_type = line.setdefault("TaxType", "NONE")
    rate = tax_rate_percent(books, tax_type)
    if rate is None:
        errors.append(f"The TaxType code {tax_type} does not exist or cannot be used for "
                      "this type of transaction.")
        return ZERO
    if "TaxAmount" in raw:
        return money(decimal_of(raw["TaxAmount"], "TaxAmount"))
    if amount_types == "Inclusive":
        return money(amount * rate / (Decimal(100) + rate))
    return money(amount * rate / Decimal(100))
