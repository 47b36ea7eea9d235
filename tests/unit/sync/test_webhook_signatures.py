"""Webhook signatures are checked over the raw bytes, exactly as the platforms send them."""

from __future__ import annotations

import pytest

from tillflow.connectors.common.signatures import signature
from tillflow.connectors.shopify import webhooks as shopify
from tillflow.connectors.woocommerce import webhooks as woo
from tillflow.ports.commerce import (
    CUSTOMER,
    IGNORED,
    ORDER,
    PING,
    PRODUCT,
    BadWebhook,
    MalformedWebhook,
)

# Shopify escapes <, > and &; WooCommerce escapes slashes. Re-serialising breaks both.
SHOPIFY_BODY = b'{"admin_graphql_api_id":"gid:\\/\\/shopify\\/Order\\/5","note":"\\u003cb\\u003e"}'
WOO_BODY = b'{"id":5,"date_modified_gmt":"2026-01-01T00:00:00","permalink":"http:\\/\\/x\\/"}'


def test_shopify_webhooks_verify_the_exact_bytes() -> None:
    headers = {"x-shopify-hmac-sha256": signature("s", SHOPIFY_BODY),
               "x-shopify-topic": "orders/updated", "x-shopify-event-id": "ev"}
    message = shopify.read(headers, SHOPIFY_BODY, secret="s")
    assert (message.kind, message.external_id, message.delivery_id) == (
        ORDER, "gid://shopify/Order/5", "ev")
    with pytest.raises(BadWebhook):
        shopify.read(headers, SHOPIFY_BODY.replace(b"\\u003c", b"<"), secret="s")
    with pytest.raises(BadWebhook):
        shopify.read(headers, SHOPIFY_BODY, secret=None)


def test_shopify_topics_tillflow_does_not_use_are_ignored_and_junk_is_malformed() -> None:
    body = b'{"id": 1}'
    headers = {"x-shopify-hmac-sha256": signature("s", body),
               "x-shopify-topic": "products/delete", "x-shopify-event-id": "e"}
    assert shopify.read(headers, body, secret="s").kind == IGNORED
    junk = {**headers, "x-shopify-hmac-sha256": signature("s", b"[")}
    with pytest.raises(MalformedWebhook):
        shopify.read(junk, b"[", secret="s")


def test_woocommerce_deliveries_are_known_by_their_content_and_the_ping_passes() -> None:
    headers = {"x-wc-webhook-signature": signature("w", WOO_BODY),
               "x-wc-webhook-topic": "order.updated", "x-wc-webhook-delivery-id": "random"}
    message = woo.read(headers, WOO_BODY, secret="w")
    assert (message.kind, message.external_id) == (ORDER, "5")
    assert message.delivery_id == "order.updated:5:2026-01-01T00:00:00"
    assert woo.read({}, b"webhook_id=3", secret="w").kind == PING
    with pytest.raises(BadWebhook):
        woo.read({**headers, "x-wc-webhook-signature": "x"}, WOO_BODY, secret="w")


@pytest.mark.parametrize(("topic", "kind", "resource"), [
    ("products/create", PRODUCT, "gid://shopify/Product/7"),
    ("customers/create", CUSTOMER, "gid://shopify/Customer/7"),
    ("customers/update", CUSTOMER, "gid://shopify/Customer/7"),
    ("customers/delete", IGNORED, None),
])
def test_shopify_product_and_customer_topics_name_their_resource(
        topic: str, kind: str, resource: str | None) -> None:
    noun = "Product" if topic.startswith("products") else "Customer"
    body = f'{{"id": 7, "admin_graphql_api_id": "gid://shopify/{noun}/7"}}'.encode()
    headers = {"x-shopify-hmac-sha256": signature("s", body),
               "x-shopify-topic": topic, "x-shopify-event-id": "e"}
    message = shopify.read(headers, body, secret="s")
    assert (message.kind, message.external_id) == (kind, resource)


@pytest.mark.parametrize(("topic", "kind"), [
    ("product.created", PRODUCT), ("product.updated", IGNORED),
    ("customer.created", CUSTOMER), ("customer.updated", CUSTOMER),
    ("customer.deleted", IGNORED), ("order.deleted", IGNORED),
])
def test_woocommerce_product_and_customer_topics(topic: str, kind: str) -> None:
    headers = {"x-wc-webhook-signature": signature("w", WOO_BODY),
               "x-wc-webhook-topic": topic}
    message = woo.read(headers, WOO_BODY, secret="w")
    assert (message.kind, message.external_id) == (kind, "5")


def test_the_signature_is_base64_hmac_sha256_of_the_raw_body() -> None:
    # RFC 4231, test case 2
    expected = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
    assert signature("Jefe", b"what do ya want for nothing?") == expected
