"""``tillflow connect xero`` and ``tillflow connect quickbooks``: consent in a browser.

The command opens the platform's consent page (and prints its address), waits for the
answer on a loopback redirect URI registered with the app, exchanges the code for tokens
(with PKCE at Xero) and keeps the refresh token as the connection's sealed secret. Run
again for an existing connection, it renews the consent (after a revoked one) and keeps
the settings, changing only those given.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import typer

from tillflow.cli.common import console, fail, free_text, store
from tillflow.connectors.common.loopback import App, Consent, obtain_consent
from tillflow.connectors.common.oauth2 import OAuthEndpoint
from tillflow.connectors.quickbooks import factory as quickbooks
from tillflow.connectors.xero import factory as xero
from tillflow.connectors.xero.client import REAL_API as XERO_API
from tillflow.connectors.xero.tenants import reached_tenants
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.ports.accounting import ErpError
from tillflow.services import connections
from tillflow.services.context import ServiceContext

REDIRECT_URI = "http://127.0.0.1:8765/callback"
Opener = Callable[[str], object]


def connect_books(ctx: ServiceContext, *, platform: str, name: str, app: App,
                  redirect_uri: str, settings: Mapping[str, Any], client_secret: str,
                  open_page: Opener, timeout: float = 300.0) -> connections.ConnectionView:
    """Obtain a consent and store it as connection ``name``'s (made, or renewed)."""
    consent = obtain_consent(app, redirect_uri=redirect_uri, open_page=open_page,
                             timeout=timeout)
    chosen = {**settings, **_organisation(platform, consent, settings)}
    # One refresh now proves the client secret as the workers will use it (an exchange
    # with PKCE does not), and keeps the refresh token it rotates to.
    refreshed = app.endpoint.refresh(consent.grant.refresh_token)
    secrets = {"client_id": app.client_id, "client_secret": client_secret,
               "refresh_token": refreshed.refresh_token}
    try:
        connections.get_connection(ctx, name)
    except NotFound:
        return connections.create_connection(ctx, name=name, platform=platform,
                                             settings=chosen, secrets=secrets)
    return connections.update_connection(ctx, name, settings=chosen or None, secrets=secrets)


def _organisation(platform: str, consent: Consent,
                  settings: Mapping[str, Any]) -> dict[str, str]:
    """The Xero organisation or QuickBooks company the consent reaches."""
    if platform == "quickbooks":
        realm = consent.answer.get("realmId")
        if not realm:
            raise InvalidInput("QuickBooks sent no company (realmId) with the consent",
                               details={"field": "settings.realm_id"})
        return {"realm_id": realm}
    tenants = reached_tenants(str(settings.get("api_url") or XERO_API),
                              consent.grant.access_token)
    wanted = settings.get("tenant_id")
    if wanted is not None:
        if all(t.tenant_id != wanted for t in tenants):
            raise InvalidInput(f"the consent does not reach Xero organisation {wanted}",
                               details={"field": "settings.tenant_id"})
        return {}
    if len(tenants) != 1:
        found = ", ".join(f"{t.tenant_id} ({t.name})" for t in tenants) or "none"
        raise InvalidInput(f"the consent reaches {len(tenants)} Xero organisations: choose "
                           f"one with --tenant-id ({found})",
                           details={"field": "settings.tenant_id"})
    return {"tenant_id": tenants[0].tenant_id}


def _pairs(values: list[str] | None, option: str) -> dict[str, str] | None:
    if not values:
        return None
    pairs = {}
    for value in values:
        key, sep, code = value.partition("=")
        if not sep or not key.strip() or not code.strip():
            fail(f"{option} takes KEY=CODE, not {value!r}", code=2)
        pairs[key.strip()] = code.strip()
    return pairs


def _open(no_browser: bool) -> Opener:
    def show(page: str) -> None:
        console.print(f"Consent to tillflow at:\n{page}", highlight=False, soft_wrap=True)
        if not no_browser:
            webbrowser.open(page)

    return show


Name = Annotated[str, typer.Option(help="Connection name.", callback=free_text)]
ClientId = Annotated[str, typer.Option(help="The app's client id.")]
ClientSecret = Annotated[str, typer.Option(help="The app's client secret.", prompt=True,
                                           hide_input=True)]
Accounts = Annotated[list[str] | None, typer.Option(
    "--account", help="ROLE=CODE, e.g. revenue=200, tender=092, tender:cash=091.")]
TaxCodes = Annotated[list[str] | None, typer.Option(
    "--tax-code", help="RATE=CODE, e.g. 0.20=OUTPUT.")]
Posting = Annotated[str | None, typer.Option(help="sale, shift or day.")]
Party = Annotated[str | None, typer.Option(help="The walk-in customer's name.")]
ApiUrl = Annotated[str | None, typer.Option(help="The API's address (a sandbox's).")]
TokenUrl = Annotated[str | None, typer.Option(help="The token endpoint's address.")]
AuthorizeUrl = Annotated[str | None, typer.Option(help="The consent page's address.")]
RedirectUri = Annotated[str, typer.Option(
    help="The loopback redirect URI registered with the app.")]
NoBrowser = Annotated[bool, typer.Option(help="Only print the consent page's address.")]


def _run(platform: str, name: str, app: App, *, redirect_uri: str, client_secret: str,
         settings: dict[str, Any], no_browser: bool) -> None:
    given = {k: v for k, v in settings.items() if v is not None}
    try:
        with store() as ctx:
            view = connect_books(ctx, platform=platform, name=name, app=app,
                                 redirect_uri=redirect_uri, settings=given,
                                 client_secret=client_secret, open_page=_open(no_browser))
    except (InvalidInput, ErpError, ValueError) as exc:
        fail(str(exc))
    console.print(f"connected {view.name} ({platform}); prove it with "
                  f"`tillflow connection check {view.name}`")


def connect_xero(
    *, name: Name = "xero", client_id: ClientId, client_secret: ClientSecret,
    account: Accounts = None, tax_code: TaxCodes = None, posting: Posting = None,
    tenant_id: Annotated[str | None, typer.Option(help="The organisation, when the "
                                                 "consent reaches several.")] = None,
    party: Party = None, api_url: ApiUrl = None, token_url: TokenUrl = None,
    authorize_url: AuthorizeUrl = None, redirect_uri: RedirectUri = REDIRECT_URI,
    no_browser: NoBrowser = False,
) -> None:
    """Connect Xero's books (OAuth 2.0 in a browser, with PKCE)."""
    token_endpoint = token_url or xero.REAL_TOKEN_URL
    app = App(authorize_url or xero.REAL_AUTHORIZE_URL,
              OAuthEndpoint(token_url=token_endpoint, client_id=client_id,
                            client_secret=client_secret), client_id, xero.SCOPES, pkce=True)
    _run("xero", name, app, redirect_uri=redirect_uri, client_secret=client_secret,
         settings={"accounts": _pairs(account, "--account"),
                   "tax_codes": _pairs(tax_code, "--tax-code"), "posting": posting,
                   "tenant_id": tenant_id, "party": party, "api_url": api_url,
                   "token_url": token_url}, no_browser=no_browser)


def connect_quickbooks(
    *, name: Name = "quickbooks", client_id: ClientId, client_secret: ClientSecret,
    account: Accounts = None, tax_code: TaxCodes = None, posting: Posting = None,
    party: Party = None, api_url: ApiUrl = None, token_url: TokenUrl = None,
    authorize_url: AuthorizeUrl = None, redirect_uri: RedirectUri = REDIRECT_URI,
    no_browser: NoBrowser = False,
) -> None:
    """Connect QuickBooks Online's books (OAuth 2.0 in a browser)."""
    token_endpoint = token_url or quickbooks.REAL_TOKEN_URL
    # Intuit documents no PKCE for its confidential apps: state and the secret guard it.
    app = App(authorize_url or quickbooks.REAL_AUTHORIZE_URL,
              OAuthEndpoint(token_url=token_endpoint, client_id=client_id,
                            client_secret=client_secret), client_id, quickbooks.SCOPES,
              pkce=False)
    _run("quickbooks", name, app, redirect_uri=redirect_uri, client_secret=client_secret,
         settings={"accounts": _pairs(account, "--account"),
                   "tax_codes": _pairs(tax_code, "--tax-code"), "posting": posting,
                   "party": party, "api_url": api_url, "token_url": token_url},
         no_browser=no_browser)
