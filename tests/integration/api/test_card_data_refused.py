"""No card number gets in through the API: every free-text field of the OpenAPI document
(read from the app itself, so a new field is swept the day it is added) is sent card
numbers in each way people write them, and each is refused with nothing written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of

# Test numbers of each scheme, written together, grouped, and behind other digits.
PANS = (
    "4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "4242.4242.4242.4242",
    "4242/4242/4242/4242", "ref 12 4242 4242 4242 4242", "card:5555555555554444",
    "3782 822463 10005", "6011111111111117", "3530111333300000", "36227206271667",
    "6200000000000005", "6759649826438453", "2223003122003222", "4222222222222",
)
FREE_TEXT = "x-free-text"


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def _free_text_paths(doc: dict[str, Any], schema: dict[str, Any],
                     path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The paths (keys, 0 for a list's first item) of every free-text string in a body."""
    schema = _resolve(doc, schema)
    if schema.get(FREE_TEXT):
        yield path
    for option in schema.get("anyOf", []):
        yield from _free_text_paths(doc, option, path)
    for key, child in schema.get("properties", {}).items():
        yield from _free_text_paths(doc, child, (*path, key))
    if "items" in schema:
        yield from _free_text_paths(doc, schema["items"], (*path, 0))


def _body(path: tuple[str | int, ...], value: str) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    return [_body(rest, value)] if isinstance(head, int) else {head: _body(rest, value)}


def _fields(doc: dict[str, Any]) -> list[tuple[str, str, tuple[str | int, ...]]]:
    found = []
    for route, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                found += [(method, route, path) for path in dict.fromkeys(
                    _free_text_paths(doc, schema))]
    return found


def _headers(api: Api, route: str) -> dict[str, str]:
    """A token that may reach the body's validation: a paired register's for sign-in."""
    if route.endswith("/staff/sessions"):
        api.ok(api.post("/locations", {"code": "S1", "name": "Shop"}), 201)
        api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
        pairing = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
        return {"Authorization": f"Bearer {pairing}"}
    return api.headers("admin")


def test_every_free_text_field_refuses_card_numbers_and_writes_nothing(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").json()
    fields = _fields(doc)
    # The sweep is worth what it covers: names, reasons, references, customers, codes.
    assert {p[-1] for _, _, p in fields} >= {"name", "reason", "reference", "email", "phone",
                                              "sku", "external_id", "code"}
    engine = engine_of(api.ctx.store)
    for method, route, path in fields:
        url = route.replace("{", "").replace("}", "")
        headers = _headers(api, route) | {"Idempotency-Key": str(uuid.uuid4())}
        before = row_counts(engine)
        for pan in PANS:
            answer = api.client.request(method.upper(), url, json=_body(path, pan),
                                        headers=headers)
            where = f"{method.upper()} {route} {'.'.join(map(str, path))} {pan!r}"
            assert answer.status_code == 422, f"{where}: {answer.text}"
            error = answer.json()["error"]
            assert error["code"] == "card_data_refused", f"{where}: {answer.text}"
            assert pan not in answer.text
        assert row_counts(engine) == before, f"{method.upper()} {route} wrote rows"


@pytest.mark.parametrize("pan", PANS[:6])
def test_a_card_number_as_idempotency_key_is_refused(api: Api, pan: str) -> None:
    api.location("S1")
    answer = api.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 1}]},
                      headers={"Idempotency-Key": pan})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == {
        "code": "card_data_refused", "details": {"field": "Idempotency-Key"},
        "message": answer.json()["error"]["message"]}


@pytest.mark.parametrize("key", ["k", "storm-12", "sale-9-receipt",
                                 "0b9f5c2e-7d1a-4c3e-9a8b-6f2d1e0c4b7a",
                                 "4242424242424242e5a0c1b2d3f40617",
                                 "a" * 255, "2026-12-06T10:15:00"])
def test_idempotency_keys_of_the_usual_shapes_pass(api: Api, key: str) -> None:
    api.location("S1")
    api.product("A")
    api.stock("A", "S1", 1)
    answer = api.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 1}],
                                 "payments": [{"method": "cash", "amount": "10.80"}]},
                      headers={"Idempotency-Key": key})
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("key", ["", "a" * 256, "key with spaces", "1234567890123456789",
                                 "12345-67890-12345", "key/with/slashes"])
def test_malformed_idempotency_keys_are_refused(api: Api, key: str) -> None:
    api.location("S1")
    answer = api.post("/sales", {"location": "S1", "lines": [{"sku": "A", "quantity": 1}]},
                      headers={"Idempotency-Key": key})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"]["field"] == "Idempotency-Key"


def test_query_and_path_parameters_are_not_free_text(api: Api) -> None:
    """A search for a number finds nothing; it stores nothing, so it is not refused."""
    assert api.ok(api.get("/products", query="4242424242424242"))["items"] == []
    assert api.get("/products/4242424242424242").status_code == 404


def _strings(doc: dict[str, Any], schema: dict[str, Any],
             path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...],
                                                          dict[str, Any]]]:
    schema = _resolve(doc, schema)
    if schema.get("type") == "string":
        yield path, schema
    for option in schema.get("anyOf", []):
        yield from _strings(doc, option, path)
    for key, child in schema.get("properties", {}).items():
        yield from _strings(doc, child, (*path, key))
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _strings(doc, schema[key], (*path, key))


def test_every_string_of_a_body_is_free_text_or_has_a_rule_of_its_own(api: Api) -> None:
    """A string field is either swept above or held to a pattern, a list of values or a
    format (a decimal, a secret): a new field cannot slip in unchecked."""
    doc = api.client.get("/api/v1/openapi.json").json()
    unchecked = []
    for route, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            for path, schema in _strings(doc, content["application/json"]["schema"]):
                if not ({FREE_TEXT, "pattern", "enum", "const", "format"} & schema.keys()):
                    unchecked.append(f"{method.upper()} {route} {'.'.join(map(str, path))}")
    assert unchecked == []


def test_connection_settings_refuse_card_numbers(api: Api) -> None:
    """Settings are stored in clear and shown again; secrets are sealed and never shown."""
    before = row_counts(engine_of(api.ctx.store))
    answer = api.post("/connections", {"name": "shop", "platform": "shopify", "settings": {
        "shop_url": "https://x.example", "note": {"text": PANS[1]}}, "secrets": {}})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "card_data_refused"
    assert answer.json()["error"]["details"] == {"field": "settings"}
    assert row_counts(engine_of(api.ctx.store)) == before
