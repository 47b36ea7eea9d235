"""OAuth 2.0 as Xero and Intuit run it: the authorization code with PKCE, and rotating
refresh tokens.

The client authenticates with HTTP Basic (``client_id:client_secret``) at the token
endpoint, as both document. ``invalid_grant`` is the answer to a spent, expired or
revoked refresh token (or code): the consent must be given again, so it is
``ConsentRevoked``; an endpoint away or failing is ``ErpUnavailable``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx

from tillflow.ports.accounting import ConsentRevoked, ErpRejected, ErpUnavailable, TokenGrant

TIMEOUT = 15.0


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(base: str, *, client_id: str, redirect_uri: str, scopes: tuple[str, ...],
                  state: str, challenge: str | None) -> str:
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": " ".join(scopes), "state": state}
    if challenge is not None:
        query.update(code_challenge=challenge, code_challenge_method="S256")
    return f"{base}?{urlencode(query)}"


class OAuthEndpoint:
    """``TokenEndpoint`` of one app at one token URL."""

    def __init__(self, *, token_url: str, client_id: str, client_secret: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.token_url = token_url
        self._auth = httpx.BasicAuth(client_id, client_secret)
        self._transport = transport

    def refresh(self, refresh_token: str) -> TokenGrant:
        return self._grant({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def exchange(self, *, code: str, redirect_uri: str, verifier: str | None) -> TokenGrant:
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri}
        if verifier is not None:
            form["code_verifier"] = verifier
        return self._grant(form)

    def _grant(self, form: dict[str, str]) -> TokenGrant:
        try:
            with httpx.Client(timeout=TIMEOUT, transport=self._transport) as http:
                response = http.post(self.token_url, data=form, auth=self._auth,
                                     headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise ErpUnavailable(f"the token endpoint {self.token_url} is unreachable: "
                                 f"{exc}") from exc
        body = _json(response)
        if response.status_code == 200 and "access_token" in body:
            return TokenGrant(access_token=str(body["access_token"]),
                              refresh_token=str(body.get("refresh_token")
                                                or form.get("refresh_token", "")),
                              expires_in=int(body.get("expires_in", 1800)))
        error = str(body.get("error", ""))
        if error == "invalid_grant":
            raise ConsentRevoked(f"the token endpoint refused the grant: {error}")
        if error in ("invalid_client", "unauthorized_client"):
            raise ErpRejected(f"the token endpoint refused the app's client id or secret "
                              f"({error}): check secrets.client_id and secrets.client_secret")
        raise ErpUnavailable(f"the token endpoint answered HTTP {response.status_code} "
                             f"{error}".rstrip())


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
