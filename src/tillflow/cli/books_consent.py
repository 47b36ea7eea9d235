"""What ``tillflow connect xero|quickbooks`` does once its options are read: the consent
in a browser, the organisation it reaches, and the connection stored. Kept apart from the
commands so that ``tillflow --help`` does not load the connectors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tillflow.connectors.common.loopback import App, Consent, obtain_consent
from tillflow.connectors.common.oauth2 import OAuthEndpoint
from tillflow.connectors.quickbooks import factory as quickbooks
from tillflow.connectors.xero import factory as xero
from tillflow.connectors.xero.client import REAL_API as XERO_API
from tillflow.connectors.xero.tenants import reached_tenants
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.services import connections
from tillflow.services.context import ServiceContext

Opener = Callable[[str], object]


def books_app(platform: str, *, client_id: str, client_secret: str,
              token_url: str | None, authorize_url: str | None) -> App:
    """The OAuth app of ``platform``'s books, at the real addresses unless told others."""
    if platform == "xero":
        return App(authorize_url or xero.REAL_AUTHORIZE_URL,
                   OAuthEndpoint(token_url=token_url or xero.REAL_TOKEN_URL,
                                 client_id=client_id, client_secret=client_secret),
                   client_id, xero.SCOPES, pkce=True)
    # Intuit documents no PKCE for its confidential apps: state and the secret guard it.
    return App(authorize_url or quickbooks.REAL_AUTHORIZE_URL,
               OAuthEndpoint(token_url=token_url or quickbooks.REAL_TOKEN_URL,
                             client_id=client_id, client_secret=client_secret),
               client_id, quickbooks.SCOPES, pkce=False)


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
