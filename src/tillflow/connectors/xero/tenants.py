"""The organisations a Xero consent reaches (``GET /connections`` of the identity API)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tillflow.ports.accounting import ErpUnavailable

TIMEOUT = 15.0


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str


def connections_url(api_url: str) -> str:
    """``https://api.xero.com/connections`` beside ``https://api.xero.com/api.xro/2.0``."""
    return api_url.split("/api.xro/", 1)[0].rstrip("/") + "/connections"


def reached_tenants(api_url: str, access_token: str) -> list[Tenant]:
    try:
        response = httpx.get(connections_url(api_url), timeout=TIMEOUT,
                             headers={"Authorization": f"Bearer {access_token}",
                                      "Accept": "application/json"})
    except httpx.TransportError as exc:
        raise ErpUnavailable(f"Xero unreachable: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise ErpUnavailable(f"Xero answered HTTP {response.status_code} listing the "
                             f"organisations the consent reaches")
    return [Tenant(str(c["tenantId"]), str(c.get("tenantName", "")))
            for c in response.json() if c.get("tenantType", "ORGANISATION") == "ORGANISATION"]
