"""Xero's webhooks: the intent-to-receive check, then signed event deliveries.

A subscription (URL and webhook key) receives nothing until it passes intent to receive:
Xero posts the empty payload ``{"events": [], "firstEventSequence": 0,
"lastEventSequence": 0, "entropy": ...}`` a few times, some correctly signed and some
not, and the receiver must answer 200 to the first and 401 to the others. After that,
changes to invoices, contacts and credit notes are delivered with ``x-xero-signature``
(base64 HMAC-SHA256 of the body with the webhook key), sequence numbers that grow, and
retries while the receiver fails. Every payload is checked against
``xero-webhooks.yaml`` before it leaves.
"""

from __future__ import annotations

import json
import random
import secrets
import string
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from tillflow_simulators.common.webhooks import OutgoingWebhook, WebhookSender
from tillflow_simulators.xero.books import Event
from tillflow_simulators.xero.openapi import WebhookCall, request_problems, specs
from tillflow_simulators.xero.signing import sign

HOOK_NAMES = {"INVOICE": "invoices", "CONTACT": "contacts", "CREDITNOTE": "creditNotes"}
RESOURCES = {"INVOICE": "Invoices", "CONTACT": "Contacts", "CREDITNOTE": "CreditNotes"}
INTENT_ROUNDS = 4


class PayloadRefused(AssertionError):
    """A payload the simulator built that Xero's webhook schema refuses (a simulator bug)."""


@dataclass
class Subscription:
    url: str
    key: str
    categories: frozenset[str] = frozenset(HOOK_NAMES)
    status: str = "PENDING"  # OK once intent to receive passed
    sequence: int = 0


@dataclass(frozen=True)
class IntentResult:
    passed: bool
    answers: list[tuple[bool, int | None]]  # (correctly signed?, status answered)


def _entropy() -> str:
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))


def _body(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def _stamp(moment: datetime) -> str:
    # Xero's examples write no zone; its schema asks for an RFC 3339 date-time, so "Z".
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class XeroWebhooks:
    api_url: str
    sender: WebhookSender = field(default_factory=WebhookSender)
    subscription: Subscription | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def intent_to_receive(self, url: str, key: str, *, timeout: float = 5.0) -> IntentResult:
        """Run Xero's check against ``url``; deliveries start only when it passes."""
        subscription = Subscription(url, key)
        signed = [True, False] * (INTENT_ROUNDS // 2)
        self.rng.shuffle(signed)
        answers: list[tuple[bool, int | None]] = []
        with httpx.Client(timeout=timeout) as client:
            for good in signed:
                body = _body({"events": [], "firstEventSequence": 0, "lastEventSequence": 0,
                              "entropy": _entropy()})
                signature = sign(body, key if good else key + "-not-the-key")
                try:
                    status: int | None = client.post(url, content=body, headers={
                        "x-xero-signature": signature,
                        "Content-Type": "application/json"}).status_code
                except httpx.HTTPError:
                    status = None
                answers.append((good, status))
        passed = all(status == (200 if good else 401) for good, status in answers)
        subscription.status = "OK" if passed else "PENDING"
        with self._lock:
            self.subscription = subscription
        return IntentResult(passed, answers)

    def announce(self, tenant_id: str, events: Iterable[Event], when: datetime) -> None:
        with self._lock:
            subscription = self.subscription
            if subscription is None or subscription.status != "OK":
                return
            by_category: dict[str, list[Event]] = {}
            for event in events:
                if event.category in subscription.categories:
                    by_category.setdefault(event.category, []).append(event)
            for category, batch in by_category.items():
                first = subscription.sequence + 1
                subscription.sequence += len(batch)
                self._deliver(subscription, category, tenant_id, batch=batch, first=first,
                              when=when)

    def _deliver(self, subscription: Subscription, category: str, tenant_id: str, *,
                 batch: list[Event], first: int, when: datetime) -> None:
        events = []
        for event in batch:
            item: dict[str, object] = {
                "resourceUrl": f"{self.api_url}/{RESOURCES[category]}/{event.resource_id}",
                "resourceId": event.resource_id, "eventDateUtc": _stamp(when),
                "eventType": event.kind, "eventCategory": category, "tenantId": tenant_id,
                "tenantType": "ORGANISATION"}
            if event.data is not None:
                item["data"] = dict(event.data)
            events.append(item)
        body = _body({"events": events, "firstEventSequence": first,
                      "lastEventSequence": first + len(batch) - 1, "entropy": _entropy()})
        problems = request_problems(specs().webhooks, WebhookCall(HOOK_NAMES[category], body))
        if problems:
            raise PayloadRefused(f"webhook payload refused by Xero's schema: {problems}")
        self.sender.submit(OutgoingWebhook(
            url=subscription.url, body=body, key=f"{first}-{category}", label=category,
            headers={"x-xero-signature": sign(body, subscription.key),
                     "Content-Type": "application/json"}))
