"""``tillflow connect xero`` and ``tillflow connect quickbooks``: consent in a browser.

The command opens the platform's consent page (and prints its address), waits for the
answer on a loopback redirect URI registered with the app, exchanges the code for tokens
(with PKCE at Xero) and keeps the refresh token as the connection's sealed secret. Run
again for an existing connection, it renews the consent (after a revoked one) and keeps
the settings, changing only those given.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import Annotated, Any

import typer

from tillflow.cli.common import console, fail, free_text, store

REDIRECT_URI = "http://127.0.0.1:8765/callback"
Opener = Callable[[str], object]


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


def _run(platform: str, name: str, *, client_id: str, client_secret: str,
         token_url: str | None, authorize_url: str | None, redirect_uri: str,
         settings: dict[str, Any], no_browser: bool) -> None:
    from tillflow.cli.books_consent import books_app, connect_books
    from tillflow.domain.errors import InvalidInput
    from tillflow.ports.accounting import ErpError

    given = {k: v for k, v in settings.items() if v is not None}
    try:
        with store() as ctx:
            app = books_app(platform, client_id=client_id, client_secret=client_secret,
                            token_url=token_url, authorize_url=authorize_url)
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
    _run("xero", name, client_id=client_id, client_secret=client_secret,
         token_url=token_url, authorize_url=authorize_url, redirect_uri=redirect_uri,
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
    _run("quickbooks", name, client_id=client_id, client_secret=client_secret,
         token_url=token_url, authorize_url=authorize_url, redirect_uri=redirect_uri,
         settings={"accounts": _pairs(account, "--account"),
                   "tax_codes": _pairs(tax_code, "--tax-code"), "posting": posting,
                   "party": party, "api_url": api_url, "token_url": token_url},
         no_browser=no_browser)
