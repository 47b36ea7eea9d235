"""The Shopify connector against Shopify's own Admin API schema of every version a
connection accepts: every document it sends (those it builds at run time too), with the
variables it sends them with, is valid and uses nothing deprecated; the userError codes it
branches on are in the real enums; and the access scopes it needs are the ones the docs
name.

The documents and variables are the ones the connector really sent while it went through
every operation against the simulator; the schemas are the ones the simulator serves,
from the pinned ``@shopify/dev-mcp`` package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    get_variable_values,
    is_input_type,
    parse,
    type_from_ast,
    validate,
    visit,
)
from graphql.validation import NoDeprecatedCustomRule

from tillflow.connectors.shopify import adapter, bulk, pos_orders, product_set, queries
from tillflow.connectors.shopify.adapter import ShopifyChannel
from tillflow.connectors.shopify.bulk import BulkMutations
from tillflow.connectors.shopify.client import API_VERSION, API_VERSIONS, ShopifyClient
from tillflow.connectors.shopify.spec import validate_shopify_settings
from tillflow.domain.errors import InvalidInput
from tillflow.ports.commerce import (
    RETURN_SOURCE,
    SALE_SOURCE,
    Buyer,
    OrderLine,
    PosRefund,
    PosSale,
    ProductData,
    StockTarget,
)
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.shopify.schema import access_rules, load_schema

DOCS = Path(__file__).resolve().parents[3] / "docs" / "sync.md"
HOOKS = "http://127.0.0.1:9/webhooks/shop"
# The userError codes the connector acts on, with the mutation that answers them.
BRANCHED_CODES = (("inventorySetQuantities", adapter.STALE),
                  ("orderCreate", pos_orders.INVALID),
                  *(("bulkOperationRunMutation", code) for code in sorted(bulk.BUSY)))


@dataclass(frozen=True)
class Sent:
    query: str
    variables: dict[str, Any]

    @property
    def document(self) -> DocumentNode:
        return parse(self.query)

    @property
    def operation(self) -> OperationDefinitionNode:
        [operation] = [d for d in self.document.definitions
                       if isinstance(d, OperationDefinitionNode)]
        return operation

    @property
    def name(self) -> str:
        name = self.operation.name
        return name.value if name else ""


class Recording(httpx.BaseTransport):
    """Sends each request on over loopback and keeps each GraphQL body; a bulk mutation
    is kept too, with the first line of the file last uploaded as its variables."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[Sent] = []
        self._upload = b""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/graphql.json"):
            if request.method == "POST":
                self._upload = request.read()
            return self._inner.handle_request(request)
        body = json.loads(request.content)
        self.sent.append(Sent(body["query"], body.get("variables") or {}))
        if body["query"] == queries.BULK_RUN:
            self.sent.append(Sent(body["variables"]["mutation"], _first_line(self._upload)))
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _first_line(form: bytes) -> dict[str, Any]:
    """The first JSON line of the file in a multipart form."""
    start = form.index(b"\r\n\r\n", form.index(b'name="file"')) + 4
    variables: dict[str, Any] = json.loads(form[start:form.index(b"\n", start)])
    return variables


@pytest.fixture(scope="module")
def sent() -> list[Sent]:
    with ShopifySimulator(webhook_secret="contract", bulk_lines_per_second=1000) as sim:
        transport = Recording()
        client = ShopifyClient(sim.url, sim.access_token, transport=transport)
        channel = ShopifyChannel(client, webhook_secret="contract",
                                 bulk=BulkMutations(client, poll_seconds=0.02))
        _every_operation(channel)
        _bulk_operations(channel, sim)
        channel.close()
    return transport.sent


def _bulk_operations(channel: ShopifyChannel, sim: ShopifySimulator) -> None:
    """A catalog pushed in bulk while another bulk mutation runs, and one canceled."""
    catalog = [ProductData(f"BK-{n}", f"Kettle {n}", Decimal("19.90"), None, "active", 5)
               for n in range(adapter.BULK_THRESHOLD + 1)]
    specs = [product_set.single(ProductData(f"OT-{n}", "Other", Decimal(1), None, "active"),
                                channel.primary_location) for n in range(30)]
    sim.shop.bulk.lines_per_second = 50
    other = BulkMutations(channel.client, poll_seconds=0.02)
    other._start(queries.PRODUCT_SET_BULK, other._stage(product_set.jsonl(specs)),
                 deadline=1e12)
    channel.upsert_products(catalog)
    impatient = BulkMutations(channel.client, poll_seconds=0.02, wait_seconds=0)
    assert impatient.run(queries.PRODUCT_SET_BULK,
                         product_set.jsonl(specs)).status == "CANCELED"


def _every_operation(channel: ShopifyChannel) -> None:
    channel.ensure_webhooks(HOOKS)
    channel.check(HOOKS)
    for sku in ("K-1", "K-2"):
        channel.upsert_product(ProductData(sku, f"Kettle {sku}", Decimal("19.90"), None,
                                           "active", 5))
    made = channel.upsert_product(ProductData("K-1", "Kettle", Decimal("18.50"), "4006381333931",
                                              "active", 5))
    location = channel.primary_location
    levels = channel.stock(["K-1", "K-2"], location)
    channel.set_stock([StockTarget("K-1", location, 4, levels["K-1"])], idempotency_key="k-1")
    channel.products(None)
    channel.product(made.external_id)
    buyer = Buyer("ana@example.com", "+15555550100", "Ana", "Lima")
    sale = PosSale(source_id=f"{SALE_SOURCE}contract-1", number="R1-000001",
                   placed_at="2026-01-01T10:00:00Z", currency="USD", total=Decimal("18.50"),
                   lines=(OrderLine("K-1", 1, Decimal("18.50")),), buyer=buyer)
    order_id = channel.push_sale(sale)
    customer = channel.upsert_customer(Buyer("ana@example.com", None, "Ana", "Souza"), None)
    channel.upsert_customer(buyer, customer.external_id)
    channel.customer(customer.external_id)
    channel.customer_changes(None)
    channel.order(order_id)
    channel.order_changes(None)
    channel.push_refund(PosRefund(source_id=f"{RETURN_SOURCE}contract-1", order_id=order_id,
                                  number="R1-R0001", currency="USD", total=Decimal("18.50"),
                                  lines=(OrderLine("K-1", 1, Decimal("18.50")),)))


def _connector_documents() -> dict[str, str]:
    """Every document constant in ``queries``, by operation name."""
    found = {}
    for value in vars(queries).values():
        if isinstance(value, str) and re.match(r"\s*(query|mutation)\b", value):
            [operation] = parse(value).definitions
            assert isinstance(operation, OperationDefinitionNode)
            assert operation.name
            found[operation.name.value] = value
    return found


def test_every_document_the_connector_has_was_sent(sent: list[Sent]) -> None:
    names = {s.name for s in sent}
    assert set(_connector_documents()) <= names
    assert "Levels" in names  # built at run time, one alias per SKU


@pytest.mark.parametrize("version", API_VERSIONS)
def test_documents_and_variables_are_valid_on_every_accepted_version(
        sent: list[Sent], version: str) -> None:
    schema = load_schema(version)
    for request in _distinct(sent):
        assert [e.message for e in validate(schema, request.document)] == [], request.name
        coerced = get_variable_values(schema, request.operation.variable_definitions or (),
                                      request.variables)
        assert not isinstance(coerced, list), (request.name, [e.message for e in coerced])


@pytest.mark.parametrize("version", API_VERSIONS)
def test_nothing_deprecated_is_used(sent: list[Sent], version: str) -> None:
    schema = load_schema(version)
    for request in _distinct(sent):
        used = [e.message for e in validate(schema, request.document, [NoDeprecatedCustomRule])]
        assert used == [], request.name
        for definition in request.operation.variable_definitions or ():
            declared = type_from_ast(schema, definition.type)
            name = definition.variable.name.value
            assert is_input_type(declared)
            assert _deprecated_inputs(request.variables.get(name), declared, name) == [], \
                request.name


def test_the_stock_writes_refunds_and_bulk_reads_are_why_older_versions_are_refused(
        sent: list[Sent]) -> None:
    oldest = load_schema("2025-10")
    refused = {s.name for s in _distinct(sent) if validate(oldest, s.document)}
    assert refused == {"SetStock", "Refund", "Bulk", "RunningBulk"}


@pytest.mark.parametrize("version", API_VERSIONS)
def test_the_codes_the_connector_branches_on_are_in_the_real_enums(version: str) -> None:
    schema = load_schema(version)
    for mutation, code in BRANCHED_CODES:
        assert code in _user_error_codes(schema, mutation), (mutation, code)


def test_api_version_accepts_only_the_checked_versions() -> None:
    assert API_VERSION in API_VERSIONS
    for version in API_VERSIONS:
        validate_shopify_settings({"shop_url": "https://s.myshopify.com", "api_version": version})
    for version in ("2025-10", "unstable", "latest", "2026-02"):
        with pytest.raises(InvalidInput) as refused:
            validate_shopify_settings({"shop_url": "https://s.myshopify.com",
                                       "api_version": version})
        assert refused.value.details == {"field": "settings.api_version"}


def test_the_docs_name_every_access_scope_the_connector_needs(sent: list[Sent]) -> None:
    section = DOCS.read_text(encoding="utf-8").split("### Shopify app access", 1)[1]
    named = set(re.findall(r"`((?:read|write)_\w+)`", section.split("\n## ", 1)[0]))
    for version in API_VERSIONS:
        for needed in _scopes_needed(load_schema(version), access_rules(version), sent):
            assert named & needed, f"docs/sync.md names none of {sorted(needed)} ({version})"


def _distinct(sent: list[Sent]) -> list[Sent]:
    seen: dict[str, Sent] = {}
    for request in sent:
        seen.setdefault(json.dumps([request.query, request.variables], sort_keys=True), request)
    return list(seen.values())


def _user_error_codes(schema: GraphQLSchema, mutation: str) -> set[str]:
    assert schema.mutation_type is not None
    payload = get_named_type(schema.mutation_type.fields[mutation].type)
    assert isinstance(payload, GraphQLObjectType)
    error = get_named_type(payload.fields["userErrors"].type)
    assert isinstance(error, GraphQLObjectType)
    assert "code" in error.fields, mutation
    codes = get_named_type(error.fields["code"].type)
    assert isinstance(codes, GraphQLEnumType)
    return set(codes.values)


def _deprecated_inputs(value: Any, declared: GraphQLInputType, path: str) -> list[str]:
    if isinstance(declared, GraphQLNonNull):
        return _deprecated_inputs(value, declared.of_type, path)
    if value is None:
        return []
    if isinstance(declared, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return [found for index, item in enumerate(items)
                for found in _deprecated_inputs(item, declared.of_type, f"{path}.{index}")]
    if isinstance(declared, GraphQLEnumType):
        entry = declared.values.get(value)
        return [f"{path} = {value}"] if entry and entry.deprecation_reason else []
    if not isinstance(declared, GraphQLInputObjectType) or not isinstance(value, Mapping):
        return []
    found = []
    for key, inner in value.items():
        field = declared.fields[key]
        if field.deprecation_reason:
            found.append(f"{path}.{key}")
        found += _deprecated_inputs(inner, field.type, f"{path}.{key}")
    return found


def _scopes_needed(schema: GraphQLSchema, rules: list[dict[str, Any]],
                   sent: list[Sent]) -> list[frozenset[str]]:
    """For each type and field the documents touch that needs access, the scopes any one of
    which grants it (``offline_scopes`` in the package's data)."""
    by_type = {r["typeName"]: r for r in rules if r["type"] == "type"}
    by_field = {(r["typeName"], r["fieldName"]): r for r in rules if r["type"] == "field"}
    touched: set[tuple[str, str]] = set()
    for request in _distinct(sent):
        type_info = TypeInfo(schema)
        visit(request.document, TypeInfoVisitor(type_info, _Touched(type_info, touched)))
    needed = set()
    for owner, field in touched:
        for rule in (by_type.get(owner), by_field.get((owner, field))):
            if rule and rule["offlineScopes"]:
                needed.add(frozenset(rule["offlineScopes"]))
    return sorted(needed, key=sorted)


class _Touched(Visitor):
    def __init__(self, type_info: TypeInfo, touched: set[tuple[str, str]]) -> None:
        super().__init__()
        self.type_info = type_info
        self.touched = touched

    def enter_field(self, node: Any, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        if parent is not None:
            self.touched.add((parent.name, node.name.value))
            returned = get_named_type(self.type_info.get_type())
            if returned is not None:
                self.touched.add((returned.name, ""))
