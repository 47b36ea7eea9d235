"""Intuit's OAuth 2.0: the consent screen, the token endpoint and revocation.

- ``GET /connect/oauth2`` (appcenter.intuit.com) stands for sign-in and consent: the user
  consents at once and is sent back with ``code``, ``state`` and ``realmId``.
- ``POST /oauth2/v1/tokens/bearer`` (oauth.platform.intuit.com) with the client in HTTP
  Basic: ``authorization_code`` and ``refresh_token`` grants. Access tokens live an hour;
  refresh tokens 8,726,400 s (the ``x_refresh_token_expires_in`` Intuit answers) and
  rotate: each refresh answers a new one and the one presented is refused from then on
  (``{"error": "invalid_grant"}``).
- ``POST /oauth2/v1/tokens/revoke`` with ``{"token": ...}`` ends the consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from tillflow_simulators.common.clock import Clock
from tillflow_simulators.common.forms import form_fields
from tillflow_simulators.common.oauth import (
    Consent,
    GrantStore,
    Lifetimes,
    OAuthError,
    TokenExpired,
    TokenSet,
    TokenUnknown,
    basic_credentials,
)
from tillflow_simulators.quickbooks.errors import authentication_failed, authorization_failed

INTUIT_LIFETIMES = Lifetimes(access=timedelta(hours=1), refresh=timedelta(days=101))
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"


@dataclass
class Identity:
    clock: Clock
    default_realm: str = ""
    grants: GrantStore = field(init=False)

    def __post_init__(self) -> None:
        self.grants = GrantStore(clock=self.clock, lifetimes=INTUIT_LIFETIMES)

    def consent(self, client_id: str, realm_id: str,
                scopes: tuple[str, ...] = (ACCOUNTING_SCOPE,)) -> Consent:
        return self.grants.grant(client_id=client_id, scopes=scopes,
                                 reach={"realm_id": realm_id})

    def bearer(self, header: str | None, realm_id: str) -> Consent:
        """The consent behind ``Authorization: Bearer`` if it reaches ``realm_id``."""
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise authentication_failed("Authorization header missing or malformed")
        try:
            consent = self.grants.consent_for(token.strip())
        except TokenExpired as expired:
            raise authentication_failed(f"Token expired: {token.strip()[:12]}...") from expired
        except TokenUnknown as unknown:
            raise authentication_failed("Token revoked or invalid") from unknown
        if consent.reach.get("realm_id") != realm_id or ACCOUNTING_SCOPE not in consent.scopes:
            raise authorization_failed()
        return consent

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("response_type") != "code":
            return PlainTextResponse("unsupported_response_type", status_code=400)
        try:
            consent = self.consent(query.get("client_id", ""), self.default_realm,
                                   tuple(query.get("scope", "").split()))
            code = self.grants.authorize(
                consent=consent, redirect_uri=query.get("redirect_uri", ""),
                code_challenge=query.get("code_challenge"),
                code_challenge_method=query.get("code_challenge_method", "plain"))
        except OAuthError as error:
            return PlainTextResponse(error.error, status_code=400)
        back = {"code": code, "realmId": self.default_realm}
        if "state" in query:
            back["state"] = query["state"]
        return RedirectResponse(f"{query['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> Response:
        client = basic_credentials(request.headers.get("authorization"))
        if client is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        form = await form_fields(request)
        try:
            tokens = self._grant(form, *client)
        except OAuthError as error:
            return JSONResponse({"error": error.error}, status_code=error.status)
        return JSONResponse(token_answer(tokens))

    def _grant(self, form: dict[str, str], client_id: str, secret: str) -> TokenSet:
        if form.get("grant_type") == "authorization_code":
            return self.grants.exchange_code(
                client_id=client_id, client_secret=secret, code=form.get("code", ""),
                redirect_uri=form.get("redirect_uri", ""),
                code_verifier=form.get("code_verifier"))
        if form.get("grant_type") == "refresh_token":
            return self.grants.refresh(client_id=client_id, client_secret=secret,
                                       refresh_token=form.get("refresh_token", ""))
        raise OAuthError("unsupported_grant_type")

    async def revoke(self, request: Request) -> Response:
        if basic_credentials(request.headers.get("authorization")) is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        token = body.get("token", "") if isinstance(body, dict) else ""
        self.grants.revoke(str(token))
        return Response(status_code=200)


def token_answer(tokens: TokenSet) -> dict[str, Any]:
    return {"token_type": "bearer", "expires_in": tokens.expires_in,
            "refresh_token": tokens.refresh_token,
            "x_refresh_token_expires_in": tokens.refresh_expires_in,
            "access_token": tokens.access_token}
