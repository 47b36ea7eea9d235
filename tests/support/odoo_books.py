"""Where Odoo books each of tillflow's roles, for comparing Odoo's books with the journal.

The generic chart's accounts, as a fresh Odoo (and the simulator) has them. A tender is
on the account Odoo books its payments on, the outstanding receipts (the connector's
default for tenders in plain entries too); a credit note's refund goes out through the
outbound payment method line, on outstanding payments, where the journal's return says
``tender:<method>`` on the credit side.
"""

from __future__ import annotations

from typing import Any

from support.erp_day import Lines, journal_lines

OUTSTANDING_RECEIPTS = "101403"
OUTSTANDING_PAYMENTS = "101404"
RECEIVABLE = "121000"
ODOO_CODES = {"revenue:0.08": "400000", "revenue:0.2": "400000", "tax:0.08": "251000",
              "tax:0.2": "251000", "tender:cash": OUTSTANDING_RECEIPTS,
              "tender:card": OUTSTANDING_RECEIPTS, "cash_transfer": "101701",
              "over_short": "642000", "cogs": "500000", "inventory": "110100"}


def expected(entry: dict[str, Any], *, sales: str = "invoice") -> Lines:
    """The journal entry's lines in Odoo's accounts, as Odoo books that document."""
    codes = ODOO_CODES
    if entry["kind"] == "return" and sales != "move":
        codes = {role: OUTSTANDING_PAYMENTS if role.startswith("tender:") else code
                 for role, code in codes.items()}
    return journal_lines(entry, codes)
