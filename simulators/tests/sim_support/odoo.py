"""Calling the Odoo simulator as Odoo's own documentation does: JSON-RPC ``execute_kw``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tillflow_simulators.odoo.simulator import (
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)

Call = Callable[..., Any]


def jsonrpc(odoo: OdooSimulator, service: str, method: str, *args: Any) -> dict[str, Any]:
    reply = httpx.post(f"{odoo.url}/jsonrpc", json={
        "jsonrpc": "2.0", "id": 1, "method": "call",
        "params": {"service": service, "method": method, "args": list(args)}})
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    return body


def execute_kw(odoo: OdooSimulator) -> Call:
    """``execute_kw`` as the admin: the answer's ``result``, or Odoo's error raised."""
    uid = jsonrpc(odoo, "common", "authenticate", DEFAULT_DATABASE, DEFAULT_LOGIN,
                  DEFAULT_API_KEY, {})["result"]

    def call(model: str, method: str, *args: Any, **named: Any) -> Any:
        body = jsonrpc(odoo, "object", "execute_kw", DEFAULT_DATABASE, uid, DEFAULT_API_KEY,
                       model, method, list(args), named)
        if "error" in body:
            data = body["error"]["data"]
            raise RuntimeError(f"{data['name']}: {data['message']}")
        return body.get("result")
    return call
