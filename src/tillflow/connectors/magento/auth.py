"""How a Magento integration signs in: its access token as a bearer token (where the store
allows it: ``oauth/consumer/enable_integration_as_bearer``, off by default since 2.4.4),
or every request signed with OAuth 1.0a, HMAC-SHA256, by oauthlib.

The OAuth signature covers the method, the full URL with its query and a form body (JSON
bodies are not signed), so it is made per request, as httpx sends it.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, cast

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from tillflow.connectors.magento.settings import OAUTH_SECRETS
from tillflow.ports.commerce import Rejected


class OAuth1(httpx.Auth):
    def __init__(self, *, consumer_key: str, consumer_secret: str, access_token: str,
                 access_token_secret: str) -> None:
        self._client = Client(consumer_key, client_secret=consumer_secret,
                              resource_owner_key=access_token,
                              resource_owner_secret=access_token_secret,
                              signature_method=SIGNATURE_HMAC_SHA256)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        form = request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded")
        method = cast("Any", request.method)  # oauthlib types it as a Literal of verbs
        _, headers, _ = self._client.sign(str(request.url), http_method=method,
                                          body=request.content.decode() if form else None,
                                          headers=dict(request.headers) if form else None)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


class Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def auth_from(secrets: Mapping[str, str]) -> httpx.Auth:
    """OAuth 1.0a when the four integration credentials are given, else the bearer token."""
    given = [name for name in OAUTH_SECRETS if secrets.get(name)]
    if len(given) == len(OAUTH_SECRETS):
        return OAuth1(**{name: secrets[name] for name in OAUTH_SECRETS})
    if given == ["access_token"]:
        return Bearer(secrets["access_token"])
    missing = [name for name in OAUTH_SECRETS if name not in given]
    raise Rejected(f"a Magento connection needs access_token alone (bearer) or all of "
                   f"{', '.join(OAUTH_SECRETS)} (OAuth 1.0a); {missing[0]} is missing")
