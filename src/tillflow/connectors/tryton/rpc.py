"""A small Tryton JSON-RPC client: one session, Tryton's JSON types, errors classified.

Tryton 8.2 answers JSON-RPC 1.0 at ``<url>/rpc/`` (``url`` ends with the database name).
Every ``model.*`` call takes the context dict as its last parameter; Decimals and dates
travel as ``{"__class__": ...}`` objects. A transport failure, a server fault or a
refused login means "retry later" (a password may be mid-change); a user or access error
from Tryton is a rejection carrying its message.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import ssl
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from tillflow.connectors.common.erp_tls import refused_certificate
from tillflow.ports.accounting import ErpRejected, ErpUnavailable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WARNINGS = 5


def encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, dt.datetime):
        raise TypeError("send dates, not datetimes, to Tryton")
    if isinstance(value, dt.date):
        return {"__class__": "date", "year": value.year, "month": value.month,
                "day": value.day}
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        kind = value.get("__class__")
        if kind == "Decimal":
            return Decimal(value["decimal"])
        if kind == "date":
            return dt.date(value["year"], value["month"], value["day"])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


class LoginRefused(ErpUnavailable):
    """Tryton refused the login or password."""


class TrytonClient:
    def __init__(self, *, url: str, username: str, password: str, timeout: float = 15.0,
                 verify: ssl.SSLContext | bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url
        self._endpoint = url.rstrip("/") + "/rpc/"
        self.username = username
        self._password = password
        self._http = httpx.Client(timeout=timeout, transport=transport, verify=verify)
        self._ids = itertools.count(1)
        self._authorization: str | None = None
        self._user_id = 0
        self._context: dict[str, Any] = {}
        self._currency: tuple[str, int] | None = None

    def close(self) -> None:
        self._http.close()

    def model(self, name: str, method: str, *params: Any) -> Any:
        """``model.<name>.<method>(*params, context)``; logs in first, and again if expired."""
        return self._session_call(f"model.{name}.{method}", list(params), {})

    def confirmed(self, name: str, method: str, *params: Any) -> Any:
        """``model()`` for a step whose warnings the caller accepts, as Tryton's client
        does when its user answers yes: each warning is recorded as seen, then retried."""
        for _ in range(MAX_WARNINGS):
            try:
                return self.model(name, method, *params)
            except TrytonWarning as warning:
                self.model("res.user.warning", "create", [
                    {"user": self._user_id, "name": warning.key, "always": False}])
        return self.model(name, method, *params)

    def wizard(self, name: str, method: str, *params: Any,
               context: dict[str, Any] | None = None) -> Any:
        """``wizard.<name>.<method>(*params, context)``: ``create``, ``execute``, ``delete``.

        ``context`` adds to the user's, e.g. the ``active_model``/``active_id`` it runs on.
        """
        return self._session_call(f"wizard.{name}.{method}", list(params), context or {})

    def _session_call(self, method: str, params: list[Any], context: dict[str, Any]) -> Any:
        if self._authorization is None:
            self._login()
        try:
            return self._call(method, [*params, {**self._context, **context}])
        except _SessionExpired:
            self._login()
            return self._call(method, [*params, {**self._context, **context}])

    def series(self) -> str:
        """Tryton's series (``8.2``), asked of the server without a database or a login."""
        parts = urlsplit(self.url)
        root = urlunsplit((parts.scheme, parts.netloc, "/rpc/", "", ""))
        return str(self._call("common.server.version", [], authorised=False, endpoint=root))

    def currency(self) -> tuple[str, int]:
        """The company's currency: its code and its digits, read once."""
        if self._currency is None:
            if self._authorization is None:
                self._login()
            [company] = self.model("company.company", "read", [self._context["company"]],
                                   ["currency.code", "currency.digits"])
            self._currency = (str(company["currency."]["code"]),
                              int(company["currency."]["digits"]))
        return self._currency

    def _login(self) -> None:
        result = self._call("common.db.login", [self.username, {"password": self._password}],
                            authorised=False)
        user_id, session = result[0], result[1]
        self._user_id = int(user_id)
        token = base64.b64encode(f"{self.username}:{user_id}:{session}".encode()).decode()
        self._authorization = f"Session {token}"
        # The user's preferences carry the company: record rules need it in the context.
        self._context = self._call("model.res.user.get_preferences", [True, {}])

    def _call(self, method: str, params: list[Any], *, authorised: bool = True,
              endpoint: str | None = None) -> Any:
        headers = {"Authorization": self._authorization} if authorised and \
            self._authorization else {}
        body = {"id": next(self._ids), "method": method, "params": encode(params)}
        try:
            response = self._http.post(endpoint or self._endpoint, json=body, headers=headers)
        except httpx.TransportError as exc:
            refused = refused_certificate(exc, erp="Tryton", url=self.url)
            raise refused or ErpUnavailable(f"Tryton unreachable: {exc}") from exc
        if response.status_code in (401, 403) and authorised:
            raise _SessionExpired
        if response.status_code in (401, 403):
            raise LoginRefused(f"Tryton refused the login of {self.username!r}")
        if response.status_code in RETRY_STATUSES:
            raise ErpUnavailable(f"Tryton answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise ErpRejected(f"Tryton answered HTTP {response.status_code}: "
                              f"{response.text[:300]}")
        payload = response.json()
        if payload.get("error"):
            raise _error(payload["error"])
        return decode(payload.get("result"))


class _SessionExpired(Exception):
    """The session is gone (server restarted, timed out): log in again once."""


class TrytonWarning(ErpRejected):
    """A warning Tryton asks its user to confirm; ``key`` names it for the confirmation."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def _error(error: Any) -> ErpRejected | ErpUnavailable:
    """Tryton's ``[kind, args]``: user-facing errors are rejections, the rest are faults."""
    if isinstance(error, list) and error:
        kind, args = error[0], error[1] if len(error) > 1 else []
        if kind == "UserWarning" and isinstance(args, list) and len(args) > 1:
            return TrytonWarning(f"{kind}: {args[1]}", key=str(args[0]))
        if kind in ("UserError", "UserWarning", "AccessError", "ValidationError",
                    "RequiredValidationError", "DomainValidationError", "LoginException"):
            message = args[0] if isinstance(args, list) and args else str(args)
            detail = args[1] if isinstance(args, list) and len(args) > 1 and args[1] else ""
            return ErpRejected(f"{kind}: {message} {detail}".strip())
        if kind == "ConcurrencyException":
            return ErpUnavailable(f"Tryton: {kind}")
    return ErpRejected(f"Tryton error: {str(error)[:500]}")
