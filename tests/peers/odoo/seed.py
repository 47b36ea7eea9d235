"""What a shop's accountant adds to a fresh Odoo before the till posts to it.

``setup.sh`` pipes this file into ``odoo-bin shell -d TEMPLATE``, which runs it with the
template's ``env`` (as the superuser) among its globals and keeps nothing unless it
commits. The same text serves Odoo 17 and 19, and each step adds only what the database
lacks, so it says what the two versions differ in:

- sale taxes of 8 % and 20 % beside Odoo's default 15 %, and a 0 % where the chart has
  none (Odoo 19's has "0% Exports"), each in a tax group of its own as Odoo's are;
- a cash journal, which Odoo 19 does not create (it also creates its cash account);
- the walk-in customer that the till's sales without a customer are invoiced to;
- an API key for the admin user, without expiry, written to the file named by
  ``TILLFLOW_ODOO_API_KEY_FILE`` (in the peer's cache, never in the repository).
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

DEFAULT_RATE = 15  # the generic chart's sale tax, which the others copy
SALE_RATES = (0, 8, 20)
WALK_IN = "Walk-in customer"


def sale_tax_domain(rate: int) -> list[tuple[str, str, object]]:
    return [("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
            ("amount", "=", rate)]


def sale_taxes(env: Any) -> None:
    taxes = env["account.tax"]
    default = taxes.search(sale_tax_domain(DEFAULT_RATE), limit=1)
    if not default:
        raise RuntimeError(f"the chart has no {DEFAULT_RATE} % sale tax to copy")
    for rate in SALE_RATES:
        if taxes.search(sale_tax_domain(rate)):
            continue
        group = env["account.tax.group"].search([("name", "=", f"Tax {rate}%")], limit=1)
        if not group:
            group = default.tax_group_id.copy({"name": f"Tax {rate}%"})
        default.copy({"name": f"{rate}%", "amount": rate, "tax_group_id": group.id})


def cash_journal(env: Any) -> None:
    journals = env["account.journal"]
    if not journals.search([("type", "=", "cash")]):
        journals.create({"name": "Cash", "code": "CSH1", "type": "cash"})


def walk_in_customer(env: Any) -> None:
    partners = env["res.partner"]
    if not partners.search([("name", "=", WALK_IN)]):
        partners.create({"name": WALK_IN, "customer_rank": 1})


def admin_api_key(env: Any) -> str:
    """Odoo 19 asks when the key expires (``None``: never); Odoo 17 does not."""
    keys = env["res.users.apikeys"].with_user(env.ref("base.user_admin"))
    expiry = [None] if "expiration_date" in inspect.signature(keys._generate).parameters else []
    return str(keys._generate(None, "tillflow tests", *expiry))


def seed(env: Any, key_file: Path) -> None:
    sale_taxes(env)
    cash_journal(env)
    walk_in_customer(env)
    key = admin_api_key(env)
    env.cr.commit()
    key_file.write_text(key)


if __name__ == "__main__":  # as odoo-bin shell runs it, with ``env`` among the globals
    seed(globals()["env"], Path(os.environ["TILLFLOW_ODOO_API_KEY_FILE"]))
