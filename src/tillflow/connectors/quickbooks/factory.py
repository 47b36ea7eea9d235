"""Builds QuickBooks Online's adapters from a connection's settings, secrets and tokens."""

from __future__ import annotations

from tillflow.connectors.common.books_shapes import tax_codes
from tillflow.connectors.common.oauth2 import OAuthEndpoint
from tillflow.connectors.quickbooks.check import check_quickbooks
from tillflow.connectors.quickbooks.client import REAL_API, QuickBooksClient
from tillflow.connectors.quickbooks.items import QuickBooksItems
from tillflow.connectors.quickbooks.postings import QuickBooksPostings
from tillflow.ports.accounting import AccessTokens, ErpCheck
from tillflow.ports.registry import Secrets, Settings

REAL_TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"  # noqa: S105
REAL_AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
SCOPES = ("com.intuit.quickbooks.accounting",)


def quickbooks_endpoint(settings: Settings, secrets: Secrets) -> OAuthEndpoint:
    return OAuthEndpoint(token_url=str(settings.get("token_url") or REAL_TOKEN_URL),
                         client_id=secrets["client_id"], client_secret=secrets["client_secret"])


def quickbooks_client(settings: Settings, tokens: AccessTokens) -> QuickBooksClient:
    return QuickBooksClient(api_url=str(settings.get("api_url") or REAL_API),
                            realm_id=str(settings["realm_id"]), tokens=tokens)


def quickbooks_postings(settings: Settings, _secrets: Secrets,
                      tokens: AccessTokens) -> QuickBooksPostings:
    return QuickBooksPostings(quickbooks_client(settings, tokens),
                            accounts=dict(settings["accounts"]),
                            tax_codes=tax_codes(settings["tax_codes"]),
                            party=settings.get("party"))


def quickbooks_check(settings: Settings, _secrets: Secrets, tokens: AccessTokens,
                     currency: str) -> list[ErpCheck]:
    client = quickbooks_client(settings, tokens)
    try:
        return check_quickbooks(client, settings, currency=currency)
    finally:
        client.close()


def quickbooks_items(settings: Settings, _secrets: Secrets,
                     tokens: AccessTokens) -> QuickBooksItems:
    return QuickBooksItems(quickbooks_client(settings, tokens),
                           accounts=dict(settings["accounts"]))
