"""A connection's settings proved against its Tryton, reading only: nothing is written.

In order, each step only if the ones before it passed: the server answers as a Tryton
(its series, asked without a database); the user signs in to the database the URL names;
the modules the settings need are activated (``account_invoice``, and ``stock`` for
counts, shipments and receipts); the user may do what tillflow does (Tryton's model
access); the company keeps its books in the store's currency. Each failure says what to
change, naming the setting or secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from tillflow.connectors.common.erp_tls import CertificateRefused
from tillflow.connectors.tryton.factory import tryton_client
from tillflow.connectors.tryton.rpc import LoginRefused, TrytonClient
from tillflow.ports.accounting import ErpCheck, ErpRejected

TIMEOUT = 10.0
MODULES = {"account_invoice": "invoices and entries", "stock": "counts, shipments and receipts"}
WRITES = ("account.move", "account.invoice", "party.party", "stock.inventory",
          "stock.shipment.out")


class Failed(Exception):
    def __init__(self, check: ErpCheck) -> None:
        super().__init__(check.detail)
        self.check = check


def check_tryton(settings: Mapping[str, Any], secrets: Mapping[str, str], *,
                 currency: str) -> list[ErpCheck]:
    client = tryton_client(settings, secrets, timeout=TIMEOUT)
    done: list[ErpCheck] = []
    try:
        for step in (_series, _sign_in, _modules, _rights, _currency):
            done.append(step(client, settings, currency))
    except Failed as failure:
        done.append(failure.check)
    except CertificateRefused as exc:
        done.append(ErpCheck("reach", False, str(exc), "settings.ca_file"))
    finally:
        client.close()
    return done


def _fail(name: str, detail: str, field: str | None) -> Failed:
    return Failed(ErpCheck(name, False, detail, field))


def _series(client: TrytonClient, _settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    try:
        series = client.series()
    except ErpRejected as exc:
        raise _fail("version", f"no Tryton answers at {client.url}: {exc}",
                    "settings.url") from exc
    return ErpCheck("version", True, f"Tryton {series}")


def _sign_in(client: TrytonClient, settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    named = urlsplit(client.url).path.strip("/").rsplit("/", 1)[-1]
    try:
        client.model("res.user", "get_preferences", True)
    except LoginRefused as exc:
        raise _fail("sign-in", f"{exc}: check the login and password",
                    "secrets.password") from exc
    except ErpRejected as exc:
        if "HTTP 404" in str(exc):
            raise _fail("sign-in", f"Tryton has no database {named!r} (the last part of "
                                   f"settings.url)", "settings.url") from exc
        raise _fail("sign-in", str(exc), "secrets.username") from exc
    if named != settings.get("database"):
        raise _fail("sign-in", f"settings.url names the database {named!r}, "
                               f"settings.database {settings.get('database')!r}",
                    "settings.database")
    return ErpCheck("sign-in", True, f"{client.username} signed in to {named}")


def _modules(client: TrytonClient, _settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    found = client.model("ir.module", "search_read", [("name", "in", sorted(MODULES))],
                         0, None, None, ["name", "state"])
    active = {m["name"] for m in found if m["state"] == "activated"}
    for module, reason in MODULES.items():
        if module not in active:
            raise _fail("modules", f"Tryton's module {module!r} is not activated, and "
                                   f"{reason} need it", "settings.database")
    return ErpCheck("modules", True, f"activated: {', '.join(sorted(active))}")


def _rights(client: TrytonClient, _settings: Mapping[str, Any], _currency: str) -> ErpCheck:
    access = client.model("ir.model.access", "get_access", list(WRITES))
    for model in WRITES:
        if not (access[model]["create"] and access[model]["write"]):
            raise _fail("rights", f"Tryton's user {client.username!r} may not create and "
                                  f"write {model}", "secrets.username")
    return ErpCheck("rights", True, f"{client.username} may do what tillflow does")


def _currency(client: TrytonClient, _settings: Mapping[str, Any], currency: str) -> ErpCheck:
    code, digits = client.currency()
    if code != currency:
        raise _fail("currency", f"Tryton's company keeps its books in {code}, the store "
                                f"sells in {currency}", "settings.database")
    return ErpCheck("currency", True, f"{code}, {digits} decimals")
