"""The simulated company: its currency, decimal accuracies, modules, journals' payment
method lines and the accounts Odoo's generic chart gives a shop.

As a fresh Odoo with ``sale_management``, ``stock`` and ``account``: the generic chart,
a sales journal ``INV``, a bank journal ``BNK1`` and a miscellaneous ``MISC``; a cash
journal ``CSH1`` as a shop's accountant adds on 19 (which makes none) and 17 has. Each
cash or bank journal has a *Manual* inbound and outbound payment method line without an
account of its own, so payments land on the chart's outstanding receipts (inbound) and
outstanding payments (outbound) accounts, as the real Odoo books them.
"""

from __future__ import annotations

from typing import Any

from tillflow_simulators.odoo.orm import Database

CURRENCY_DIGITS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
OUTSTANDING_RECEIPTS = "101403"
OUTSTANDING_PAYMENTS = "101404"

# The accounts of Odoo's generic chart that a shop's entries touch.
ACCOUNTS = (("101401", "Bank", "asset_cash"), ("101501", "Cash", "asset_cash"),
            ("101701", "Liquidity Transfer", "asset_current"),
            (OUTSTANDING_RECEIPTS, "Outstanding Receipts", "asset_current"),
            (OUTSTANDING_PAYMENTS, "Outstanding Payments", "asset_current"),
            ("110100", "Stock Valuation", "asset_current"),
            ("121000", "Account Receivable", "asset_receivable"),
            ("251000", "Tax Received", "liability_current"),
            ("400000", "Product Sales", "income"),
            ("500000", "Cost of Goods Sold", "expense_direct_cost"),
            ("600000", "Expenses", "expense"),
            ("642000", "Cash Difference Loss", "expense"))

# Journals: miscellaneous and point of sale, customer invoices (to sales), cash and bank
# (their default accounts are their liquidity accounts).
JOURNALS = (("MISC", "Miscellaneous Operations", "general", None),
            ("POSS", "Point of Sale", "general", None),
            ("INV", "Customer Invoices", "sale", "400000"),
            ("CSH1", "Cash", "cash", "101501"),
            ("BNK1", "Bank", "bank", "101401"))


def seed(db: Database, *, currency: str) -> None:
    db.insert("res.currency", {"name": currency, "decimal_places": db.currency_digits,
                               "rounding": float(1 / 10 ** db.currency_digits)})
    [currency_id] = db.search("res.currency", [["name", "=", currency]])
    db.insert("res.company", {"name": "My Company", "currency_id": [currency_id, currency]})
    product_unit = "Product Unit" if db.major >= 19 else "Product Unit of Measure"
    for name, digits in (("Product Price", db.price_digits), (product_unit, 2)):
        db.insert("decimal.precision", {"name": name, "digits": digits})
    for module in ("base", "account", "sale", "sale_management", "stock"):
        installed = module in db.modules or (module == "sale"
                                             and "sale_management" in db.modules)
        db.insert("ir.module.module", {"name": module,
                                       "state": "installed" if installed else "uninstalled"})
    accounts = {code: db.insert("account.account", {"code": code, "name": name,
                                                    "account_type": kind})
                for code, name, kind in ACCOUNTS}
    for code, name, kind, account in JOURNALS:
        default = accounts[account] if account else None
        journal = db.insert("account.journal", {"code": code, "name": name, "type": kind,
                                                "default_account_id": default})
        if kind in ("cash", "bank"):
            for direction in ("inbound", "outbound"):
                db.insert("account.payment.method.line", {
                    "name": "Manual Payment" if db.major >= 19 else "Manual",
                    "journal_id": [journal, name], "payment_type": direction,
                    "payment_account_id": False})


def outstanding_account(db: Database, journal: dict[str, Any], direction: str) -> int:
    """Where a payment of ``journal`` in ``direction`` is booked: its payment method
    line's account, else the chart's outstanding receipts or payments."""
    for line in db.table("account.payment.method.line").values():
        if line["journal_id"][0] == journal["id"] and line["payment_type"] == direction \
                and line["payment_account_id"]:
            return int(line["payment_account_id"][0])
    code = OUTSTANDING_RECEIPTS if direction == "inbound" else OUTSTANDING_PAYMENTS
    [found] = db.search("account.account", [["code", "=", code]])
    return found
