"""The GraphQL Admin API over HTTP, with Shopify's cost-based throttling honoured.

Every response reports ``extensions.cost.throttleStatus``; the client keeps the last one
and, before the next call, waits until the bucket has refilled enough for the query's
expected cost (bounded, so a worker never stalls for long). A ``THROTTLED`` answer, a
429, a 5xx or a timeout become ``Retryable`` with the wait Shopify implies.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from tillflow.connectors.common.http import retry_after, transport_failure
from tillflow.ports.commerce import Rejected, Retryable

API_VERSION = "2026-10"
# The versions whose schema takes every document the connector sends (a contract test
# checks each against Shopify's own schema); 2025-10 and older have neither @idempotent
# nor changeFromQuantity.
API_VERSIONS = ("2026-01", "2026-04", "2026-07", "2026-10")
MAX_WAIT = 5.0
# A catalog's JSONL runs to megabytes: a 10,000-product file is about 5 MB.
STORAGE_TIMEOUT = 120.0


@dataclass
class Throttle:
    available: float = 2000.0
    maximum: float = 2000.0
    restore_rate: float = 100.0

    def wait_for(self, cost: float) -> float:
        deficit = cost - self.available
        return 0.0 if deficit <= 0 else deficit / max(self.restore_rate, 1.0)


@dataclass
class CostMeter:
    """What the connection spent; read by the metrics."""

    spent: float = 0.0
    throttled: int = 0


class ShopifyClient:
    def __init__(self, shop_url: str, access_token: str, *, api_version: str = API_VERSION,
                 timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep,
                 verify: ssl.SSLContext | bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(
            base_url=shop_url.rstrip("/"), timeout=timeout, transport=transport, verify=verify,
            headers={"X-Shopify-Access-Token": access_token,
                     "Content-Type": "application/json"},
        )
        # Staged uploads and bulk results live on Shopify's file storage, which must never
        # see the access token.
        self._storage = httpx.Client(timeout=STORAGE_TIMEOUT, transport=transport,
                                     verify=verify)
        self._path = f"/admin/api/{api_version}/graphql.json"
        self.sleep = sleep
        self.throttle = Throttle()
        self.meter = CostMeter()

    def execute(self, query: str, variables: Mapping[str, Any] | None = None, *,
                expected_cost: float = 10.0) -> dict[str, Any]:
        self.sleep(min(self.throttle.wait_for(expected_cost), MAX_WAIT))
        try:
            response = self._http.post(self._path, json={"query": query,
                                                         "variables": dict(variables or {})})
        except httpx.TransportError as exc:
            raise transport_failure("Shopify", str(self._http.base_url), exc) from exc
        return self._read(response, expected_cost)

    def _read(self, response: httpx.Response, expected_cost: float) -> dict[str, Any]:
        if response.status_code == 429 or response.status_code >= 500:
            raise Retryable(f"Shopify answered {response.status_code}",
                            retry_after=retry_after(response.headers))
        if response.status_code in (401, 403):
            raise Rejected(f"Shopify refused the credentials ({response.status_code})")
        if response.status_code != 200:
            raise Rejected(f"Shopify answered {response.status_code}")
        # Shopify's money is a string, but rates and any other fraction stay exact too.
        body: dict[str, Any] = json.loads(response.text, parse_float=Decimal)
        self._account(body.get("extensions", {}).get("cost"))
        errors = body.get("errors")
        if errors:
            codes = {e.get("extensions", {}).get("code") for e in errors}
            if "THROTTLED" in codes:
                self.meter.throttled += 1
                raise Retryable("Shopify throttled the query",
                                retry_after=self.throttle.wait_for(expected_cost))
            raise Rejected(f"Shopify GraphQL error: {errors[0].get('message')}")
        data: dict[str, Any] = body["data"]
        return data

    def _account(self, cost: Mapping[str, Any] | None) -> None:
        if not cost:
            return
        status = cost.get("throttleStatus") or {}
        self.throttle = Throttle(available=float(status.get("currentlyAvailable", 0.0)),
                                 maximum=float(status.get("maximumAvailable", 1.0)),
                                 restore_rate=float(status.get("restoreRate", 1.0)))
        self.meter.spent += float(cost.get("actualQueryCost") or 0.0)

    def upload(self, url: str, fields: Mapping[str, str], content: bytes) -> None:
        """Post a file to a staged upload target: its form parameters, then the file."""
        files = {"file": ("variables.jsonl", content, "text/jsonl")}
        response = self._storage_call("POST", url, data=dict(fields), files=files)
        if response.status_code >= 300:
            raise Rejected(f"Shopify's storage refused the upload ({response.status_code})")

    def download(self, url: str) -> str:
        response = self._storage_call("GET", url)
        if response.status_code != 200:
            raise Retryable(f"Shopify's storage answered {response.status_code}")
        return response.text

    def _storage_call(self, method: str, url: str, **options: Any) -> httpx.Response:
        try:
            response = self._storage.request(method, url, **options)
        except httpx.TransportError as exc:
            raise transport_failure("Shopify storage", url, exc) from exc
        if response.status_code >= 500:
            raise Retryable(f"Shopify's storage answered {response.status_code}")
        return response

    def close(self) -> None:
        self._http.close()
        self._storage.close()



def user_errors(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = payload.get("userErrors") or []
    return errors
