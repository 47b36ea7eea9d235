"""Builds Xero's adapters from a connection's settings, secrets and leased tokens."""

from __future__ import annotations

from tillflow.connectors.common.books_shapes import tax_codes
from tillflow.connectors.common.oauth2 import OAuthEndpoint
from tillflow.connectors.xero.check import check_xero
from tillflow.connectors.xero.client import REAL_API, XeroClient
from tillflow.connectors.xero.items import XeroItems
from tillflow.connectors.xero.postings import XeroPostings
from tillflow.ports.accounting import AccessTokens, ErpCheck
from tillflow.ports.registry import Secrets, Settings

REAL_TOKEN_URL = "https://identity.xero.com/connect/token"  # noqa: S105 - an address
REAL_AUTHORIZE_URL = "https://login.xero.com/identity/connect/authorize"
SCOPES = ("openid", "profile", "email", "offline_access", "accounting.transactions",
          "accounting.contacts", "accounting.settings")


def xero_endpoint(settings: Settings, secrets: Secrets) -> OAuthEndpoint:
    return OAuthEndpoint(token_url=str(settings.get("token_url") or REAL_TOKEN_URL),
                         client_id=secrets["client_id"], client_secret=secrets["client_secret"])


def xero_client(settings: Settings, tokens: AccessTokens) -> XeroClient:
    return XeroClient(api_url=str(settings.get("api_url") or REAL_API),
                      tenant_id=str(settings["tenant_id"]), tokens=tokens)


def xero_postings(settings: Settings, _secrets: Secrets, tokens: AccessTokens) -> XeroPostings:
    return XeroPostings(xero_client(settings, tokens), accounts=dict(settings["accounts"]),
                      tax_codes=tax_codes(settings["tax_codes"]), party=settings.get("party"))


def xero_check(settings: Settings, _secrets: Secrets, tokens: AccessTokens,
               currency: str) -> list[ErpCheck]:
    client = xero_client(settings, tokens)
    try:
        return check_xero(client, settings, currency=currency)
    finally:
        client.close()


def xero_items(settings: Settings, _secrets: Secrets, tokens: AccessTokens) -> XeroItems:
    return XeroItems(xero_client(settings, tokens), accounts=dict(settings["accounts"]),
                     tax_codes=tax_codes(settings["tax_codes"]))
