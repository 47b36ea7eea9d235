"""The simulated Odoo's HTTP face: JSON-2 (``/json/2/<model>/<method>``) and JSON-RPC.

JSON-2 authenticates with ``Authorization: bearer <API key>`` and answers errors with a
4xx/5xx status and ``{name, message, arguments, context, debug}``. JSON-RPC (``/jsonrpc``,
Odoo 16-18) authenticates through ``common.authenticate`` and passes the password or key
to every ``object.execute_kw``; its errors come back as HTTP 200 with a JSON-RPC ``error``
whose ``data`` holds the same fields.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tillflow_simulators.odoo.methods import RECORD_METHODS, call, refuse_private
from tillflow_simulators.odoo.orm import Database, OdooError

STATUS = {"odoo.exceptions.AccessDenied": 401, "odoo.exceptions.AccessError": 403,
          "odoo.exceptions.MissingError": 404, "odoo.exceptions.UserError": 422,
          "odoo.exceptions.ValidationError": 422}
# execute_kw hands positional arguments to the method in this order.
POSITIONAL = {"search_read": ("domain", "fields", "offset", "limit", "order"),
              "search": ("domain", "offset", "limit", "order"),
              "search_count": ("domain",), "create": ("vals_list",),
              "read": ("fields",), "write": ("vals",)}


def _error_data(error: OdooError) -> dict[str, Any]:
    return {"name": error.name, "message": error.message, "arguments": [error.message],
            "context": {}, "debug": f"Traceback (most recent call last):\n{error.name}: "
                                    f"{error.message}"}


class OdooApp:
    def __init__(self, db: Database, *, database: str, version: str) -> None:
        self.db = db
        self.database = database
        self.version = version
        self.asgi = Starlette(routes=[
            Route("/json/2/{model}/{method}", self.json2, methods=["POST"]),
            Route("/jsonrpc", self.jsonrpc, methods=["POST"]),
        ])

    def _user_by_key(self, secret: str) -> int | None:
        for user in self.db.table("res.users").values():
            if secret and secret in (user["api_key"], user["password"]):
                return int(user["id"])
        return None

    async def json2(self, request: Request) -> JSONResponse:
        try:
            scheme, _, key = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or self._user_by_key(key) is None:
                raise OdooError("odoo.exceptions.AccessDenied", "Access Denied")
            named = request.headers.get("x-odoo-database")
            if named is not None and named != self.database:
                raise OdooError("odoo.exceptions.AccessDenied", f"no database {named!r}")
            body = await request.json()
            ids = body.pop("ids", None)
            context = body.pop("context", None) or {}
            result = call(self.db, request.path_params["model"],
                          request.path_params["method"], ids=ids, kwargs=body,
                          context=context)
        except OdooError as error:
            return JSONResponse(_error_data(error), status_code=STATUS.get(error.name, 500))
        return JSONResponse(result)

    async def jsonrpc(self, request: Request) -> JSONResponse:
        body = await request.json()
        params = body.get("params") or {}
        try:
            result = self._service(params.get("service"), params.get("method"),
                                   list(params.get("args") or []))
        except OdooError as error:
            return JSONResponse({"jsonrpc": "2.0", "id": body.get("id"), "error": {
                "code": 200, "message": "Odoo Server Error", "data": _error_data(error)}})
        return JSONResponse({"jsonrpc": "2.0", "id": body.get("id"), "result": result})

    def _service(self, service: str | None, method: str | None, args: list[Any]) -> Any:
        if service == "common" and method == "version":
            return {"server_version": self.version, "protocol_version": 1}
        if service == "common" and method in ("login", "authenticate"):
            database, login, secret = args[0], args[1], args[2]
            users = [u for u in self.db.table("res.users").values() if u["login"] == login]
            valid = database == self.database and users and self._user_by_key(secret)
            return users[0]["id"] if valid else False
        if service == "object" and method == "execute_kw":
            return self._execute_kw(args)
        raise OdooError("werkzeug.exceptions.NotFound", f"no {service}.{method}")

    def _execute_kw(self, args: list[Any]) -> Any:
        database, uid, secret, model, method = args[:5]
        positional = list(args[5]) if len(args) > 5 else []
        kwargs = dict(args[6]) if len(args) > 6 and args[6] else {}
        if database != self.database or self._user_by_key(secret) != uid:
            raise OdooError("odoo.exceptions.AccessDenied", "Access Denied")
        refuse_private(model, method)
        ids = None
        if method in RECORD_METHODS:
            if not positional:
                raise OdooError("builtins.TypeError", f"{method}() missing record ids")
            ids, positional = list(positional[0]), positional[1:]
        names = POSITIONAL.get(method, ())
        if len(positional) > len(names):
            raise OdooError("builtins.TypeError", f"{method}() takes too many arguments")
        kwargs.update(zip(names, positional, strict=False))
        context = kwargs.pop("context", None) or {}
        return call(self.db, model, method, ids=ids, kwargs=kwargs, context=context)
