"""The WooCommerce simulator checked against the real WooCommerce's own description of its
REST API (tests/fixtures/woocommerce, captured from a real shop): the routes its index
lists and their methods, the arguments of each method (names, types, enums, defaults),
its OPTIONS answers, that it really serves each method it lists, and the fields of its
answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.woocommerce_peer import SCHEMA_FILE, SCHEMA_ROUTES, field_problems, sample_records
from tillflow_simulators.common.recorder import WebhookRecorder
from tillflow_simulators.woocommerce import WooCommerceSimulator

# The captured description's stand-in for the shop's own address.
SITE = "https://shop.example"


@pytest.fixture(scope="module")
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator() as shop:
        yield shop


@pytest.fixture(scope="module")
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    # The index is a third of a megabyte: a loaded machine needs more than 5 s for it.
    with sim.client(timeout=30.0) as client:
        yield client


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    described: dict[str, Any] = json.loads(SCHEMA_FILE.read_text())
    return described


def _site(content: Any, sim: WooCommerceSimulator) -> Any:
    return json.loads(json.dumps(content).replace(sim.url, SITE))


def _arguments(endpoint: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """What a client must get right about each argument."""
    return {name: (rule.get("type"), rule.get("enum"), rule.get("default"),
                   rule.get("required"), (rule.get("items") or {}).get("type"),
                   rule.get("minimum"), rule.get("maximum"))
            for name, rule in endpoint["args"].items()}


def _name_of(pattern: str) -> str | None:
    """The fixture's name for a route pattern (``products/<id>``), if it has one."""
    for name in SCHEMA_ROUTES:
        concrete = "/wc/v3/" + name.replace("<id>", "1")
        if re.fullmatch(pattern, concrete):
            return name
    return None


def test_every_route_in_the_index_is_woocommerces_with_its_methods_and_arguments(
        api: httpx.Client, sim: WooCommerceSimulator, real: dict[str, Any]) -> None:
    index = _site(api.get("").json(), sim)
    assert (index["namespace"], index["_links"]) == (real["index"]["namespace"],
                                                     real["index"]["_links"])
    known = real["index"]["routes"]
    for pattern, route in index["routes"].items():
        assert pattern in known, f"{pattern} is no route of WooCommerce's"
        assert route["methods"] == known[pattern]["methods"], pattern
        ours = [(e["methods"], _arguments(e)) for e in route["endpoints"]]
        theirs = [(e["methods"], _arguments(e)) for e in known[pattern]["endpoints"]]
        assert ours == theirs, pattern
    served = {_name_of(pattern) for pattern in index["routes"]}
    assert set(SCHEMA_ROUTES) <= served, "a route the connector uses is not served"


def test_options_answers_are_woocommerces(api: httpx.Client, sim: WooCommerceSimulator,
                                         real: dict[str, Any]) -> None:
    for name in SCHEMA_ROUTES:
        answer = api.options("/" + name.replace("<id>", "1"))
        assert answer.status_code == 200, name
        assert _site(answer.json(), sim) == real["routes"][name], name


def test_every_method_listed_is_served(api: httpx.Client, sim: WooCommerceSimulator) -> None:
    """No method the index lists ends in WordPress's "no route" answer."""
    for pattern, route in api.get("").json()["routes"].items():
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", "999999", pattern.removeprefix("/wc/v3"))
        for method in route["methods"]:
            answer = api.request(method, path or "/", json={} if method != "GET" else None)
            body = answer.json()
            code = body.get("code") if isinstance(body, dict) else None
            assert code != "rest_no_route", f"{method} {pattern}"


def test_the_simulators_answers_hold_the_fields_woocommerce_describes(
        api: httpx.Client) -> None:
    samples = sample_records(api, "FIELDS")
    problems = [problem for route, records in samples.items() for record in records
                for problem in field_problems(route, record)]
    assert problems == []


def test_the_version_is_the_real_shops(api: httpx.Client, sim: WooCommerceSimulator) -> None:
    order = api.post("/orders", json={}).json()
    assert order["version"] == "10.0.2"
    with WebhookRecorder() as receiver:
        hook = api.post("/webhooks", json={"topic": "order.updated",
                                           "delivery_url": receiver.url()})
        assert hook.status_code == 201
        [ping] = receiver.wait_for(1)
    assert ping.headers["user-agent"] == "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)"
