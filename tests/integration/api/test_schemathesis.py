"""The API against its own OpenAPI document, fuzzed by schemathesis on both databases.

Each operation gets a bounded number of generated requests (valid and invalid), sent with
an admin token to the app in process, from a fixed seed; every answer must be no server
error and must match the document: its status, content type, headers and body schema.

Creating or changing a connection is left out: with no connection, nothing a generated
request does can reach a gateway, a shop or an ERP, that is, leave this machine.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.schemas import BaseSchema

from support.api import Api
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services.context import ServiceContext

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
LEFT_OUT = r"^/api/v1/connections(/\{name\})?$"


def _document() -> dict[str, Any]:
    """The OpenAPI document as the app serves it (it depends on no database)."""
    ctx = ServiceContext(SqlStore(build_engine("sqlite://")),
                         StoreConfig(currency=Currency.of("USD")),
                         connectors=available.registry())
    return create_app(ctx).openapi()


def _schema() -> BaseSchema:
    loaded = schemathesis.openapi.from_dict(_document())
    loaded.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    return loaded.exclude(method=["POST", "PATCH"], path_regex=LEFT_OUT)


schema = _schema()


# One store per operation and database, kept across that operation's examples: what one
# example made, the next may meet.
@pytest.fixture
def app(api: Api) -> FastAPI:
    """The app on a store with one of each document, so that the lists answer with items
    whose schema is checked too."""
    api.location("S1")
    api.product("A", barcodes=["4006381333931"])
    api.stock("A", "S1", 10)
    shift = api.register_with_shift("R1", "S1")
    customer = api.ok(api.post("/customers", {"name": "Ana", "email": "ana@example.com"}), 201)
    sale = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "customer": customer["id"],
        "lines": [{"sku": "A", "quantity": 2}],
        "payments": [{"method": "cash", "amount": "50.00"}]},
        role="cashier", headers={"Idempotency-Key": str(uuid.uuid4())}), 201)
    api.ok(api.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": "A", "quantity": 1}], "refunds": [{"method": "cash", "amount": "10.80"}],
        "register": "R1"}, role="cashier"), 201)
    api.ok(api.post(f"/shifts/{shift}/cash-movements", {"amount": "5.00", "reason": "float"},
                    role="cashier"), 201)
    return create_app(api.ctx, max_body_bytes=65_536)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_answer_matches_the_document(case: Case[Any], api: Api, app: FastAPI) -> None:
    # ``app``: the requests go in process to this test's app, on this test's database.
    case.call_and_validate(headers={"Authorization": f"Bearer {api.tokens['admin']}"},
                           checks=CHECKS, app=app)
