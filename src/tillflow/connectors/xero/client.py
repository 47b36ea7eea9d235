"""Xero's Accounting API over HTTP: the bearer token, the tenant, ``Idempotency-Key``.

Every call names the organisation (``xero-tenant-id``) and carries the connection's
current access token; a 401 is answered once with a fresh token. A write carries an
``Idempotency-Key`` made from what it sends, so a repeat after a lost answer gets Xero's
first answer back and creates nothing. Xero keeps the first answer to a key even when it
was a refusal; since a refused request wrote nothing, a refusal is asked once more with
a new random key, so a document refused before (a locked period since unlocked) is judged on
the books as they are now.

Errors are classified once here: unreachable, 5xx and 429 (with Xero's ``Retry-After``:
the minute's or the day's allowance spent) → ``ErpUnavailable``; a tenant the consent no
longer reaches (403) → ``ErpUnavailable`` naming the fix; a ``ValidationException`` →
``ErpRejected`` with Xero's own messages.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx

from tillflow.connectors.common.http import retry_after
from tillflow.connectors.common.pacing import Pacer, shared
from tillflow.ports.accounting import AccessTokens, ErpRejected, ErpUnavailable

REAL_API = "https://api.xero.com/api.xro/2.0"
TIMEOUT = 30.0
MINUTE_CALLS = 60  # per organisation (Xero's limits page)


class TenantUnreachable(ErpUnavailable):
    """The consent does not reach the organisation (403): postings wait for a new one."""


class XeroClient:
    def __init__(self, *, api_url: str, tenant_id: str, tokens: AccessTokens,
                 transport: httpx.BaseTransport | None = None,
                 pacer: Pacer | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.tenant_id = tenant_id
        self.tokens = tokens
        self._http = httpx.Client(timeout=TIMEOUT, transport=transport)
        self.pacer = pacer or shared(f"{self.api_url} {tenant_id}",
                                         (MINUTE_CALLS, 61.0))
        self.calls = 0  # calls made, for the benchmark's count of the daily allowance

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, **params: str) -> dict[str, Any]:
        return self._call("GET", path, params=params)

    def put(self, path: str, body: dict[str, Any], **params: str) -> dict[str, Any]:
        """Create: ``PUT /Invoices`` with ``{"Invoices": [...]}``."""
        return self._write("PUT", path, body, params)

    def post(self, path: str, body: dict[str, Any], **params: str) -> dict[str, Any]:
        return self._write("POST", path, body, params)

    def _write(self, method: str, path: str, body: dict[str, Any],
               params: dict[str, str]) -> dict[str, Any]:
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True)
        key = "tillflow-" + hashlib.sha256(f"{method} {path} {params} {raw}".encode()).hexdigest()
        try:
            return self._call(method, path, params=params, content=raw, key=key)
        except ErpRejected:
            return self._call(method, path, params=params, content=raw,
                              key=f"tillflow-{uuid.uuid4().hex}")

    def _call(self, method: str, path: str, *, params: dict[str, str],
              content: str | None = None, key: str | None = None) -> dict[str, Any]:
        response = self._send(method, path, params, content, key)
        if response.status_code == 401:
            self.tokens.refused(_token_of(response.request))
            response = self._send(method, path, params, content, key)
        return _answer(response, self.tenant_id)

    def _send(self, method: str, path: str, params: dict[str, str], content: str | None,
              key: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens.access_token()}",
                   "xero-tenant-id": self.tenant_id, "Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        self.pacer.wait()
        self.calls += 1
        try:
            return self._http.request(method, self.api_url + path, params=params or None,
                                      content=content, headers=headers)
        except httpx.TransportError as exc:
            raise ErpUnavailable(f"Xero unreachable at {self.api_url}: "
                                 f"{type(exc).__name__}") from exc


def _token_of(request: httpx.Request) -> str:
    return str(request.headers.get("Authorization", "")).removeprefix("Bearer ")


def _answer(response: httpx.Response, tenant_id: str) -> dict[str, Any]:
    status = response.status_code
    if status == 200:
        body: dict[str, Any] = response.json()
        return body
    if status == 429:
        problem = response.headers.get("X-Rate-Limit-Problem", "minute")
        raise ErpUnavailable(f"Xero's {problem} call limit is spent: postings wait for the "
                             f"next window", retry_after=retry_after(response.headers))
    if status >= 500:
        raise ErpUnavailable(f"Xero answered HTTP {status}",
                             retry_after=retry_after(response.headers))
    if status == 401:
        raise ErpUnavailable(f"Xero refused the access token: {_detail(response)}")
    if status == 403:
        raise TenantUnreachable(f"Xero refused organisation {tenant_id}: the consent does not "
                             f"reach it (settings.tenant_id), or the app was disconnected "
                             f"from it: connect again")
    raise ErpRejected(f"Xero: {_detail(response)}")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return str(body)[:300]
    messages = [error["Message"] for element in body.get("Elements") or []
                for error in element.get("ValidationErrors") or [] if "Message" in error]
    if messages:
        return "; ".join(dict.fromkeys(messages))
    return str(body.get("Message") or body.get("Detail") or body)[:500]
