"""The Magento REST API: ``/rest/<store code>/V1/...``, JSON both ways.

Reads and writes go to the ``all`` scope for the catalog (a store-view scoped write would
leave an override behind on the default store view) and to ``default`` for the rest.

Magento answers an error as ``{"message", "parameters"}`` with ``%1`` or ``%name``
placeholders; the message is filled in and carried in the error, hence in the dead
letter. Its status says what the engine does next: 429, 5xx and no answer at all are
``Retryable``; 400 (a refused input), 401 (the integration's token or signature) and 404
(``NotFound``) are ``Rejected``. Magento has no idempotency keys: writes that must not be
repeated find their earlier effect before they write (see the callers).
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from tillflow.connectors.common.http import retry_after, transport_failure
from tillflow.connectors.magento.auth import Bearer
from tillflow.connectors.magento.wire import encode
from tillflow.ports.commerce import Rejected, Retryable

BEARER_HINT = ("; an access token given alone is a bearer token, which Magento takes only with "
               "Stores > Configuration > Services > OAuth > Consumer Settings > Allow OAuth "
               "Access Tokens to be used as standalone Bearer tokens")
GLOBAL = "all"
DEFAULT = "default"
_PLACEHOLDER = re.compile(r"%(\w+)")


class NotFound(Rejected):
    """Magento's ``NoSuchEntityException`` (HTTP 404)."""


class MagentoClient:
    def __init__(self, shop_url: str, *, auth: httpx.Auth, timeout: float = 15.0,
                 verify: ssl.SSLContext | bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=shop_url.rstrip("/") + "/rest", timeout=timeout,
                                  auth=auth, verify=verify, transport=transport,
                                  headers={"Accept": "application/json"})
        self._refused_hint = BEARER_HINT if isinstance(auth, Bearer) else ""

    def call(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
             json_body: Any = None, store: str = DEFAULT, mode: str = "") -> Any:
        """``path`` starts at ``/V1``; ``mode`` is "" or ``/async/bulk``."""
        url = f"/{store}{mode}{path}"
        try:
            response = self._http.request(
                method, url, params=params,
                content=None if json_body is None else encode(json_body),
                headers=None if json_body is None else {"Content-Type": "application/json"})
        except httpx.TransportError as exc:
            raise transport_failure("Magento", str(self._http.base_url), exc) from exc
        body = _body(response)
        status = response.status_code
        if status == 429 or status >= 500:
            raise Retryable(f"Magento answered {status}: {error_message(body, response)}",
                            retry_after=retry_after(response.headers))
        if status == 404:
            raise NotFound(f"Magento answered 404: {error_message(body, response)}")
        if status == 401:
            raise Rejected(f"Magento refused the integration's credentials (401): "
                           f"{error_message(body, response)}; check the connection's secrets "
                           "and that the integration is active with the resources it needs"
                           f"{self._refused_hint}")
        if status >= 400:
            raise Rejected(f"Magento answered {status}: {error_message(body, response)}")
        return body

    def close(self) -> None:
        self._http.close()


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError:
        return None


def error_message(body: Any, response: httpx.Response) -> str:
    """Magento's message with its parameters put in (a list for ``%1``.., a map for
    ``%name``)."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return response.text[:200] or response.reason_phrase
    parameters = body.get("parameters")

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if isinstance(parameters, list) and key.isdigit() and 0 < int(key) <= len(parameters):
            return str(parameters[int(key) - 1])
        if isinstance(parameters, dict) and key in parameters:
            return str(parameters[key])
        return match.group(0)

    return _PLACEHOLDER.sub(fill, body["message"])
