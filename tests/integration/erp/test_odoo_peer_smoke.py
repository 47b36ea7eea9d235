"""The real Odoo 17 and 19 answer as the Odoo connector will use them.

Each version's server serves a copy of the seeded template (``odoo_peer``, one per module
and version): its version, JSON-RPC with the admin's password and with the API key (and a
wrong key refused), JSON-2 from 19 on, a till's sale invoiced and paid as the connector
posts one, a plain journal entry, and a stop and start that keeps the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from support.odoo_peer import OdooPeer, OdooRpcError

SALE_TAXES = [["type_tax_use", "=", "sale"], ["amount_type", "=", "percent"]]
TILL_JOURNALS = {"INV": "sale", "MISC": "general", "CSH1": "cash", "BNK1": "bank"}


def signed_in(peer: OdooPeer, secret: str) -> Callable[..., Any]:
    """``object.execute_kw`` as the admin, who signs in once with ``secret`` (the password
    or the API key; Odoo takes about a third of a second to check either)."""
    uid = peer.rpc("common", "authenticate", peer.database, peer.login, secret, {})
    assert uid, "Odoo refused the admin's credentials"

    def call(model: str, method: str, *args: Any, **named: Any) -> Any:
        return peer.rpc("object", "execute_kw", peer.database, uid, secret, model, method,
                        list(args), named)
    return call


def json2(peer: OdooPeer, model: str, method: str, *, key: str, **body: Any) -> httpx.Response:
    return httpx.post(f"{peer.url}/json/2/{model}/{method}", json=body, timeout=60, headers={
        "Authorization": f"bearer {key}", "X-Odoo-Database": peer.database})


def test_version_info_names_the_version(odoo_peer: OdooPeer) -> None:
    reply = httpx.post(f"{odoo_peer.url}/web/webclient/version_info", timeout=30,
                       json={"jsonrpc": "2.0", "method": "call", "params": {}})
    info = reply.json()["result"]
    assert info["server_serie"] == f"{odoo_peer.version}.0"
    assert info["server_version_info"][0] == int(odoo_peer.version)


@pytest.mark.parametrize("secret", ["password", "api_key"])
def test_jsonrpc_reads_the_seeded_taxes_and_journals(odoo_peer: OdooPeer, secret: str) -> None:
    """One sale tax per rate the till uses (the connector refuses a rate with several)."""
    call = signed_in(odoo_peer, getattr(odoo_peer, secret))
    taxes = call("account.tax", "search_read", SALE_TAXES, fields=["amount"])
    assert sorted(tax["amount"] for tax in taxes) == [0, 8, 15, 20]
    journals = call("account.journal", "search_read", [], fields=["code", "type"])
    assert {j["code"]: j["type"] for j in journals}.items() >= TILL_JOURNALS.items()
    assert call("res.partner", "search_count", [["name", "=", "Walk-in customer"]]) == 1


def test_jsonrpc_refuses_a_wrong_key_as_access_denied(odoo_peer: OdooPeer) -> None:
    """What the connector takes for refused credentials (retried, never dead-lettered)."""
    assert odoo_peer.rpc("common", "authenticate", odoo_peer.database, odoo_peer.login,
                         "not-the-key", {}) is False
    [admin] = signed_in(odoo_peer, odoo_peer.api_key)("res.users", "search",
                                                       [["login", "=", odoo_peer.login]])
    with pytest.raises(OdooRpcError, match=r"^odoo\.exceptions\.AccessDenied: "):
        odoo_peer.rpc("object", "execute_kw", odoo_peer.database, admin, "not-the-key",
                      "account.tax", "search_read", [[]], {"fields": ["amount"]})


@pytest.mark.parametrize("odoo_peer", ["19"], indirect=True)
def test_json2_reads_with_the_api_key(odoo_peer: OdooPeer) -> None:
    taxes = json2(odoo_peer, "account.tax", "search_read", key=odoo_peer.api_key,
                  domain=SALE_TAXES, fields=["amount"])
    assert taxes.status_code == 200, taxes.text
    assert sorted(tax["amount"] for tax in taxes.json()) == [0, 8, 15, 20]
    journals = json2(odoo_peer, "account.journal", "search_read", key=odoo_peer.api_key,
                     domain=[], fields=["code", "type"])
    assert {j["code"]: j["type"] for j in journals.json()}.items() >= TILL_JOURNALS.items()
    refused = json2(odoo_peer, "account.tax", "search_read", key="not-the-key", domain=[])
    assert refused.status_code == 401


@pytest.mark.parametrize("odoo_peer", ["17"], indirect=True)
def test_odoo_17_has_no_json2(odoo_peer: OdooPeer) -> None:
    """So the connector speaks JSON-RPC to Odoo before 19."""
    reply = json2(odoo_peer, "account.tax", "search_read", key=odoo_peer.api_key, domain=[])
    assert reply.status_code == 404


def test_a_till_sale_is_invoiced_and_paid_in_cash_and_by_card(odoo_peer: OdooPeer) -> None:
    """What the connector's posting of a sale needs is in the template: the taxes of its
    rates, the walk-in customer, a cash and a bank journal for the tenders."""
    call = signed_in(odoo_peer, odoo_peer.api_key)
    taxes = {t["amount"]: t["id"] for t in call("account.tax", "search_read", SALE_TAXES,
                                                 fields=["amount"])}
    journals = {j["code"]: j["id"] for j in call("account.journal", "search_read", [],
                                                  fields=["code"])}
    [walk_in] = call("res.partner", "search", [["name", "=", "Walk-in customer"]])
    today = dt.date.today().isoformat()
    lines = [("COFFEE", 2, 2.5, 8), ("MUG", 1, 10.0, 20)]
    [invoice] = call("account.move", "create", [{
        "move_type": "out_invoice", "partner_id": walk_in, "invoice_date": today,
        "ref": "sale:R1-000001", "invoice_origin": "R1-000001",
        "invoice_line_ids": [[0, 0, {"name": f"R1-000001 {sku}", "quantity": quantity,
                                     "price_unit": price, "tax_ids": [[6, 0, [taxes[rate]]]]}]
                             for sku, quantity, price, rate in lines]}])
    call("account.move", "action_post", [invoice])
    for journal, amount in (("CSH1", 5.0), ("BNK1", 12.4)):
        [wizard] = call("account.payment.register", "create", [{
            "amount": amount, "journal_id": journals[journal], "payment_date": today,
            "communication": f"sale:R1-000001 payment {journal}"}],
            context={"active_model": "account.move", "active_ids": [invoice]})
        call("account.payment.register", "action_create_payments", [wizard])
    [posted] = call("account.move", "read", [invoice],
                    fields=["state", "amount_total", "amount_tax", "payment_state"])
    assert (posted["state"], posted["amount_tax"], posted["amount_total"]) == ("posted", 2.4, 17.4)
    assert posted["payment_state"] == "paid"


def test_a_plain_entry_posts_on_the_generic_charts_accounts(odoo_peer: OdooPeer) -> None:
    """A shift's cash shortfall, as the connector books what is not a sale: the admin may
    post entries through the API on both versions (17 without its full accounting
    group), and the cash account exists (on 19 from the seeded cash journal)."""
    call = signed_in(odoo_peer, odoo_peer.api_key)
    accounts = {a["code"]: a["id"] for a in call(
        "account.account", "search_read", [["code", "in", ["101501", "642000"]]],
        fields=["code"])}
    [misc] = call("account.journal", "search", [["code", "=", "MISC"]])
    [entry] = call("account.move", "create", [{
        "move_type": "entry", "ref": "shift:1 close", "journal_id": misc,
        "date": dt.date.today().isoformat(),
        "line_ids": [[0, 0, {"account_id": accounts["642000"], "name": "over_short",
                             "debit": 0.5, "credit": 0}],
                     [0, 0, {"account_id": accounts["101501"], "name": "tender:cash",
                             "debit": 0, "credit": 0.5}]]}])
    call("account.move", "action_post", [entry])
    assert call("account.move", "read", [entry], fields=["state"])[0]["state"] == "posted"


def test_stop_and_start_keep_the_port_and_the_data(odoo_peer: OdooPeer) -> None:
    [partner] = signed_in(odoo_peer, odoo_peer.api_key)(
        "res.partner", "create", [{"name": "Kept across a restart"}])
    url = odoo_peer.url
    odoo_peer.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{url}/web/webclient/version_info", json={}, timeout=5)
    odoo_peer.start()
    assert odoo_peer.url == url
    assert signed_in(odoo_peer, odoo_peer.api_key)("res.partner", "read", [partner],
                                                   fields=["name"]) == [
        {"id": partner, "name": "Kept across a restart"}]
