"""Webhook deliveries to a real receiver: ping, headers, signature, retries, faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from tillflow_simulators.common.recorder import ReceivedRequest, WebhookRecorder
from tillflow_simulators.common.webhooks import RetryPolicy
from tillflow_simulators.woocommerce import WooCommerceSimulator
from tillflow_simulators.woocommerce.state import ShopSettings

Subscribe = Callable[..., int]


@pytest.fixture
def sim() -> Iterator[WooCommerceSimulator]:
    with WooCommerceSimulator(
        webhook_retry=RetryPolicy(max_attempts=3, first_delay=0.05),
        webhook_timeout=2.0,
        webhook_reorder_hold=3.0,
    ) as simulator:
        yield simulator


@pytest.fixture
def api(sim: WooCommerceSimulator) -> Iterator[httpx.Client]:
    with sim.client(timeout=5.0) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookRecorder]:
    with WebhookRecorder() as recorder:
        yield recorder


@pytest.fixture
def subscribe(api: httpx.Client, receiver: WebhookRecorder) -> Subscribe:
    """Create a webhook and wait for its ping, so later deliveries are all events."""

    def create(topic: str, secret: str = "s3cret") -> int:
        before = len(receiver.received)
        response = api.post(
            "/webhooks", json={"topic": topic, "delivery_url": receiver.url(), "secret": secret}
        )
        assert response.status_code == 201, response.text
        receiver.wait_for(before + 1)
        webhook_id: int = response.json()["id"]
        return webhook_id

    return create


def events(receiver: WebhookRecorder, count: int = 0) -> list[ReceivedRequest]:
    """Deliveries other than creation pings, once there are ``count`` of them."""
    found = receiver.wait_until(lambda got: len(_events(got)) >= count, timeout=5.0)
    return _events(found)


def _events(received: list[ReceivedRequest]) -> list[ReceivedRequest]:
    return [r for r in received if "x-wc-webhook-topic" in r.headers]


def _signed(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_creation_sends_the_ping(api: httpx.Client, receiver: WebhookRecorder) -> None:
    response = api.post(
        "/webhooks",
        json={"name": "tillflow", "topic": "product.updated", "delivery_url": receiver.url(),
              "secret": "abc"},
    )
    assert response.status_code == 201
    webhook = response.json()
    assert webhook["status"] == "active"
    assert (webhook["resource"], webhook["event"]) == ("product", "updated")
    assert "secret" not in webhook
    ping = receiver.wait_for(1)[0]
    assert ping.body == f"webhook_id={webhook['id']}".encode()
    assert ping.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "x-wc-webhook-signature" not in ping.headers


def test_delivery_headers_and_signature(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    product = sim.seed(1)[0]
    webhook_id = subscribe("product.updated", "p&ss<word")
    api.put(f"/products/{product['id']}", json={"regular_price": "3.10"})
    delivery = events(receiver, 1)[0]
    headers = delivery.headers
    assert headers["x-wc-webhook-topic"] == "product.updated"
    assert headers["x-wc-webhook-resource"] == "product"
    assert headers["x-wc-webhook-event"] == "updated"
    assert headers["x-wc-webhook-id"] == str(webhook_id)
    assert headers["x-wc-webhook-source"] == f"{sim.url}/"
    assert len(headers["x-wc-webhook-delivery-id"]) == 32
    assert headers["user-agent"].startswith("WooCommerce/")
    assert hmac.compare_digest(
        headers["x-wc-webhook-signature"], _signed("p&ss<word", delivery.body)
    )
    assert b"\\/" in delivery.body
    payload = json.loads(delivery.body)
    assert (payload["id"], payload["regular_price"]) == (product["id"], "3.10")


def test_web_order_fires_created_then_updated(
    sim: WooCommerceSimulator, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    sku = sim.seed(1)[0]["sku"]
    subscribe("order.created")
    subscribe("order.updated")
    subscribe("product.updated")
    order = sim.place_order([(sku, 1)], billing={"email": "ann@example.com"})
    events(receiver, 2)
    sim.wait_idle()
    delivered = events(receiver)
    assert [e.headers["x-wc-webhook-topic"] for e in delivered] == [
        "order.created", "order.updated"
    ]
    assert json.loads(delivered[0].body)["id"] == order["id"]
    assert json.loads(delivered[1].body)["status"] == "processing"


def test_failed_delivery_is_retried_with_the_same_delivery_id(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    product = sim.seed(1)[0]
    subscribe("product.updated")
    receiver.answer_next(500, 503)
    api.put(f"/products/{product['id']}", json={"name": "Renamed"})
    tries = events(receiver, 3)
    assert len({e.headers["x-wc-webhook-delivery-id"] for e in tries}) == 1
    assert sim.wait_idle()
    attempts = [a for a in sim.deliveries if a.label == "product.updated"]
    assert [(a.attempt, a.status_code, a.delivered) for a in attempts] == [
        (1, 500, False), (2, 503, False), (3, 200, True)
    ]


def test_consecutive_failures_disable_the_webhook(receiver: WebhookRecorder) -> None:
    with WooCommerceSimulator(
        settings=ShopSettings(max_webhook_failures=2),
        webhook_retry=RetryPolicy(max_attempts=1),
    ) as sim, sim.client() as api:
        product = sim.seed(1)[0]
        hook = api.post(
            "/webhooks", json={"topic": "product.updated", "delivery_url": receiver.url()}
        ).json()
        receiver.wait_for(1)
        receiver.answer_next(*[500] * 10)
        for price in ("1.00", "2.00", "3.00", "4.00", "5.00"):
            api.put(f"/products/{product['id']}", json={"regular_price": price})
            sim.wait_idle()
        status = api.get(f"/webhooks/{hook['id']}").json()["status"]
    assert status == "disabled"
    assert len(events(receiver)) == 4


def test_duplicate_drop_and_reorder_faults(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    product = sim.seed(1)[0]
    subscribe("product.updated")

    sim.webhook_faults.duplicate = 1
    api.put(f"/products/{product['id']}", json={"regular_price": "1.00"})
    sim.wait_idle()
    duplicated = events(receiver)
    assert len(duplicated) == 2
    assert duplicated[0].body == duplicated[1].body
    assert duplicated[0].headers["x-wc-webhook-delivery-id"] == (
        duplicated[1].headers["x-wc-webhook-delivery-id"]
    )

    sim.webhook_faults.drop = 1
    api.put(f"/products/{product['id']}", json={"regular_price": "2.00"})
    sim.wait_idle()
    assert len(events(receiver)) == 2
    assert len(sim.sender.dropped) == 1

    sim.webhook_faults.reorder = 1
    api.put(f"/products/{product['id']}", json={"regular_price": "3.00"})
    api.put(f"/products/{product['id']}", json={"regular_price": "4.00"})
    sim.wait_idle()
    prices = [json.loads(e.body)["regular_price"] for e in events(receiver)[2:]]
    assert prices == ["4.00", "3.00"]


def test_paused_webhook_receives_nothing(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    product = sim.seed(1)[0]
    webhook_id = subscribe("product.updated")
    api.put(f"/webhooks/{webhook_id}", json={"status": "paused"})
    api.put(f"/products/{product['id']}", json={"regular_price": "1.00"})
    assert sim.wait_idle()
    assert events(receiver) == []


def test_trash_is_announced_but_a_forced_delete_is_not(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    first, second = sim.seed(2)
    subscribe("product.deleted")
    api.delete(f"/products/{first['id']}")
    api.delete(f"/products/{second['id']}", params={"force": "true"})
    assert sim.wait_idle()
    assert [json.loads(e.body) for e in events(receiver)] == [{"id": first["id"]}]


def test_order_stock_change_does_not_touch_the_product(
    sim: WooCommerceSimulator, api: httpx.Client, receiver: WebhookRecorder, subscribe: Subscribe
) -> None:
    product = sim.seed(1)[0]
    subscribe("product.updated")
    sim.place_order([(product["sku"], 1)])
    assert sim.wait_idle()
    assert events(receiver) == []
    after = api.get(f"/products/{product['id']}").json()
    assert after["stock_quantity"] == product["stock_quantity"] - 1
    assert after["date_modified_gmt"] == product["date_modified_gmt"]


def test_webhook_list_and_delete(api: httpx.Client, subscribe: Subscribe) -> None:
    webhook_id = subscribe("customer.created")
    assert [w["id"] for w in api.get("/webhooks").json()] == [webhook_id]
    refused = api.delete(f"/webhooks/{webhook_id}")
    assert refused.status_code == 501
    assert refused.json()["code"] == "woocommerce_rest_trash_not_supported"
    assert api.delete(f"/webhooks/{webhook_id}", params={"force": "true"}).status_code == 200
    assert api.get("/webhooks").json() == []


def test_invalid_topic_is_refused(api: httpx.Client, receiver: WebhookRecorder) -> None:
    response = api.post(
        "/webhooks", json={"topic": "stock.changed", "delivery_url": receiver.url()}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_shop_webhook_invalid_topic"
