"""The simulated Odoo's HTTP face: JSON-2 (``/json/2/<model>/<method>``) and JSON-RPC.

``/web/webclient/version_info`` names the version without signing in. JSON-2 exists from
Odoo 19 (earlier versions answer 404): it authenticates with ``Authorization: bearer <API
key>``, selects the database by ``X-Odoo-Database`` (another name: Odoo's 404 page), and
answers errors with a status (Odoo's ``http_status`` for its own exceptions, 404 for an
unknown model or method, 500 for the rest) and ``{name, message, arguments, context,
debug}``. JSON-RPC (``/jsonrpc``) authenticates through ``common.authenticate`` and
passes the password or key to every ``object.execute_kw``; its errors come back as HTTP
200 with a JSON-RPC ``error`` whose ``data`` holds the same fields, and a method that
returns nothing answers without ``result``, as Odoo's does. A database Odoo does not have
fails as PostgreSQL does, ``database "x" does not exist``.

``execute_kw`` hands positional arguments to the method as Odoo's ``call_kw`` does: the
record ids first for methods on records, then the method's own parameters in order. A
``create`` given its ``vals_list`` by name only fails as Odoo 16 to 19 fail it: Odoo makes
the records, then reads their ids from the first positional argument, which is missing
(``IndexError``), and rolls back; the simulator refuses it before making anything.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tillflow_simulators.odoo.methods import RECORD_METHODS, call, refuse_private
from tillflow_simulators.odoo.orm import Database, OdooError

JSON2_FROM = 19
STATUS = {"odoo.exceptions.AccessDenied": 401, "odoo.exceptions.AccessError": 403,
          "odoo.exceptions.MissingError": 404, "odoo.exceptions.UserError": 422,
          "odoo.exceptions.ValidationError": 422, "werkzeug.exceptions.NotFound": 404}
# execute_kw hands positional arguments to the method in this order.
POSITIONAL = {"search_read": ("domain", "fields", "offset", "limit", "order"),
              "search": ("domain", "offset", "limit", "order"),
              "search_count": ("domain",), "create": ("vals_list",),
              "read": ("fields",), "write": ("vals",),
              "check_access_rights": ("operation", "raise_exception")}
# Models whose ``write`` names its values ``values`` on 17 (``vals`` on 19; 18 unread,
# taken as 19): ``product_template_attribute_value.py``, ``product_attribute_value.py``
# and ``product_template_attribute_line.py`` of Odoo 17.0's ``product``.
WRITES_NAMED_VALUES = {"product.template.attribute.value": "ProductTemplateAttributeValue",
                          "product.attribute.value": "ProductAttributeValue",
                          "product.template.attribute.line": "ProductTemplateAttributeLine"}
NO_DATABASE = ("<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No "
               "database is selected and the requested URL was not found in the server-wide "
               "controllers.</p>\n")


def _error_data(error: OdooError) -> dict[str, Any]:
    return {"name": error.name, "message": error.message, "arguments": [error.message],
            "context": {}, "debug": f"Traceback (most recent call last):\n{error.name}: "
                                    f"{error.message}"}


def _no_database(name: str) -> OdooError:
    return OdooError("psycopg2.OperationalError", f'connection to server at "127.0.0.1", '
                     f'port 5432 failed: FATAL:  database "{name}" does not exist\n')


class OdooApp:
    def __init__(self, db: Database, *, database: str, version: str) -> None:
        self.db = db
        self.database = database
        self.version = version
        self.asgi = Starlette(routes=[
            Route("/json/2/{model}/{method}", self.json2, methods=["POST"]),
            Route("/jsonrpc", self.jsonrpc, methods=["POST"]),
            Route("/web/webclient/version_info", self.version_info, methods=["POST"]),
        ])

    def _user_by_key(self, secret: str) -> int | None:
        for uid, keys in self.db.credentials.items():
            if secret and secret in keys:
                return uid
        return None

    def _version(self) -> dict[str, Any]:
        major = self.version.split(".")[0]
        return {"server_version": self.version, "server_serie": f"{major}.0",
                "server_version_info": [int(major) if major.isdigit() else major,
                                        0, 0, "final", 0, ""],
                "protocol_version": 1}

    async def version_info(self, request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"jsonrpc": "2.0", "id": body.get("id"), "result": self._version()})

    async def json2(self, request: Request) -> Response:
        if self.db.major < JSON2_FROM:
            return HTMLResponse("<title>404 Not Found</title>", status_code=404)
        named = request.headers.get("x-odoo-database")
        if named is not None and named != self.database:
            return HTMLResponse(NO_DATABASE, status_code=404)
        try:
            scheme, _, key = request.headers.get("authorization", "").partition(" ")
            uid = self._user_by_key(key) if scheme.lower() == "bearer" else None
            if uid is None:
                raise OdooError("werkzeug.exceptions.Unauthorized", "Invalid apikey")
            model = request.path_params["model"]
            if model not in self.db.tables:
                raise OdooError("werkzeug.exceptions.NotFound",
                                f"the model {model!r} does not exist")
            body = await request.json()
            ids = body.pop("ids", None)
            context = {**(body.pop("context", None) or {}), "uid": uid}
            result = call(self.db, model, request.path_params["method"], ids=ids,
                          kwargs=body, context=context)
        except OdooError as error:
            status = 401 if error.name == "werkzeug.exceptions.Unauthorized" else STATUS.get(
                error.name, 500)
            return JSONResponse(_error_data(error), status_code=status)
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
        answer = {"jsonrpc": "2.0", "id": body.get("id")}
        return JSONResponse(answer if result is None else {**answer, "result": result})

    def _service(self, service: str | None, method: str | None, args: list[Any]) -> Any:
        if service == "common" and method == "version":
            return self._version()
        if service == "common" and method in ("login", "authenticate"):
            database, login, secret = args[0], args[1], args[2]
            if database != self.database:
                raise _no_database(database)
            users = [u for u in self.db.table("res.users").values() if u["login"] == login]
            return users[0]["id"] if users and self._user_by_key(secret) == users[0][
                "id"] else False
        if service == "object" and method == "execute_kw":
            return self._execute_kw(args)
        raise OdooError("werkzeug.exceptions.NotFound", f"no {service}.{method}")

    def _execute_kw(self, args: list[Any]) -> Any:
        database, uid, secret, model, method = args[:5]
        positional = list(args[5]) if len(args) > 5 else []
        kwargs = dict(args[6]) if len(args) > 6 and args[6] else {}
        if database != self.database:
            raise _no_database(database)
        if self._user_by_key(secret) != uid:
            raise OdooError("odoo.exceptions.AccessDenied", "Access Denied")
        refuse_private(model, method)
        if model not in self.db.tables:
            raise OdooError("builtins.KeyError", repr(model))
        ids = None
        if method in RECORD_METHODS:
            if not positional:
                raise OdooError("builtins.TypeError", f"{method}() missing record ids")
            ids, positional = list(positional[0]), positional[1:]
        if method == "create" and not positional:
            sequence = "tuple" if self.db.major < JSON2_FROM else "list"
            raise OdooError("builtins.IndexError", f"{sequence} index out of range")
        refuse_misnamed(self.db, model, method, kwargs)
        names = POSITIONAL.get(method, ())
        if len(positional) > len(names):
            raise OdooError("builtins.TypeError", f"{method}() takes too many arguments")
        kwargs.update(zip(names, positional, strict=False))
        context = {**(kwargs.pop("context", None) or {}), "uid": uid}
        return call(self.db, model, method, ids=ids, kwargs=kwargs, context=context)


def refuse_misnamed(db: Database, model: str, method: str, named: dict[str, Any]) -> None:
    """A parameter given by a name the method does not have fails as Python fails it."""
    if method == "write" and "vals" in named and db.major < 18 and \
            model in WRITES_NAMED_VALUES:
        raise OdooError("builtins.TypeError", f"{WRITES_NAMED_VALUES[model]}.write() got "
                        f"an unexpected keyword argument 'vals'")
