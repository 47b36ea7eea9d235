"""Vendure's GraphQL APIs over HTTP.

The Admin API is called with an API key in the ``vendure-api-key`` header (Vendure 3.6+
with ``'api-key'`` among its token methods) or, for provisioning, a bearer token from the
``login`` mutation. Timeouts, 429 and 5xx become ``Retryable``; GraphQL errors become
``Rejected`` with Vendure's code, except ``INTERNAL_SERVER_ERROR`` and database lock
errors, which are retried.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from tillflow.connectors.common.http import transport_failure
from tillflow.ports.commerce import Rejected, Retryable

API_KEY_HEADER = "vendure-api-key"
TRANSIENT_CODES = frozenset({"INTERNAL_SERVER_ERROR"})


class VendureClient:
    def __init__(self, shop_url: str, *, api_key: str | None = None, path: str = "/admin-api",
                 channel_token: str | None = None, timeout: float = 10.0,
                 verify: ssl.SSLContext | bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers[API_KEY_HEADER] = api_key
        if channel_token:  # a channel other than the default one
            headers["vendure-token"] = channel_token
        self._http = httpx.Client(base_url=shop_url.rstrip("/"), timeout=timeout,
                                  transport=transport, headers=headers, verify=verify)
        self._path = path

    def execute(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = self._http.post(self._path, json={"query": query,
                                                         "variables": dict(variables or {})})
        except httpx.TransportError as exc:
            raise transport_failure("Vendure", str(self._http.base_url), exc) from exc
        data = _read(response)
        token = response.headers.get("vendure-auth-token")
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        return data

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> VendureClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read(response: httpx.Response) -> dict[str, Any]:
    if response.status_code == 429 or response.status_code >= 500:
        raise Retryable(f"Vendure answered {response.status_code}")
    if response.status_code in (401, 403):
        raise Rejected(f"Vendure refused the credentials ({response.status_code})")
    try:  # money is integers; rates and any other fraction stay exact
        body = json.loads(response.text, parse_float=Decimal)
    except ValueError:
        raise Rejected(f"Vendure answered {response.status_code} without JSON") from None
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        first = errors[0]
        code = (first.get("extensions") or {}).get("code")
        message = f"Vendure GraphQL error {code}: {first.get('message')}"
        if code in TRANSIENT_CODES or "SQLITE_BUSY" in str(first.get("message")):
            raise Retryable(message)
        raise Rejected(message)
    if response.status_code != 200 or not isinstance(body.get("data"), dict):
        raise Rejected(f"Vendure answered {response.status_code}")
    data: dict[str, Any] = body["data"]
    return data


def result(data: Mapping[str, Any], field: str) -> Any:
    """A mutation's result, with Vendure's error results (``errorCode``) refused."""
    value = data[field]
    if isinstance(value, dict) and value.get("errorCode"):
        raise Rejected(f"Vendure refused {field}: {value['errorCode']}: {value.get('message')}")
    return value
