"""Webhook deliveries to a real receiver: signatures, headers, payloads, retries and faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import httpx
import pytest

from sim_support.shopify import (
    Received,
    WebhookReceiver,
    data,
    running_receiver,
    running_simulator,
    subscribe,
)
from tillflow_simulators.shopify import DeliveryPolicy, ShopifySimulator

SECRET = "whsec-for-tests"
FAST = DeliveryPolicy(retry_delays=(0.05, 0.05, 0.05), timeout=0.5)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with running_receiver() as hooks:
        yield hooks


@pytest.fixture
def sim(receiver: WebhookReceiver) -> Iterator[ShopifySimulator]:
    with running_simulator(webhook_secret=SECRET, delivery=FAST) as simulator:
        simulator.seed(2)
        subscribe(
            simulator,
            receiver.url,
            "ORDERS_CREATE",
            "INVENTORY_LEVELS_UPDATE",
            "ORDERS_CANCELLED",
            "CUSTOMERS_CREATE",
            "PRODUCTS_UPDATE",
        )
        yield simulator


def expected_signature(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def of_topic(received: list[Received], topic: str) -> list[Received]:
    return [r for r in received if r.topic == topic]


def test_web_order_sends_signed_rest_shaped_webhooks(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    response = httpx.post(
        f"{sim.url}/_sim/orders",
        json={
            "line_items": [{"sku": "SIM-000001", "quantity": 2}],
            "customer": {"email": "ana@example.com", "first_name": "Ana"},
        },
    )
    assert response.status_code == 201
    order = response.json()["order"]
    receiver.wait_for(
        lambda got: (
            len(of_topic(got, "orders/create")) == 1
            and len(of_topic(got, "inventory_levels/update")) == 1
            and len(of_topic(got, "customers/create")) == 1
        )
    )
    [created] = of_topic(receiver.received, "orders/create")
    assert created.headers["x-shopify-hmac-sha256"] == expected_signature(created.body)
    assert created.headers["x-shopify-shop-domain"] == "tillflow-sim.myshopify.com"
    assert created.headers["x-shopify-api-version"] == "2026-10"
    assert created.headers["x-shopify-webhook-id"]
    assert created.headers["x-shopify-event-id"]
    assert created.headers["x-shopify-triggered-at"].endswith("Z")
    payload = created.json()
    assert payload["id"] == order["id"]
    assert payload["admin_graphql_api_id"] == f"gid://shopify/Order/{order['id']}"
    assert payload["line_items"][0]["sku"] == "SIM-000001"
    assert payload["line_items"][0]["quantity"] == 2
    assert payload["customer"]["email"] == "ana@example.com"
    [level] = of_topic(receiver.received, "inventory_levels/update")
    assert level.json()["available"] == sim.available("SIM-000001")


def test_bodies_escape_like_shopify_so_reserialising_breaks_the_signature(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    product = sim.shop.variant("SIM-000001").product
    assert product is not None
    data(
        sim,
        """mutation($p: ProductUpdateInput!) { productUpdate(product: $p) {
        userErrors { message } } }""",
        {"p": {"id": product.id, "title": "Salt & <Pepper>"}},
    )
    receiver.wait_for(lambda got: bool(of_topic(got, "products/update")))
    [update] = of_topic(receiver.received, "products/update")
    assert b"\\u0026" in update.body
    assert b"&" not in update.body
    assert update.json()["title"] == "Salt & <Pepper>"
    reserialised = json.dumps(update.json()).encode()
    assert expected_signature(reserialised) != update.headers["x-shopify-hmac-sha256"]


def test_failed_deliveries_are_retried_with_the_same_ids(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    receiver.failing_topic = "orders/create"
    receiver.answers = [500, 503]
    sim.place_order([("SIM-000002", 1)])
    receiver.wait_for(lambda got: len(of_topic(got, "orders/create")) == 3)
    attempts = of_topic(receiver.received, "orders/create")
    assert len({a.headers["x-shopify-webhook-id"] for a in attempts}) == 1
    assert len({a.headers["x-shopify-event-id"] for a in attempts}) == 1
    assert len({a.body for a in attempts}) == 1
    assert sim.wait_for_webhooks()
    outcomes = [r.outcome for r in sim.shop.webhooks.records if r.topic == "orders/create"]
    assert outcomes == ["retrying", "retrying", "delivered"]


def test_a_receiver_that_times_out_gets_the_delivery_again(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    receiver.delay = 0.7
    sim.place_order([("SIM-000002", 1)])
    receiver.wait_for(lambda got: len(of_topic(got, "orders/create")) >= 2, timeout=10)
    receiver.delay = 0.0
    assert sim.wait_for_webhooks()
    errors = {r.error for r in sim.shop.webhooks.records if r.topic == "orders/create"}
    assert "ReadTimeout" in errors


def test_injected_duplicates_share_event_ids_and_drops_never_arrive(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    sim.faults.configure(webhooks={"duplicate_next": 1})
    sim.place_order([("SIM-000001", 1)])
    receiver.wait_for(lambda got: len(of_topic(got, "orders/create")) == 2)
    first, second = of_topic(receiver.received, "orders/create")
    assert first.headers["x-shopify-event-id"] == second.headers["x-shopify-event-id"]
    assert first.headers["x-shopify-webhook-id"] == second.headers["x-shopify-webhook-id"]
    assert sim.wait_for_webhooks()
    sim.faults.configure(webhooks={"drop_next": 2})
    sim.place_order([("SIM-000001", 1)])
    assert sim.wait_for_webhooks()
    assert len(of_topic(receiver.received, "orders/create")) == 2
    dropped = [r for r in sim.shop.webhooks.records if r.outcome == "dropped"]
    assert {r.topic for r in dropped} == {"orders/create", "inventory_levels/update"}


def test_held_deliveries_are_released_newest_first(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    httpx.post(f"{sim.url}/_sim/webhooks/hold").raise_for_status()
    for available in (5, 6, 7):
        sim.set_stock("SIM-000001", available, notify=True)
    httpx.post(f"{sim.url}/_sim/webhooks/release", json={"reverse": True}).raise_for_status()
    receiver.wait_for(lambda got: len(of_topic(got, "inventory_levels/update")) == 3)
    arrived = [
        r.json()["available"] for r in of_topic(receiver.received, "inventory_levels/update")
    ]
    assert arrived == [7, 6, 5]


def test_drift_injected_without_notice_sends_nothing(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    response = httpx.post(f"{sim.url}/_sim/inventory", json={"sku": "SIM-000002", "available": 1})
    assert response.json() == {"sku": "SIM-000002", "available": 1}
    assert sim.wait_for_webhooks()
    assert receiver.received == []


def test_cancelled_web_order_restocks_and_says_so(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    before = sim.available("SIM-000001")
    order = sim.place_order([("SIM-000001", 2)])
    cancelled = httpx.post(f"{sim.url}/_sim/orders/{order.number}/cancel", json={"restock": True})
    assert cancelled.json()["order"]["cancel_reason"] == "customer"
    assert sim.available("SIM-000001") == before
    receiver.wait_for(lambda got: bool(of_topic(got, "orders/cancelled")))
    oversold = httpx.post(
        f"{sim.url}/_sim/orders",
        json={"line_items": [{"sku": "SIM-000001", "quantity": before + 1}]},
    )
    assert oversold.status_code == 422


def test_subscriptions_are_listed_and_deleted(
    sim: ShopifySimulator, receiver: WebhookReceiver
) -> None:
    listed = data(
        sim,
        """{ webhookSubscriptions(first: 10, topics: [ORDERS_CREATE]) {
        nodes { id topic uri format } } }""",
    )["webhookSubscriptions"]["nodes"]
    assert [(s["topic"], s["uri"], s["format"]) for s in listed] == [
        ("ORDERS_CREATE", receiver.url, "JSON")
    ]
    duplicate = data(
        sim,
        """mutation($uri: String!) { webhookSubscriptionCreate(
        topic: ORDERS_CREATE, webhookSubscription: {uri: $uri}) { userErrors { message } } }""",
        {"uri": receiver.url},
    )
    assert duplicate["webhookSubscriptionCreate"]["userErrors"] == [
        {"message": "Address for this topic has already been taken"}
    ]
    deleted = data(
        sim,
        """mutation($id: ID!) { webhookSubscriptionDelete(id: $id) {
        deletedWebhookSubscriptionId userErrors { message } } }""",
        {"id": listed[0]["id"]},
    )
    assert deleted["webhookSubscriptionDelete"]["deletedWebhookSubscriptionId"] == listed[0]["id"]
    sim.place_order([("SIM-000002", 1)])
    assert sim.wait_for_webhooks()
    assert of_topic(receiver.received, "orders/create") == []
