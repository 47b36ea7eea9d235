"""Xero's identity service: the consent screen, tokens, revocation and connections.

- ``GET /identity/connect/authorize`` stands for the login and consent screen: the user
  consents at once and is sent back to ``redirect_uri`` with ``code`` and ``state``. PKCE
  (``code_challenge``, S256 or plain) is honoured.
- ``POST /connect/token``: ``authorization_code`` and ``refresh_token`` grants, the client
  by HTTP Basic or form fields. Access tokens live 30 minutes; refresh tokens 60 days,
  single-use and rotated, with Xero's 30-minute grace in which a spent one answers the
  same new tokens again (for a client that lost the answer). Errors are IdentityServer's
  ``{"error": "invalid_grant"}`` with 400.
- ``POST /connect/revocation`` revokes the consent of a refresh token: its connections
  go, and its tokens stop working.
- ``GET /connections`` lists the organisations a token reaches; ``DELETE
  /connections/{id}`` disconnects one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
from tillflow_simulators.xero.errors import GatewayRefusal, forbidden, unauthorized

XERO_LIFETIMES = Lifetimes(access=timedelta(minutes=30), refresh=timedelta(days=60),
                           refresh_grace=timedelta(minutes=30))
DEFAULT_SCOPES = ("openid", "profile", "email", "offline_access", "accounting.transactions",
                  "accounting.contacts", "accounting.settings")


@dataclass
class Connection:
    connection_id: str
    tenant_id: str
    tenant_name: str
    auth_event_id: str
    created: datetime

    def as_json(self) -> dict[str, Any]:
        stamp = self.created.strftime("%Y-%m-%dT%H:%M:%S.%f0")
        return {"id": self.connection_id, "authEventId": self.auth_event_id,
                "tenantId": self.tenant_id, "tenantType": "ORGANISATION",
                "tenantName": self.tenant_name, "createdDateUtc": stamp,
                "updatedDateUtc": stamp}


@dataclass
class Identity:
    clock: Clock
    grants: GrantStore = field(init=False)
    # tenant id -> organisation name: who the consent screen offers.
    organisations: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.grants = GrantStore(clock=self.clock, lifetimes=XERO_LIFETIMES)

    # -- consents and what they reach --------------------------------------------------

    def consent(self, client_id: str, scopes: tuple[str, ...],
                tenants: list[str] | None = None) -> Consent:
        event = str(uuid.uuid4())
        chosen = list(self.organisations) if tenants is None else tenants
        connections = {}
        for tenant in chosen:
            connection = Connection(str(uuid.uuid4()), tenant, self.organisations[tenant],
                                    event, self.clock.now())
            connections[connection.connection_id] = connection
        return self.grants.grant(client_id=client_id, scopes=scopes,
                                 reach={"connections": connections})

    @staticmethod
    def connections(consent: Consent) -> dict[str, Connection]:
        found: dict[str, Connection] = consent.reach["connections"]
        return found

    def bearer(self, header: str | None) -> Consent:
        """The consent behind ``Authorization: Bearer``, or Xero's 401."""
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise unauthorized()
        try:
            return self.grants.consent_for(token.strip())
        except TokenExpired as expired:
            stamp = expired.expired_at.strftime("%m/%d/%Y %H:%M:%S")
            raise unauthorized(f"TokenExpired: token expired at {stamp}") from expired
        except TokenUnknown as unknown:
            raise unauthorized() from unknown

    def tenant_for(self, consent: Consent, tenant_id: str | None) -> str:
        """The organisation of ``xero-tenant-id``, if the consent is connected to it."""
        if tenant_id and any(c.tenant_id == tenant_id.lower()
                             for c in self.connections(consent).values()):
            return tenant_id.lower()
        raise forbidden()

    # -- HTTP -------------------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("response_type") != "code":
            return PlainTextResponse("unsupported_response_type", status_code=400)
        scopes = tuple(query.get("scope", "").split())
        try:
            consent = self.consent(query.get("client_id", ""), scopes)
            code = self.grants.authorize(
                consent=consent, redirect_uri=query.get("redirect_uri", ""),
                code_challenge=query.get("code_challenge"),
                code_challenge_method=query.get("code_challenge_method", "plain"))
        except OAuthError as error:
            return PlainTextResponse(error.error, status_code=400)
        back = {"code": code, "scope": " ".join(scopes)}
        if "state" in query:
            back["state"] = query["state"]
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return RedirectResponse(f"{query['redirect_uri']}{separator}{urlencode(back)}",
                                status_code=302)

    async def token(self, request: Request) -> Response:
        fields = await form_fields(request)
        client = basic_credentials(request.headers.get("authorization"))
        client_id, secret = client or (fields.get("client_id", ""), fields.get("client_secret"))
        try:
            tokens = self._grant(fields, client_id, secret)
        except OAuthError as error:
            return JSONResponse({"error": error.error}, status_code=400)
        return JSONResponse(token_answer(tokens))

    def _grant(self, fields: dict[str, str], client_id: str, secret: str | None) -> TokenSet:
        grant_type = fields.get("grant_type")
        if grant_type == "authorization_code":
            return self.grants.exchange_code(
                client_id=client_id, client_secret=secret, code=fields.get("code", ""),
                redirect_uri=fields.get("redirect_uri", ""),
                code_verifier=fields.get("code_verifier"))
        if grant_type == "refresh_token":
            return self.grants.refresh(client_id=client_id, client_secret=secret,
                                       refresh_token=fields.get("refresh_token", ""))
        raise OAuthError("unsupported_grant_type")

    async def revoke(self, request: Request) -> Response:
        form = await form_fields(request)
        if basic_credentials(request.headers.get("authorization")) is None and \
                "client_id" not in form:
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        token = form.get("token", "")
        if self.grants.revoke(token):
            for consent in self.grants.consents():
                if consent.revoked:
                    self.connections(consent).clear()
        return Response(status_code=200)

    async def list_connections(self, request: Request) -> Response:
        try:
            consent = self.bearer(request.headers.get("authorization"))
        except GatewayRefusal as refusal:
            return refusal.response()
        return JSONResponse([c.as_json() for c in self.connections(consent).values()])

    async def delete_connection(self, request: Request) -> Response:
        try:
            consent = self.bearer(request.headers.get("authorization"))
        except GatewayRefusal as refusal:
            return refusal.response()
        removed = self.connections(consent).pop(request.path_params["id"], None)
        return Response(status_code=204 if removed else 404)


def token_answer(tokens: TokenSet) -> dict[str, Any]:
    answer: dict[str, Any] = {"access_token": tokens.access_token,
                              "expires_in": tokens.expires_in, "token_type": "Bearer",
                              "refresh_token": tokens.refresh_token,
                              "scope": " ".join(tokens.scopes)}
    if "openid" in tokens.scopes:
        answer["id_token"] = f"id.{tokens.consent_id}"
    return answer
