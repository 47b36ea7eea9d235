"""The WooCommerce REST API v3 over HTTP (consumer key and secret, HTTP Basic over TLS).

Timeouts, 429 and 5xx become ``Retryable`` (with ``Retry-After`` when sent); other
WP_Error answers become ``Rejected`` with WooCommerce's code and message.
"""

from __future__ import annotations

from typing import Any

import httpx

from tillflow.connectors.common.http import retry_after
from tillflow.ports.commerce import Rejected, Retryable

PREFIX = "/wp-json/wc/v3"


class WooClient:
    def __init__(self, shop_url: str, consumer_key: str, consumer_secret: str, *,
                 timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=shop_url.rstrip("/") + PREFIX, timeout=timeout,
                                  auth=(consumer_key, consumer_secret), transport=transport)

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
             json: Any = None) -> Any:
        try:
            response = self._http.request(method, path, params=params, json=json)
        except httpx.TimeoutException as exc:
            raise Retryable(f"WooCommerce timed out: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise Retryable(f"WooCommerce unreachable: {type(exc).__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise Retryable(f"WooCommerce answered {response.status_code}",
                            retry_after=retry_after(response.headers))
        if response.status_code >= 400:
            raise Rejected(f"WooCommerce answered {response.status_code}: {_error(response)}")
        return response.json()

    def close(self) -> None:
        self._http.close()



def _error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return f"{body.get('code')}: {body.get('message')}"
    return str(body)[:200]
