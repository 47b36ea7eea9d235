"""The WooCommerce REST API v3 over HTTPS (consumer key and secret in HTTP Basic).

WooCommerce accepts its REST keys over HTTPS only: over plain http it treats the request
as anonymous and answers every route's own 401. Timeouts, 429 and 5xx become
``Retryable`` (with ``Retry-After`` when sent); other WP_Error answers become
``Rejected`` with WooCommerce's code and message. Some controllers return a refusal as
``WP_Error(code, message, 400)``, whose status WordPress then does not find (it reads
``data.status``) and answers with HTTP 500 and ``"data": 400``: the refund controller does
so for every refund it refuses. Such a 500 is a refusal, not a failure to retry.

Amounts are read from the JSON text as ``Decimal`` (WooCommerce writes some, such as a
line's ``price``, as JSON numbers).
"""

from __future__ import annotations

import json
import ssl
from decimal import Decimal
from typing import Any

import httpx

from tillflow.connectors.common.http import retry_after, transport_failure
from tillflow.ports.commerce import Rejected, Retryable

PREFIX = "/wp-json/wc/v3"


class WooClient:
    def __init__(self, shop_url: str, consumer_key: str, consumer_secret: str, *,
                 timeout: float = 10.0, verify: ssl.SSLContext | bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=shop_url.rstrip("/") + PREFIX, timeout=timeout,
                                  auth=(consumer_key, consumer_secret), verify=verify,
                                  transport=transport)

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
             json: Any = None) -> Any:
        try:
            response = self._http.request(method, path, params=params, json=json)
        except httpx.TransportError as exc:
            raise transport_failure("WooCommerce", str(self._http.base_url), exc) from exc
        body = _body(response)
        if response.status_code >= 500 and _refusal(body):
            raise Rejected(f"WooCommerce refused it: {_error(response, body)}")
        if response.status_code == 429 or response.status_code >= 500:
            raise Retryable(f"WooCommerce answered {response.status_code}",
                            retry_after=retry_after(response.headers))
        if response.status_code == 401 and self._http.base_url.scheme == "http":
            raise Rejected("WooCommerce takes its REST keys over HTTPS only and answered 401 "
                           "over plain http: give the shop's https:// address")
        if response.status_code >= 400:
            raise Rejected(f"WooCommerce answered {response.status_code}: "
                           f"{_error(response, body)}")
        if body is None:
            raise Retryable(f"WooCommerce answered {response.status_code} without JSON")
        return body

    def close(self) -> None:
        self._http.close()


def _body(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError:
        return None


def _refusal(body: Any) -> bool:
    """A WooCommerce controller's own WP_Error whose status WordPress could not read."""
    return (isinstance(body, dict) and isinstance(body.get("data"), int)
            and str(body.get("code", "")).startswith("woocommerce_rest_"))


def _error(response: httpx.Response, body: Any) -> str:
    if isinstance(body, dict):
        return f"{body.get('code')}: {body.get('message')}"
    return response.text[:200] if body is None else str(body)[:200]
