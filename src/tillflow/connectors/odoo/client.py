"""Odoo's external API over JSON-2 (Odoo 19+) or JSON-RPC ``execute_kw`` (Odoo 16-18).

One call shape for both: ``call(model, method, ids=..., **named)``. JSON-2 takes the ids
and named parameters in its body; ``execute_kw`` takes the ids as its first positional
argument and the rest as keyword arguments, which Odoo hands to the same methods.
Errors are classified once here: unreachable, 5xx, 429 or refused credentials → retry
later (nothing is dead-lettered for a server fault or a rotated key); Odoo's business
errors (UserError, ValidationError, MissingError) → rejected with Odoo's message.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tillflow.ports.accounting import ErpRejected, ErpUnavailable

JSON2 = "json2"
JSONRPC = "jsonrpc"
PROTOCOLS = (JSON2, JSONRPC)
AUTH_ERRORS = frozenset({"odoo.exceptions.AccessDenied", "odoo.exceptions.AccessError"})


class OdooClient:
    def __init__(self, *, url: str, database: str, username: str, secret: str,
                 protocol: str = JSON2, timeout: float = 15.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {PROTOCOLS}")
        self._url = url.rstrip("/")
        self._database = database
        self._username = username
        self._secret = secret
        self.protocol = protocol
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._ids = itertools.count(1)
        self._uid: int | None = None

    def close(self) -> None:
        self._http.close()

    def call(self, model: str, method: str, *, ids: list[int] | None = None,
             **named: Any) -> Any:
        if self.protocol == JSON2:
            return self._json2(model, method, ids, named)
        return self._execute_kw(model, method, ids, named)

    def major_version(self) -> int:
        """Odoo's major version: JSON-2 exists from 19; JSON-RPC asks ``common.version``."""
        if self.protocol == JSON2:
            return 19
        version = self._rpc("common", "version", [])
        return int(str(version["server_version"]).split("~")[-1].split(".")[0])  # saas~17.4

    def _post(self, path: str, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = self._http.post(self._url + path, json=body, headers=headers)
        except httpx.TransportError as exc:
            raise ErpUnavailable(f"Odoo unreachable: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise ErpUnavailable(f"Odoo answered HTTP {response.status_code}: "
                                 f"{_message(response)}")
        return response

    def _json2(self, model: str, method: str, ids: list[int] | None,
               named: dict[str, Any]) -> Any:
        body = {**named, "context": named.pop("context", {})}
        if ids is not None:
            body["ids"] = ids
        response = self._post(f"/json/2/{model}/{method}", body, headers={
            "Authorization": f"bearer {self._secret}", "X-Odoo-Database": self._database})
        if response.status_code in (401, 403):
            raise ErpUnavailable(f"Odoo refused the credentials: {_message(response)}")
        if response.status_code != 200:
            raise ErpRejected(f"Odoo: {_message(response)}")
        return response.json()

    def _rpc(self, service: str, method: str, args: list[Any]) -> Any:
        response = self._post("/jsonrpc", {"jsonrpc": "2.0", "method": "call",
                                           "id": next(self._ids),
                                           "params": {"service": service, "method": method,
                                                      "args": args}})
        if response.status_code != 200:
            raise ErpRejected(f"Odoo answered HTTP {response.status_code}")
        payload = response.json()
        error = payload.get("error")
        if error:
            data = error.get("data") or {}
            message = data.get("message") or error.get("message", "Odoo error")
            if data.get("name") in AUTH_ERRORS:
                raise ErpUnavailable(f"Odoo refused the credentials: {message}")
            raise ErpRejected(f"Odoo: {message}")
        return payload.get("result")

    def _execute_kw(self, model: str, method: str, ids: list[int] | None,
                    named: dict[str, Any]) -> Any:
        if self._uid is None:
            uid = self._rpc("common", "authenticate",
                            [self._database, self._username, self._secret, {}])
            if not uid:
                raise ErpUnavailable("Odoo refused the credentials")
            self._uid = int(uid)
        args = [ids] if ids is not None else []
        return self._rpc("object", "execute_kw", [self._database, self._uid, self._secret,
                                                  model, method, args, named])


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message") or response.text[:300])
    except ValueError:
        return response.text[:300]
