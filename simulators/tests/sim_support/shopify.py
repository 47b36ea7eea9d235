"""Helpers for the Shopify simulator's integration tests: a GraphQL client over real HTTP
and a webhook receiver listening on loopback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from sim_support.waiting import wait_until
from tillflow_simulators.shopify import ShopifySimulator


def gql(
    sim: ShopifySimulator,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    version: str = "2026-10",
    token: str | None = None,
) -> dict[str, Any]:
    response = httpx.post(
        sim.graphql_url(version),
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": token or sim.access_token},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(sim: ShopifySimulator, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(sim, query, variables)
    assert "errors" not in body, body
    return body["data"]


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def topic(self) -> str:
        return self.headers["x-shopify-topic"]

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    """A real HTTP endpoint; ``answers`` lists status codes for the next requests of
    ``failing_topic`` (or of any topic when it is None), then it answers 200."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        self.failing_topic: str | None = None
        self.delay = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                received = Received({k.lower(): v for k, v in self.headers.items()}, body)
                with receiver._lock:
                    receiver.received.append(received)
                    failing = receiver.failing_topic in (None, received.topic)
                    status = receiver.answers.pop(0) if receiver.answers and failing else 200
                time.sleep(receiver.delay)  # a slow endpoint, when a test asks for one
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks/shop"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def topics(self) -> list[str]:
        with self._lock:
            return [r.topic for r in self.received]

    def wait_for(self, predicate: Callable[[list[Received]], bool], timeout: float = 5.0) -> None:
        def arrived() -> bool:
            with self._lock:
                return predicate(list(self.received))

        wait_until(
            arrived,
            timeout=timeout,
            interval=0.01,
            message=lambda: f"webhooks never arrived; got {self.topics()}",
        )


@contextmanager
def running_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    try:
        yield receiver
    finally:
        receiver.stop()


@contextmanager
def running_simulator(**options: Any) -> Iterator[ShopifySimulator]:
    with ShopifySimulator(**options) as sim:
        yield sim


SUBSCRIBE = """
mutation Subscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""


def subscribe(sim: ShopifySimulator, uri: str, *topics: str) -> None:
    for topic in topics:
        result = data(sim, SUBSCRIBE, {"topic": topic, "uri": uri})["webhookSubscriptionCreate"]
        assert result["userErrors"] == []


def location_id(sim: ShopifySimulator) -> str:
    nodes = data(sim, "{ locations(first: 5) { nodes { id } } }")["locations"]["nodes"]
    location: str = nodes[0]["id"]
    return location


def inventory_item_id(sim: ShopifySimulator, sku: str) -> str:
    query = """query($q: String!) { inventoryItems(first: 1, query: $q) { nodes { id sku } } }"""
    nodes = data(sim, query, {"q": f"sku:{sku}"})["inventoryItems"]["nodes"]
    assert nodes
    assert nodes[0]["sku"] == sku
    item: str = nodes[0]["id"]
    return item
