"""The server's surface: security headers on every page, the API reference served from
files installed with tillflow, metrics for admin and integration tokens only, and bad
input answered with a 4xx in the envelope, never a 500, with nothing written."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.api import Api
from support.databases import row_counts
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.uow import engine_of
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncEngine


@pytest.fixture
def client(api: Api) -> Iterator[TestClient]:
    """The app as a client sees it: a server error is an answer, not an exception."""
    with TestClient(create_app(api.ctx, max_body_bytes=65_536),
                    raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/register/", "/register/js/main.js", "/api/v1/health",
                                  "/api/v1/products", "/api/v1/docs", "/no/such/page"])
def test_every_page_has_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    script = re.search(r"script-src ([^;]*)", policy)
    assert script is not None
    assert script.group(1) == "'self'"  # no inline script, no other host


def test_the_register_page_runs_no_inline_script(client: TestClient) -> None:
    page = client.get("/register/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " on" not in " ".join(re.findall(r"<[^>]+\son\w+=", page))


def test_the_api_reference_is_served_from_installed_files(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "https://" not in page.text
    assert "http://" not in page.text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) == []
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    for source in sources:
        asset = client.get(f"/api/v1/{source}")
        assert asset.status_code == 200, source
        assert asset.content
    openapi = re.search(r'data-openapi-url="([^"]+)"', page.text)
    assert openapi is not None
    assert client.get(f"/api/v1/{openapi.group(1)}").json()["info"]["title"] == "tillflow"


@pytest.fixture
def metrics_client(ctx: ServiceContext) -> Iterator[tuple[TestClient, Api]]:
    app = create_app(ctx)
    engine = SyncEngine(ctx, available.registry().commerce_factories())
    app.state.sync = engine
    with TestClient(app) as test_client:
        yield test_client, Api(test_client, ctx)
    engine.close()


def test_metrics_need_an_admin_or_integration_token(
        metrics_client: tuple[TestClient, Api]) -> None:
    client, api = metrics_client
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    for role in ("cashier", "manager"):
        refused = client.get("/metrics", headers=api.headers(role))
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    for role in ("admin", "integration"):
        shown = client.get("/metrics", headers=api.headers(role))
        assert shown.status_code == 200
        assert "tillflow_sync" in shown.text


# Each one answered with a 500 before: (method, path, raw JSON body or None, status).
BAD_INPUT: list[tuple[str, str, bytes | None, int]] = [
    ("POST", "/api/v1/locations", b'{"code": "X1", "name": "\\ud800"}', 422),
    ("POST", "/api/v1/locations", b'{"code": "X1", "name": "a\\u0000b"}', 422),
    ("POST", "/api/v1/customers", b'{"name": "a\\u0000b"}', 422),
    ("GET", "/api/v1/products/a%00b", None, 422),
    ("GET", "/api/v1/customers?email=a%00b", None, 422),
    ("POST", "/api/v1/inventory/adjustments",
     b'{"sku": "A", "location": "S1", "delta": 1000000000000000000000000000000, "reason": "x"}',
     422),
    ("POST", "/api/v1/products", b'{"sku": "B", "name": "b", "price": 100000000000000000000}',
     422),
    ("POST", "/api/v1/sales",
     b'{"location": "S1", "lines": [{"sku": "A", "quantity": 1000000000000000000000000000000}]}',
     422),
    ("POST", "/api/v1/sales",
     b'{"location": "S1", "lines": [{"sku": "A", "quantity": "999999999999999",'
     b' "unit_price": "999999999999999"}], "payments": [], "channel": "web",'
     b' "external_id": "w-1"}', 422),
    ("GET", f"/api/v1/events?after={2**63}", None, 422),
    ("GET", "/api/v1/products?cursor=%C2%80", None, 422),
    ("GET", "/api/v1/products?cursor=_w", None, 422),
    ("GET", "/api/v1/sales?cursor=MjAyNi0wMS0wMVQwMDowMDowMHw", None, 422),
    ("GET", "/api/v1/sales?cursor=fA", None, 422),
    ("GET", "/api/v1/payments/reconciliation?date=9999-12-31&connection=x", None, 422),
    ("POST", "/api/v1/payments/fees", b'{"date": "9999-12-31", "connection": "x"}', 422),
    ("GET", "/api/v1/journal/trial-balance?from=9999-12-31", None, 422),
    ("POST", f"/api/v1/erp/x/postings/{10**20}/replay", None, 422),
    ("POST", "/api/v1/locations", b"[" * 5_000 + b"]" * 5_000, 422),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD_INPUT)
def test_bad_input_is_a_4xx_in_the_envelope_and_writes_nothing(
        client: TestClient, api: Api, method: str, path: str, body: bytes | None,
        status: int) -> None:
    api.location("S1")
    api.product("A")
    engine = engine_of(api.ctx.store)
    before = row_counts(engine)
    headers = api.headers("admin", {"Content-Type": "application/json",
                                    "Idempotency-Key": str(uuid.uuid4())})
    answer = client.request(method, path, content=body, headers=headers)
    assert answer.status_code == status, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "validation_error"
    assert row_counts(engine) == before


def test_a_chunked_body_over_the_limit_is_413(client: TestClient, api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"code": "X", "name": "'
        for _ in range(100):
            yield b"a" * 1_000
        yield b'"}'

    answer = client.post("/api/v1/locations", content=chunks(),
                         headers=api.headers("admin", {"Content-Type": "application/json"}))
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "payload_too_large"
    assert answer.json()["error"]["details"] == {"max_bytes": 65_536}


def test_every_json_body_is_read_strictly(client: TestClient, api: Api) -> None:
    """Each operation that takes a JSON body refuses a lone surrogate with a 422: no route
    was left reading bodies with Python's lenient reader."""
    doc = client.get("/api/v1/openapi.json").json()
    operations = [(method, route) for route, methods in doc["paths"].items()
                  for method, operation in methods.items() if "requestBody" in operation]
    assert len(operations) >= 25
    for method, route in operations:
        answer = client.request(method.upper(), route.replace("{", "").replace("}", ""),
                                content=b'{"name": "\\ud800"}',
                                headers=api.headers("admin", {"Content-Type": "application/json"}))
        assert answer.status_code == 422, f"{method.upper()} {route}: {answer.text}"
