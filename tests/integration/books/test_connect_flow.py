"""``tillflow connect xero|quickbooks``: consent in a browser answered on a loopback
callback, against the simulators' consent pages and token endpoints."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from support.api import Api
from support.erp_day import later, open_store, run_worker, sell
from support.live_server import free_port
from support.saas_books import Books, company_in_usd, in_usd
from tillflow.cli.books_consent import connect_books
from tillflow.connectors.common.loopback import App, ConsentRefused
from tillflow.connectors.common.oauth2 import OAuthEndpoint
from tillflow.connectors.quickbooks.factory import SCOPES as QUICKBOOKS_SCOPES
from tillflow.connectors.xero.factory import SCOPES as XERO_SCOPES
from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import ErpRejected
from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.simulator import XeroSimulator

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CASH = [{"method": "cash", "amount": "20.00"}]


@pytest.fixture(params=["xero", "quickbooks"])
def registered(request: pytest.FixtureRequest) -> Iterator[tuple[Books, str]]:
    """Books whose app registered a loopback redirect URI, and that URI."""
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    sim: XeroSimulator | QuickBooksSimulator
    if request.param == "xero":
        sim = XeroSimulator(rate_limits=RateLimits.unlimited(), redirect_uris=(redirect,),
                            organisation=in_usd())
    else:
        sim = QuickBooksSimulator(throttles=Throttles.unlimited(), redirect_uris=(redirect,),
                                  company=company_in_usd())
    sim.start()
    try:
        yield Books(str(request.param), sim), redirect
    finally:
        sim.stop()


def _app(books: Books, *, secret: str | None = None) -> App:
    client = books.sim.client
    return App(books.sim.authorize_url,
               OAuthEndpoint(token_url=books.sim.token_url, client_id=client.client_id,
                             client_secret=secret or client.client_secret),
               client.client_id, XERO_SCOPES if books.platform == "xero" else QUICKBOOKS_SCOPES,
               pkce=books.platform == "xero")


def browser(url: str) -> None:
    """The user's browser: consents on the page and follows it back to the callback."""
    threading.Thread(target=lambda: httpx.get(url, follow_redirects=True, timeout=10),
                     daemon=True).start()


def _connect(api: Api, books: Books, redirect: str, **settings: Any) -> None:
    chosen = books.settings(posting="sale")
    chosen.pop("tenant_id", None)
    chosen.pop("realm_id", None)
    connect_books(api.ctx, platform=books.platform, name="books", app=_app(books),
                  redirect_uri=redirect, settings={**chosen, **settings},
                  client_secret=books.sim.client.client_secret, open_page=browser,
                  timeout=30)


def test_a_consent_makes_a_connection_that_posts(api: Api,
                                                 registered: tuple[Books, str]) -> None:
    books, redirect = registered
    _connect(api, books, redirect)
    view = api.ok(api.get("/connections/books"))
    organisation = "tenant_id" if books.platform == "xero" else "realm_id"
    assert view["settings"][organisation] == (
        books.xero.tenant_id if books.platform == "xero" else books.qbo.realm_id)
    assert api.ok(api.post("/connections/books/check"))["ok"] is True
    open_store(api)
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)


def test_connecting_again_renews_a_revoked_consent(api: Api,
                                                   registered: tuple[Books, str]) -> None:
    books, redirect = registered
    _connect(api, books, redirect)
    open_store(api)
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    run_worker(api.ctx)
    grants = books.sim.state.identity.grants
    for consent in grants.consents():
        grants.revoke_consent(consent.consent_id)
    books.expire_access_tokens()
    sell(api, [{"sku": "B", "quantity": 1}], CASH)
    run_worker(api.ctx)
    assert api.ok(api.get("/erp/books/health"))["state"] == "failing"
    _connect(api, books, redirect)
    run_worker(later(api.ctx, timedelta(hours=1)))
    assert api.ok(api.get("/erp/books/health"))["state"] == "ok"
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)


def test_a_wrong_client_secret_or_unregistered_redirect_is_refused(
        api: Api, registered: tuple[Books, str]) -> None:
    books, redirect = registered
    settings = books.settings(posting="sale")
    with pytest.raises(ErpRejected, match="client id or secret"):
        connect_books(api.ctx, platform=books.platform, name="books",
                      app=_app(books, secret="wrong"), redirect_uri=redirect,
                      settings=settings, client_secret="wrong", open_page=browser, timeout=10)
    other = f"http://127.0.0.1:{free_port()}/callback"
    with pytest.raises(ConsentRefused):
        connect_books(api.ctx, platform=books.platform, name="books", app=_app(books),
                      redirect_uri=other, settings=settings,
                      client_secret=books.sim.client.client_secret, open_page=browser,
                      timeout=2)
    assert api.get("/connections/books").status_code == 404


@pytest.mark.parametrize("registered", ["xero"], indirect=True)
def test_a_tenant_the_consent_does_not_reach_is_named(api: Api,
                                                      registered: tuple[Books, str]) -> None:
    books, redirect = registered
    with pytest.raises(InvalidInput, match="does not reach") as refused:
        _connect(api, books, redirect, tenant_id="00000000-0000-4000-8000-000000000000")
    assert refused.value.details["field"] == "settings.tenant_id"
