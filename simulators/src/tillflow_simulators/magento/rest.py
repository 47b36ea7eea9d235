"""One REST request, start to end, as a Magento store handles it.

``/rest[/<store code>][/async[/bulk]]/V1/...``: find the Open Source route (the version's
schema must describe it too), tell who calls and whether they may, read the arguments
against Adobe's schema, run the service, and check the answer against the schema before
sending it. An answer the schema refuses is the simulator's bug: it is kept in
``violations`` and answered as a 500.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tillflow_simulators.magento import (
    api_attributes,
    api_bulk,
    api_catalog,
    api_checkout,
    api_inventory,
    api_sales,
    api_store,
    bulk,
    inputs,
    jsonout,
    schema,
)
from tillflow_simulators.magento.auth import Authenticator, Caller
from tillflow_simulators.magento.endpoints import Call, Endpoint
from tillflow_simulators.magento.errors import (
    NO_ROUTE,
    InternalError,
    MagentoError,
    NoSuchEntity,
    WebapiError,
    not_authorized,
)
from tillflow_simulators.magento.routes import Match, Route, open_source_routes
from tillflow_simulators.magento.store import MagentoStore

log = logging.getLogger(__name__)

ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    **api_catalog.ENDPOINTS,
    **api_attributes.ENDPOINTS,
    **api_inventory.ENDPOINTS,
    **api_checkout.ENDPOINTS,
    **api_sales.ENDPOINTS,
    **api_store.ENDPOINTS,
    **api_bulk.ENDPOINTS,
}
STORE_CODES = ("default", "all")
NOT_MODELLED = "The simulator does not model %1 %2."
_PATH = re.compile(r"^/rest(?:/(?P<store>[a-z0-9_]+))?(?P<mode>/async(?:/bulk)?)?(?P<rest>/V1/.*)$")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # the URL path, /rest/...
    url: str  # the full URL the client signed
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    def text(self) -> str:
        return jsonout.dumps(self.body)


@dataclass(frozen=True)
class Violation:
    method: str
    path: str
    message: str


class RestApi:
    def __init__(
        self,
        store: MagentoStore,
        authenticator: Authenticator,
        queue: bulk.BulkQueue,
        *,
        base_url: str,
    ) -> None:
        self.store = store
        self.authenticator = authenticator
        self.queue = queue
        self.base_url = base_url
        self.violations: list[Violation] = []
        self._violations_lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.store.settings.version

    def handle(self, request: Request) -> Answer:
        try:
            return self._handle(request)
        except MagentoError as error:
            return Answer(error.status, error.body())
        except Exception:
            log.exception("simulated Magento failed on %s %s", request.method, request.path)
            masked = InternalError()
            return Answer(masked.status, masked.body())

    def _handle(self, request: Request) -> Answer:
        parts = _PATH.match(request.path)
        if parts is None:
            raise WebapiError(NO_ROUTE, 404)
        scope = parts["store"] or "default"
        if scope not in STORE_CODES:
            raise NoSuchEntity('Requested store is not found ("%1")', [scope])
        mode = parts["mode"] or ""
        match = self._route(request.method, parts["rest"], bulk_mode=mode == "/async/bulk")
        if mode and request.method == "GET":
            raise WebapiError(NO_ROUTE, 404)
        caller = self._authorize(match.route, request)
        api = schema.load(self.version, "admin" if caller == "integration" else "guest")
        operation = api.operation(match.route.method, match.route.template) or schema.load(
            self.version, "admin"
        ).operation(match.route.method, match.route.template)
        assert operation is not None  # _route checked the admin schema has it
        endpoint = ENDPOINTS.get((match.route.method, match.route.url))
        if endpoint is None:
            raise WebapiError(NOT_MODELLED, 501, [match.route.method, match.route.url])
        wanted = inputs.signature(operation, criteria_required=endpoint.criteria_required)
        body = _body(request)
        if mode:
            # A bulk entry carries what the path would: the route's parameters are its own.
            path_names = set(re.findall(r":(\w+)", match.route.url))
            wanted = inputs.Signature(
                wanted.properties, tuple(n for n in wanted.required if n not in path_names)
            )
            return self._accept(
                request, match, api, wanted, endpoint, body, scope, bulk_mode=mode == "/async/bulk"
            )
        args = self._arguments(api, wanted, match, request, body)
        result = self._run(endpoint, args, scope)
        self._check_answer(api, operation, result, request)
        return Answer(200, result)

    def _route(self, method: str, path: str, *, bulk_mode: bool) -> Match:
        table = open_source_routes()
        match = _bulk_match(table, method, path) if bulk_mode else table.match(method, path)
        if match is None or not schema.load(self.version, "admin").has(
            method, match.route.template
        ):
            raise WebapiError(NO_ROUTE, 404)
        return match

    def _authorize(self, route: Route, request: Request) -> Caller:
        if route.anonymous:
            return "guest"
        caller = self.authenticator.caller(
            method=request.method,
            url=request.url,
            headers=request.headers,
            body=request.body.decode("utf-8", "replace"),
        )
        # An integration is granted every resource but a customer's own ("self").
        if caller == "guest" or route.self_only:
            raise not_authorized(route.acl)
        return caller

    def _arguments(
        self,
        api: schema.ApiSchema,
        wanted: inputs.Signature,
        match: Match,
        request: Request,
        body: Any,
        *,
        asynchronous: bool = False,
    ) -> dict[str, Any]:
        given: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
        given.update(inputs.php_query(request.query))
        given.update(match.params)
        args = inputs.read(api, wanted, given, version=self.version)
        settings = self.store.settings
        if settings.input_limits:
            limit = settings.async_list_limit if asynchronous else settings.list_limit
            inputs.check_list_limit(api, wanted, args, limit)
        return args

    def _run(self, endpoint: Endpoint, args: dict[str, Any], scope: str) -> Any:
        with self.store.lock:
            return endpoint.handler(Call(self.store, args, scope, self.base_url))

    def _accept(  # noqa: PLR0917 - one request's parts, named at the one call
        self,
        request: Request,
        match: Match,
        api: schema.ApiSchema,
        wanted: inputs.Signature,
        endpoint: Endpoint,
        body: Any,
        scope: str,
        *,
        bulk_mode: bool,
    ) -> Answer:
        """Check every entry now, queue them, answer 202 with the bulk UUID."""
        entries = body if bulk_mode else [body]
        if not isinstance(entries, list):
            raise MagentoError(inputs.NOT_ALL_VALID)
        checked = [
            self._arguments(api, wanted, match, request, entry, asynchronous=True)
            for entry in entries
        ]
        topic = _topic(match.route)
        queued = self.queue.submit(
            topic, [(args, functools.partial(self._run, endpoint, args, scope)) for args in checked]
        )
        return Answer(
            202,
            {
                "bulk_uuid": queued.bulk_uuid,
                "request_items": [
                    {"id": i, "data_hash": bulk.data_hash(args), "status": "accepted"}
                    for i, args in enumerate(checked)
                ],
                "errors": False,
            },
        )

    def _check_answer(
        self, api: schema.ApiSchema, operation: schema.Operation, result: Any, request: Request
    ) -> None:
        wanted = operation.success_schema()
        if wanted is None:
            return
        error = next(iter(api.validator(wanted, "response").iter_errors(result)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path)
            violation = Violation(request.method, request.path, f"{where}: {error.message}")
            with self._violations_lock:
                self.violations.append(violation)
            log.error("answer outside Adobe's schema: %s", violation)
            raise InternalError()


def _body(request: Request) -> Any:
    if request.method not in ("POST", "PUT") or not request.body.strip():
        return {}
    try:
        return jsonout.loads(request.body)
    except ValueError as error:
        raise MagentoError("Decoding error: %1", [str(error)]) from error


def _bulk_match(table: Any, method: str, path: str) -> Match | None:
    """Bulk routes spell ``:sku`` as ``bySku``; the values come from each entry."""
    for route in table:
        if route.method != method:
            continue
        spelled = re.sub(r":(\w)(\w*)", lambda m: "by" + m[1].upper() + m[2], route.url)
        if spelled.strip("/") == path.strip("/"):
            return Match(route, {})
    return None


def _topic(route: Route) -> str:
    service, _, method = route.service.partition("::")
    return f"async.{service.replace(chr(92), '.').lower()}.{method.lower()}.{route.method.lower()}"
