"""QuickBooks Online's Accounting API v3 over HTTP: the bearer token, the company,
``requestid``, minor version 75.

Every call goes to ``/v3/company/<realm id>`` with the connection's current access
token (a 401 is answered once with a fresh one) and ``minorversion=75``. A write carries a
``requestid`` made from what it sends, so a repeat after a lost answer gets Intuit's first
answer back and creates nothing. Intuit keeps the first answer to a requestid even when
it was a refusal; since a refused request wrote nothing, a refusal is asked once more
with a new random requestid, so a document refused before is judged on the books as they
are now.

Errors are classified once here: unreachable, 5xx and 429 (Intuit sends no
``Retry-After`` and advises a minute) → ``ErpUnavailable``; a company the consent does
not reach (403) → ``ErpUnavailable`` naming the fix; a ``Fault`` → ``ErpRejected`` with
Intuit's own details.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx

from tillflow.connectors.common.pacing import Pacer, shared
from tillflow.ports.accounting import AccessTokens, ErpRejected, ErpUnavailable

REAL_API = "https://quickbooks.api.intuit.com"
MINOR_VERSION = "75"
TIMEOUT = 30.0
SECOND_CALLS = 10  # per company and app (Intuit's throttles)
MINUTE_CALLS = 500  # per company
THROTTLE_WAIT = 60.0
REQUEST_ID_LENGTH = 50


class RealmUnreachable(ErpUnavailable):
    """The consent does not reach the company (403): postings wait for a new one."""


class QuickBooksClient:
    def __init__(self, *, api_url: str, realm_id: str, tokens: AccessTokens,
                 transport: httpx.BaseTransport | None = None,
                 pacer: Pacer | None = None) -> None:
        self.base = f"{api_url.rstrip('/')}/v3/company/{realm_id}"
        self.realm_id = realm_id
        self.tokens = tokens
        self._http = httpx.Client(timeout=TIMEOUT, transport=transport)
        self.pacer = pacer or shared(self.base, (SECOND_CALLS, 1.25),
                                         (MINUTE_CALLS, 61.0))
        self.calls = 0  # calls made, for the benchmark

    def close(self) -> None:
        self._http.close()

    def query(self, text: str) -> list[dict[str, Any]]:
        """The entities a query selects (``select * from Item where Sku = 'A'``)."""
        answer = self._call("GET", "/query", params={"query": text})["QueryResponse"]
        found = [value for key, value in answer.items() if isinstance(value, list)]
        return found[0] if found else []

    def create(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /<entity>`` once: a repeat of the same body is answered, not made again."""
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True)
        request_id = hashlib.sha256(f"{entity} {raw}".encode()).hexdigest()[:40]
        try:
            answer = self._call("POST", f"/{entity.lower()}", content=raw,
                                params={"requestid": request_id})
        except ErpRejected:
            answer = self._call("POST", f"/{entity.lower()}", content=raw,
                                params={"requestid": uuid.uuid4().hex})
        created: dict[str, Any] = answer[entity]
        return created

    def _call(self, method: str, path: str, *, params: dict[str, str],
              content: str | None = None) -> dict[str, Any]:
        query = {**params, "minorversion": MINOR_VERSION}
        response = self._send(method, path, query, content)
        if response.status_code == 401:
            self.tokens.refused(_token_of(response.request))
            response = self._send(method, path, query, content)
        return _answer(response, self.realm_id)

    def _send(self, method: str, path: str, params: dict[str, str],
              content: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens.access_token()}",
                   "Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        self.pacer.wait()
        self.calls += 1
        try:
            return self._http.request(method, self.base + path, params=params, content=content,
                                      headers=headers)
        except httpx.TransportError as exc:
            raise ErpUnavailable(f"QuickBooks unreachable at {self.base}: "
                                 f"{type(exc).__name__}") from exc


def _token_of(request: httpx.Request) -> str:
    return str(request.headers.get("Authorization", "")).removeprefix("Bearer ")


def _answer(response: httpx.Response, realm_id: str) -> dict[str, Any]:
    status = response.status_code
    if status == 200:
        body: dict[str, Any] = response.json()
        if "Fault" in body:
            raise ErpRejected(f"QuickBooks: {_detail(response)}")
        return body
    if status == 429:
        raise ErpUnavailable("QuickBooks throttled the calls (ThrottleExceeded): postings "
                             "wait a minute", retry_after=THROTTLE_WAIT)
    if status >= 500:
        raise ErpUnavailable(f"QuickBooks answered HTTP {status}")
    if status == 401:
        raise ErpUnavailable(f"QuickBooks refused the access token: {_detail(response)}")
    if status == 403:
        raise RealmUnreachable(f"QuickBooks refused company {realm_id}: the consent does not "
                               f"reach it (settings.realm_id), or the app was disconnected: "
                               f"connect again")
    raise ErpRejected(f"QuickBooks: {_detail(response)}")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or f"HTTP {response.status_code}"
    fault = body.get("Fault") or body.get("fault") or {} if isinstance(body, dict) else {}
    errors = fault.get("Error") or fault.get("error") or []
    details = [str(e.get("Detail") or e.get("detail") or e.get("Message")
                   or e.get("message")) for e in errors]
    return "; ".join(details) if details else str(body)[:500]
