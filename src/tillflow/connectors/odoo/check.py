"""A connection's settings proved against its Odoo, reading only: nothing is written.

In order, each step only if the ones before it passed: the server answers as an Odoo
(its version, asked without signing in) of 16 or later, and 19 or later for JSON-2; the
user signs in to the named database; the modules the settings need are installed
(``account``; ``sale_management`` and ``stock`` for sale orders; ``stock`` for mapped
locations or polled receipts); the user may do what tillflow will do (Odoo's access
rights per model and operation); the company keeps its books in the store's currency,
with unit prices to at least its decimals; the journals and accounts the settings name
exist, and a cash journal takes cash tenders. Each failure says what to change, naming
the setting or secret (``settings.database``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.erp_tls import CertificateRefused
from tillflow.connectors.odoo.accounting import DEFAULT_JOURNAL
from tillflow.connectors.odoo.books import OdooBooks
from tillflow.connectors.odoo.client import JSON2, CredentialsRefused, OdooClient, OdooError
from tillflow.connectors.odoo.factory import odoo_client
from tillflow.ports.accounting import SALE_ORDER, SALES_AS, ErpCheck, ErpRejected

MOVE = SALES_AS[1]
OLDEST = 16
JSON2_FROM = 19
TIMEOUT = 10.0
# Rights tillflow uses whatever the settings: entries (drafts it replaces are deleted)
# and the products; for invoices, their payments and the customers' partners.
RIGHTS = (("account.move", "create"), ("account.move", "write"), ("account.move", "unlink"),
          ("product.product", "read"))
INVOICE_RIGHTS = (("account.payment.register", "create"), ("res.partner", "create"))
ORDER_RIGHTS = (("sale.order", "create"), ("sale.advance.payment.inv", "create"),
                ("stock.picking", "write"))
STOCK_RIGHTS = (("stock.quant", "create"),)


class Failed(Exception):
    def __init__(self, check: ErpCheck) -> None:
        super().__init__(check.detail)
        self.check = check


def check_odoo(settings: Mapping[str, Any], secrets: Mapping[str, str], *,
               currency: str) -> list[ErpCheck]:
    """What was proved, up to the first failure (raises ``ErpUnavailable`` if Odoo cannot
    be reached at all)."""
    if not (secrets.get("api_key") or secrets.get("password")):
        return [ErpCheck("sign-in", False, "Odoo needs the secret api_key (or password)",
                         "secrets.api_key")]
    client = odoo_client(settings, secrets, timeout=TIMEOUT)
    done: list[ErpCheck] = []
    try:
        for step in (_version, _sign_in, _modules, _rights, _currency, _journals, _accounts):
            try:
                done.append(step(client, settings, currency))
            except ErpRejected as exc:  # Odoo refused a read the step needed
                raise _fail(step.__name__.strip("_"), str(exc), None) from exc
    except Failed as failure:
        done.append(failure.check)
    except CertificateRefused as exc:
        done.append(ErpCheck("reach", False, str(exc), "settings.ca_file"))
    finally:
        client.close()
    return done


def _fail(name: str, detail: str, field: str | None) -> Failed:
    return Failed(ErpCheck(name, False, detail, field))


def _version(client: OdooClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    try:
        version = client.major_version()
    except OdooError as exc:
        raise _fail("version", f"no Odoo answers at {client.url}: {exc}",
                    "settings.url") from exc
    if version < OLDEST:
        raise _fail("version", f"Odoo {version} is older than {OLDEST}, the oldest tillflow "
                               f"posts to", "settings.url")
    if client.protocol == JSON2 and version < JSON2_FROM:
        raise _fail("version", f"Odoo {version} has no JSON-2 API (it came with "
                               f"{JSON2_FROM}): set protocol to jsonrpc", "settings.protocol")
    return ErpCheck("version", True, f"Odoo {version} over {client.protocol}")


def _sign_in(client: OdooClient, _settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    secret = f"secrets.{client.secret_name}"
    try:
        client.sign_in()
    except CredentialsRefused as exc:
        raise _fail("sign-in", f"{exc}: check the login and its password or API key",
                    secret) from exc
    except OdooError as exc:
        if exc.status == 404 or "does not exist" in str(exc):
            raise _fail("sign-in", f"Odoo at {client.url} has no database "
                                   f"{client.database!r}", "settings.database") from exc
        raise _fail("sign-in", str(exc), secret) from exc
    return ErpCheck("sign-in", True, f"{client.username} signed in to {client.database}")


def needed_modules(settings: Mapping[str, Any]) -> dict[str, str]:
    """Module → what in the settings needs it."""
    needed = {"account": "posting entries and invoices"}
    if settings.get("sales") == SALE_ORDER:
        needed["sale_management"] = "sales as sale orders"
        needed["stock"] = "sales as sale orders (their deliveries)"
    elif settings.get("locations"):
        needed["stock"] = "settings.locations (counts)"
    elif "receipts" in settings.get("poll", ["receipts"]):
        needed["stock"] = "polling goods received (settings.poll)"
    return needed


def _modules(client: OdooClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    needed = needed_modules(settings)
    found = client.call("ir.module.module", "search_read",
                        domain=[["name", "in", sorted(needed)]], fields=["name", "state"])
    installed = {m["name"] for m in found if m["state"] == "installed"}
    for module, reason in needed.items():
        if module not in installed:
            raise _fail("modules", f"Odoo's module {module!r} is not installed, and "
                                   f"{reason} needs it: install it in Odoo's Apps",
                        "settings.database")
    return ErpCheck("modules", True, f"installed: {', '.join(sorted(installed))}")


def _rights(client: OdooClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    rights = list(RIGHTS)
    modules = needed_modules(settings)
    if settings.get("sales") != MOVE:
        rights += INVOICE_RIGHTS
    if settings.get("sales") == SALE_ORDER:
        rights += ORDER_RIGHTS
    if "stock" in modules:
        rights += STOCK_RIGHTS
    for model, operation in rights:
        try:
            allowed = client.call(model, "check_access_rights", operation=operation,
                                  raise_exception=False)
        except OdooError as exc:
            raise _fail("rights", f"Odoo refused {client.username!r} a look at its rights "
                                  f"on {model}: {exc}", "secrets.username") from exc
        if not allowed:
            raise _fail("rights", f"Odoo's user {client.username!r} may not {operation} "
                                  f"{model}: give it the groups of Invoicing (and Sales and "
                                  f"Inventory, as the settings need)", "secrets.username")
    return ErpCheck("rights", True, f"{client.username} may do what tillflow does")


def _currency(client: OdooClient, _settings: Mapping[str, Any], currency: str) -> ErpCheck:
    books = OdooBooks(client)
    kept = books.currency()
    if kept.code != currency:
        raise _fail("currency", f"Odoo's company keeps its books in {kept.code}, the store "
                                f"sells in {currency}", "settings.database")
    if books.price_digits < kept.digits:
        raise _fail("currency", f"Odoo keeps unit prices to {books.price_digits} decimals "
                                f"(decimal accuracy 'Product Price'), fewer than "
                                f"{currency}'s {kept.digits}: raise it in Odoo",
                    "settings.database")
    return ErpCheck("currency", True, f"{kept.code}, {kept.digits} decimals")


def _journals(client: OdooClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    wanted = {"settings.journal": str(settings.get("journal") or DEFAULT_JOURNAL)}
    wanted.update({f"settings.payment_journals.{method}": str(code) for method, code in
                   dict(settings.get("payment_journals") or {}).items()})
    found = client.call("account.journal", "search_read",
                        domain=[["code", "in", sorted(set(wanted.values()))]],
                        fields=["code"])
    codes = {j["code"] for j in found}
    for field, code in wanted.items():
        if code not in codes:
            raise _fail("journals", f"Odoo has no journal with code {code!r}",
                        field.rsplit(".", 1)[0] if "payment_journals" in field else field)
    cash = dict(settings.get("payment_journals") or {}).get("cash")
    if cash is None and not client.call("account.journal", "search_count",
                                        domain=[["type", "=", "cash"]]):
        raise _fail("journals", "Odoo has no cash journal for cash tenders: create one "
                                "(type Cash) or name one in settings.payment_journals",
                    "settings.payment_journals")
    return ErpCheck("journals", True, f"found {', '.join(sorted(codes))}")


def _accounts(client: OdooClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    mapped = dict(settings.get("accounts") or {})
    if not mapped:
        return ErpCheck("accounts", True, "the generic chart's defaults")
    found = client.call("account.account", "search_read",
                        domain=[["code", "in", sorted(set(mapped.values()))]],
                        fields=["code"])
    codes = {a["code"] for a in found}
    for role, code in mapped.items():
        if code not in codes:
            raise _fail("accounts", f"Odoo has no account {code!r} (mapped for {role!r})",
                        "settings.accounts")
    return ErpCheck("accounts", True, f"{len(mapped)} mapped accounts found")
