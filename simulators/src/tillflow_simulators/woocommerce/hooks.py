"""Webhook subscriptions and their deliveries, in WooCommerce's exact wire format.

A delivery is a POST of ``wp_json_encode(payload)`` with the ``X-WC-Webhook-*`` headers;
the signature is base64(HMAC-SHA256(secret, raw body)). The ping sent when a webhook is
created is different: a form body ``webhook_id=N`` with no signature or topic headers.
Consecutive failed deliveries are counted per webhook; past the limit the webhook is
``disabled`` and nothing more is sent to it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from tillflow_simulators.common.webhooks import OutgoingWebhook, WebhookSender
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.models import Webhook
from tillflow_simulators.woocommerce.rest.description import WOOCOMMERCE_VERSION, WORDPRESS_VERSION
from tillflow_simulators.woocommerce.state import ShopEvent, ShopState
from tillflow_simulators.woocommerce.wcformat import php_json

USER_AGENT = f"WooCommerce/{WOOCOMMERCE_VERSION} Hookshot (WordPress/{WORDPRESS_VERSION})"
RESOURCES = ("coupon", "customer", "order", "product")
EVENTS = ("created", "updated", "deleted", "restored")
# ``WC_Webhook::get_topic_hooks``: the actions each topic listens to.
TOPIC_HOOKS = {
    "coupon.created": ("woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"),
    "coupon.updated": ("woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"),
    "coupon.deleted": ("wp_trash_post",),
    "coupon.restored": ("untrashed_post",),
    "customer.created": ("user_register", "woocommerce_created_customer",
                         "woocommerce_new_customer"),
    "customer.updated": ("profile_update", "woocommerce_update_customer"),
    "customer.deleted": ("delete_user",),
    "order.created": ("woocommerce_new_order",),
    "order.updated": ("woocommerce_update_order", "woocommerce_order_refunded"),
    "order.deleted": ("wp_trash_post", "woocommerce_trash_order"),
    "order.restored": ("untrashed_post", "woocommerce_untrash_order"),
    "product.created": ("woocommerce_process_product_meta", "woocommerce_new_product",
                        "woocommerce_new_product_variation"),
    "product.updated": ("woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"),
    "product.deleted": ("wp_trash_post",),
    "product.restored": ("untrashed_post",),
}


def signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def is_valid_topic(topic: str) -> bool:
    resource, _, event = topic.partition(".")
    if resource == "action":
        return bool(event)
    return (resource in RESOURCES and event in EVENTS) or topic == "product.published"


def is_valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def get_webhook(state: ShopState, webhook_id: int, *, status: int = 404) -> Webhook:
    record = state.webhooks.get(webhook_id)
    if record is None:
        message = "Invalid ID." if status == 404 else "ID is invalid."
        raise WooError("woocommerce_rest_shop_webhook_invalid_id", message, status)
    return record


def create_webhook(state: ShopState, body: Mapping[str, Any]) -> Webhook:
    topic = str(body.get("topic") or "").lower()
    if not is_valid_topic(topic):
        raise WooError(
            "woocommerce_rest_shop_webhook_invalid_topic",
            "Webhook topic is required and must be valid.",
            400,
        )
    url = str(body.get("delivery_url") or "")
    if not is_valid_url(url):
        raise _invalid_url()
    now = state.now()
    record = Webhook(
        id=state.next_id("webhook"),
        name=str(body.get("name") or f"Webhook created on {now:%B %d, %Y @ %I:%M %p}"),
        # A webhook made through the REST API is active whatever status was asked for.
        status="active",
        topic=topic,
        delivery_url=url,
        secret=str(body.get("secret") or secrets.token_urlsafe(37)),
        date_created=now,
        date_modified=now,
    )
    state.webhooks[record.id] = record
    return record


def update_webhook(state: ShopState, webhook_id: int, body: Mapping[str, Any]) -> Webhook:
    record = get_webhook(state, webhook_id, status=400)
    if body.get("topic"):
        topic = str(body["topic"]).lower()
        if not is_valid_topic(topic):
            raise WooError(
                "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic must be valid.", 400
            )
        record.topic = topic
    if body.get("delivery_url"):
        if not is_valid_url(str(body["delivery_url"])):
            raise _invalid_url()
        record.delivery_url = str(body["delivery_url"])
    if body.get("secret"):
        record.secret = str(body["secret"])
    if body.get("status"):
        if body["status"] not in ("active", "paused", "disabled"):
            raise WooError(
                "woocommerce_rest_shop_webhook_invalid_status", "Webhook status must be valid.", 400
            )
        record.status = str(body["status"])
    if body.get("name"):
        record.name = str(body["name"])
    record.date_modified = state.now()
    return record


def delete_webhook(state: ShopState, webhook_id: int, *, force: bool) -> Webhook:
    if not force:
        raise WooError(
            "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501
        )
    record = get_webhook(state, webhook_id)
    del state.webhooks[webhook_id]
    return record


def _invalid_url() -> WooError:
    return WooError(
        "woocommerce_rest_shop_webhook_invalid_delivery_url",
        "Webhook delivery URL must be a valid URL starting with http:// or https://.",
        400,
    )


class WebhookDispatch:
    """Turns shop events into signed deliveries for every matching active webhook."""

    def __init__(self, state: ShopState, sender: WebhookSender) -> None:
        self.state = state
        self.sender = sender
        state.listeners.append(self.on_event)

    def on_event(self, event: ShopEvent) -> None:
        topic = f"{event.resource}.{event.event}"
        with self.state.lock:
            targets = [
                hook
                for hook in self.state.webhooks.values()
                if hook.status == "active" and hook.topic == topic
            ]
        if not targets:
            return
        body = php_json(event.payload)
        for hook in targets:
            self.sender.submit(self.delivery(hook, body))

    def delivery(self, hook: Webhook, body: bytes) -> OutgoingWebhook:
        delivery_id = uuid.uuid4().hex
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-WC-Webhook-Source": f"{self.state.site_url}/",
            "X-WC-Webhook-Topic": hook.topic,
            "X-WC-Webhook-Resource": hook.resource,
            "X-WC-Webhook-Event": hook.event,
            "X-WC-Webhook-Signature": signature(hook.secret, body),
            "X-WC-Webhook-ID": str(hook.id),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        }
        return OutgoingWebhook(
            url=hook.delivery_url,
            body=body,
            headers=headers,
            key=delivery_id,
            label=hook.topic,
            on_outcome=lambda delivered: self._count(hook.id, delivered=delivered),
        )

    def ping(self, hook: Webhook) -> None:
        self.sender.submit(
            OutgoingWebhook(
                url=hook.delivery_url,
                body=f"webhook_id={hook.id}".encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "User-Agent": USER_AGENT,
                },
                key=f"ping-{hook.id}",
                label="ping",
                retry=False,
            )
        )

    def _count(self, webhook_id: int, *, delivered: bool) -> None:
        with self.state.lock:
            hook = self.state.webhooks.get(webhook_id)
            if hook is None:
                return
            if delivered:
                hook.failure_count = 0
            elif hook.failure_count > self.state.settings.max_webhook_failures:
                hook.status = "disabled"
            else:
                hook.failure_count += 1
