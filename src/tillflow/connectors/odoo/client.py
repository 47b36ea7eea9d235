"""Odoo's external API over JSON-2 (Odoo 19+) or JSON-RPC ``execute_kw`` (Odoo 16-19).

One call shape for both: ``call(model, method, ids=..., **named)``. JSON-2 takes the ids
and named parameters in its body. ``execute_kw`` takes the ids as its first positional
argument, and ``create`` its ``vals_list`` as the next one: Odoo 16 to 19 run a create
given ``vals_list`` by name, then read the created records' ids from the positional
arguments, fail and roll back. ``write`` takes its values in position too: their
parameter's name varies by model and version (``values`` on 17's attribute values and
lines, ``vals`` elsewhere). The rest travel by name, as Odoo's methods take them.

The server's major version is asked once per client (``/web/webclient/version_info``,
served without signing in by every version), so callers follow the version they talk to
rather than a setting.

Errors are classified once here, by Odoo's exception name where it sends one:
unreachable, 5xx without one, 429, a lock or a database fault, refused credentials
(``AccessDenied``) → retry later (nothing is dead-lettered for a server fault or a key
being rotated); Odoo's business and access errors (UserError, ValidationError,
AccessError, MissingError) and anything else it refuses → rejected with Odoo's message.
"""

from __future__ import annotations

import itertools
import ssl
from typing import Any

import httpx

from tillflow.connectors.common.erp_tls import refused_certificate
from tillflow.ports.accounting import ErpRejected, ErpUnavailable

JSON2 = "json2"
JSONRPC = "jsonrpc"
PROTOCOLS = (JSON2, JSONRPC)
API_KEY = "api_key"  # the secret's name, not a secret
CREDENTIALS_REFUSED = "odoo.exceptions.AccessDenied"
# Exceptions after which the same call may succeed later: a record locked by another
# transaction, a serialisation failure, the database away.
TRANSIENT = frozenset({"odoo.exceptions.LockError", "odoo.exceptions.ConcurrencyError",
                       "psycopg2.errors.SerializationFailure", "psycopg2.OperationalError",
                       "psycopg2.errors.LockNotAvailable"})
# Named arguments ``execute_kw`` must receive in position, after the record ids.
POSITIONAL = {"create": "vals_list", "write": "vals"}


class OdooError(ErpRejected):
    """Odoo refused a call; ``name`` is its exception (``odoo.exceptions.UserError``)."""

    def __init__(self, message: str, *, name: str | None, status: int | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.status = status


class CredentialsRefused(ErpUnavailable):
    """Odoo refused the login, password or API key: retried (a key may be mid-rotation),
    and named as such by a connection's check."""


class OdooClient:
    def __init__(self, *, url: str, database: str, username: str, secret: str,
                 protocol: str = JSON2, timeout: float = 15.0,
                 verify: ssl.SSLContext | bool = True, secret_name: str = API_KEY,
                 transport: httpx.BaseTransport | None = None) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {PROTOCOLS}")
        self.url = url.rstrip("/")
        self.database = database
        self.username = username
        self._secret = secret
        self.secret_name = secret_name  # which secret it is, to name in a refusal
        self.protocol = protocol
        self._http = httpx.Client(timeout=timeout, transport=transport, verify=verify)
        self._ids = itertools.count(1)
        self._uid: int | None = None
        self._version: int | None = None

    def close(self) -> None:
        self._http.close()

    def call(self, model: str, method: str, *, ids: list[int] | None = None,
             **named: Any) -> Any:
        if self.protocol == JSON2:
            return self._json2(model, method, ids, named)
        return self._execute_kw(model, method, ids, named)

    def major_version(self) -> int:
        """Odoo's major version (17 for ``17.0`` and ``saas~17.4``), asked once."""
        if self._version is None:
            info = self._jsonrpc_route("/web/webclient/version_info", {})
            first = str(info["server_version_info"][0])
            self._version = int(first.removeprefix("saas~"))
        return self._version

    def sign_in(self) -> int | None:
        """The user id the secret signs in as over JSON-RPC (None over JSON-2, where a
        refused key answers the first call); raises ``ErpUnavailable`` if refused."""
        if self.protocol == JSON2:
            self.call("res.users", "context_get")
            return None
        if self._uid is None:
            uid = self._rpc("common", "authenticate",
                            [self.database, self.username, self._secret, {}])
            if not uid:
                raise CredentialsRefused(f"Odoo refused the credentials of {self.username!r}")
            self._uid = int(uid)
        return self._uid

    def _post(self, path: str, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = self._http.post(self.url + path, json=body, headers=headers)
        except httpx.TransportError as exc:
            refused = refused_certificate(exc, erp="Odoo", url=self.url)
            raise refused or ErpUnavailable(f"Odoo unreachable at {self.url}: {exc}") from exc
        # 500 is also how JSON-2 answers an error that is no UserError (a wrong field
        # name, a failed lock): those are told apart by the exception Odoo names.
        if response.status_code == 429 or response.status_code > 500 or (
                response.status_code == 500 and _error_name(response) is None):
            raise ErpUnavailable(f"Odoo answered HTTP {response.status_code}: "
                                 f"{_message(response)}")
        return response

    def _json2(self, model: str, method: str, ids: list[int] | None,
               named: dict[str, Any]) -> Any:
        body = {**named, "context": named.pop("context", {})}
        if ids is not None:
            body["ids"] = ids
        response = self._post(f"/json/2/{model}/{method}", body, headers={
            "Authorization": f"bearer {self._secret}", "X-Odoo-Database": self.database})
        if response.status_code == 200:
            return response.json()
        name = _error_name(response)
        if response.status_code == 401:
            raise CredentialsRefused(f"Odoo refused the API key: {_message(response)}")
        raise _refusal(name, _message(response), status=response.status_code)

    def _jsonrpc_route(self, path: str, params: dict[str, Any]) -> Any:
        response = self._post(path, {"jsonrpc": "2.0", "method": "call",
                                     "id": next(self._ids), "params": params})
        if response.status_code != 200:
            raise OdooError(f"Odoo answered HTTP {response.status_code} at {path}: "
                            f"{_message(response)}", name=None, status=response.status_code)
        try:
            payload = response.json()
        except ValueError as exc:
            raise OdooError(f"no Odoo answers at {self.url} ({path} sent no JSON)",
                            name=None, status=response.status_code) from exc
        error = payload.get("error")
        if error:
            data = error.get("data") or {}
            raise _refusal(data.get("name"), data.get("message") or error.get("message")
                           or "Odoo error")
        return payload.get("result")  # Odoo leaves ``result`` out when a method returns None

    def _rpc(self, service: str, method: str, args: list[Any]) -> Any:
        return self._jsonrpc_route("/jsonrpc", {"service": service, "method": method,
                                                "args": args})

    def _execute_kw(self, model: str, method: str, ids: list[int] | None,
                    named: dict[str, Any]) -> Any:
        uid = self.sign_in()
        args: list[Any] = [ids] if ids is not None else []
        first = POSITIONAL.get(method)
        if first is not None and first in named:
            args.append(named.pop(first))
        return self._rpc("object", "execute_kw", [self.database, uid, self._secret,
                                                  model, method, args, named])


def _refusal(name: str | None, message: str, *, status: int | None = None) -> Exception:
    if name == CREDENTIALS_REFUSED:
        return CredentialsRefused(f"Odoo refused the credentials: {message}")
    if name in TRANSIENT and "does not exist" not in message:  # a database named wrongly
        return ErpUnavailable(f"Odoo: {message}")
    return OdooError(f"Odoo: {message}", name=name, status=status)


def _error_name(response: httpx.Response) -> str | None:
    """The exception JSON-2 names in an error answer; None for another server's page."""
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body["name"]) if isinstance(body, dict) and body.get("name") else None


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    return str(body.get("message") if isinstance(body, dict) else body)[:500]
