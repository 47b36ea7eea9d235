"""Every request the Magento connector can send, checked against Adobe's own schema of
each version it supports (2.4.6 to 2.4.9) and against the route list of a released
Magento Open Source: the route exists in Open Source, its query parameters are the
schema's, and its body validates (JSON Schema draft 4, the schema objects of Swagger
2.0). The requests are recorded as the connector sends them, through every operation of
the channel, against the simulated store."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
from jsonschema import Draft4Validator

from support.magento_shop import admin, checkout, invoice, refund
from tillflow.connectors.magento.adapter import MagentoChannel
from tillflow.connectors.magento.auth import OAuth1
from tillflow.connectors.magento.bulk import BulkWait
from tillflow.connectors.magento.client import MagentoClient
from tillflow.ports.commerce import (
    Buyer,
    ProductData,
    ProductWithVariants,
    StockTarget,
    VariantData,
)
from tillflow_simulators.magento import VERSIONS, MagentoSimulator, schema
from tillflow_simulators.magento.routes import open_source_routes

_PATH = re.compile(r"^/rest/(?P<store>[a-z0-9_]+)(?P<bulk>/async/bulk)?(?P<rest>/V1/.*)$")
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any


class Recording(httpx.BaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[Sent] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        self.sent.append(Sent(request.method, unquote(request.url.path),
                              parse_qsl(urlsplit(str(request.url)).query),
                              json.loads(content) if content else None))
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@pytest.fixture(scope="module")
def sent(magento: MagentoSimulator) -> list[Sent]:
    """The requests of every operation of the channel, signed with OAuth 1.0a."""
    recording = Recording()
    held = magento.integration
    client = MagentoClient(magento.url, transport=recording, auth=OAuth1(
        consumer_key=held.consumer_key, consumer_secret=held.consumer_secret,
        access_token=held.access_token, access_token_secret=held.access_token_secret))
    channel = MagentoChannel(client, source="default", website="base",
                             barcode_attribute="barcode",
                             bulk_wait=BulkWait(deadline=30, interval=0.02))
    _exercise(magento, channel)
    channel.close()
    return recording.sent


def _exercise(magento: MagentoSimulator, channel: MagentoChannel) -> None:
    product = ProductData(sku="SC-1", title="Schema mug", price=Decimal("12.50"),
                          barcode="4006381333931", status="active", available=4)
    made = channel.upsert_product(product)
    channel.upsert_product(ProductData(**{**product.__dict__, "status": "draft"}))
    channel.upsert_products([ProductData(**{**product.__dict__, "sku": "SC-2"}), product])
    channel.products(None)
    channel.product(made.external_id)
    channel.set_stock([StockTarget("SC-1", "default", 6, 4)], idempotency_key="k")
    channel.stock(["SC-1", "SC-2"], "default")
    order = checkout(magento, [("SC-1", 2)], email="schema@example.com")
    invoice(magento, order)
    refund(magento, order, {magento.order(int(order)).items[0].item_id: 1})
    page = channel.order_changes(None)
    channel.order_changes(page.cursor)
    channel.order(order)
    channel.order("404404")
    made_customer = channel.upsert_customer(Buyer("schema@example.com", None, "Sam", None), None)
    with admin(magento) as rest:
        customer = rest.get(f"/V1/customers/{made_customer.external_id}").json()
        address = {"firstname": "Sam", "lastname": "Ek", "street": ["1 Main Street"],
                   "city": "Austin", "region_id": 57, "postcode": "78701",
                   "country_id": "US", "telephone": "5125550100", "default_billing": True}
        rest.put(f"/V1/customers/{made_customer.external_id}",
                 json={"customer": {**customer, "addresses": [address]}}).raise_for_status()
    channel.upsert_customer(Buyer("schema@example.com", "+14155550123", "Sam", "Ek"),
                            made_customer.external_id)
    channel.customer(made_customer.external_id)
    channel.customer_changes(None)
    channel.check("http://127.0.0.1:9/webhooks/magento")
    _exercise_variants(magento, channel)


def _exercise_variants(magento: MagentoSimulator, channel: MagentoChannel) -> None:
    def tee(sizes: tuple[str, ...]) -> ProductWithVariants:
        return ProductWithVariants(
            key="sc", title="Schema tee", category=None,
            options=(("Size", sizes), ("Color", ("Red",))),
            variants=tuple(VariantData(sku=f"SC-T-{size}", price=Decimal("9.90"),
                                       barcode="4006381333931" if size == "S" else None,
                                       status="active", values=(size, "Red"), available=2)
                           for size in sizes))

    saved = channel.upsert_variants(tee(("S", "M")))
    channel.upsert_variants(tee(("M",)))
    magento.add_attribute("sc_fit", "Schema fit", ["Slim"])
    magento.add_product("SC-MADE-1", "Made", "5.00", attributes={"sc_fit": "Slim"})
    magento.add_configurable("SC-MADE", "Made", ["SC-MADE-1"], attributes=["sc_fit"])
    channel.products(None)
    channel.product(saved["SC-T-M"].external_id)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_request_the_connector_sends_is_one_adobes_schema_takes(
        sent: list[Sent], version: str) -> None:
    api = schema.load(version, "admin")
    problems = [problem for request in sent for problem in _problems(api, request)]
    assert problems == []


def test_the_recording_covers_every_kind_of_request(sent: list[Sent]) -> None:
    routes = {(s.method, _route(s)[0]) for s in sent}
    assert {("POST", "/V1/products"), ("PUT", "/V1/products/{sku}"),
            ("GET", "/V1/products"), ("GET", "/V1/products/{sku}"),
            ("POST", "/V1/inventory/source-items"), ("GET", "/V1/inventory/source-items"),
            ("GET", "/V1/inventory/get-product-salable-quantity/{sku}/{stockId}"),
            ("GET", "/V1/orders"), ("GET", "/V1/orders/{id}"), ("GET", "/V1/creditmemos"),
            ("POST", "/V1/customers"), ("PUT", "/V1/customers/{customerId}"),
            ("GET", "/V1/customers/{customerId}"), ("GET", "/V1/customers/search"),
            ("GET", "/V1/bulk/{bulkUuid}/status"), ("GET", "/V1/store/websites"),
            ("GET", "/V1/inventory/stock-resolver/{type}/{code}"),
            ("GET", "/V1/inventory/stock-source-links"),
            ("GET", "/V1/inventory/sources"),
            ("GET", "/V1/products/attributes"), ("POST", "/V1/products/attributes"),
            ("GET", "/V1/products/attributes/{attributeCode}"),
            ("GET", "/V1/products/attributes/{attributeCode}/options"),
            ("POST", "/V1/products/attributes/{attributeCode}/options"),
            ("GET", "/V1/products/attribute-sets/{attributeSetId}/attributes"),
            ("GET", "/V1/products/attribute-sets/groups/list"),
            ("POST", "/V1/products/attribute-sets/attributes"),
            ("GET", "/V1/configurable-products/{sku}/options/all"),
            ("POST", "/V1/configurable-products/{sku}/options"),
            ("GET", "/V1/configurable-products/{sku}/children"),
            ("POST", "/V1/configurable-products/{sku}/child"),
            ("DELETE", "/V1/configurable-products/{sku}/children/{childSku}")} <= routes
    assert any(_PATH.match(s.path)["bulk"] for s in sent if _PATH.match(s.path))  # type: ignore[index]


def _route(request: Sent) -> tuple[str, bool]:
    parts = _PATH.match(request.path)
    assert parts is not None, f"not a REST path: {request.path}"
    found = open_source_routes().match(request.method, parts["rest"])
    assert found is not None, f"Open Source has no {request.method} {parts['rest']}"
    return found.route.template, bool(parts["bulk"])


def _problems(api: schema.ApiSchema, request: Sent) -> list[str]:
    template, bulk = _route(request)
    where = f"{request.method} {request.path}"
    operation = api.operation(request.method, template)
    if operation is None:
        return [f"{where}: {api.version} has no {request.method} {template}"]
    known = {p.name for p in operation.parameters if p.location == "query"}
    problems = [f"{where}: unknown query parameter {name}" for name, _ in request.query
                if _INDEX.sub("[0]", name) not in known]
    body = operation.body
    if body is None:
        return problems + ([f"{where}: a body the operation does not take"]
                           if request.body is not None else [])
    validator = Draft4Validator({**dict(body.schema or {}), "definitions": api.definitions})
    for entry in request.body if bulk else [request.body]:
        problems += [f"{where}: {error.json_path}: {error.message}"
                     for error in validator.iter_errors(entry)]
    return problems
