"""Intuit's data-change webhooks: after each request that changed entities, one POST of
``{"eventNotifications": [{"realmId": ..., "dataChangeEvent": {"entities": [{"name",
"id", "operation", "lastUpdated"}]}}]}`` signed with ``intuit-signature``. The payload names
entities only; the receiver reads them back."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from tillflow_simulators.common.webhooks import OutgoingWebhook, WebhookSender
from tillflow_simulators.quickbooks.company import Change
from tillflow_simulators.quickbooks.signing import sign


@dataclass(frozen=True)
class Subscription:
    url: str
    verifier_token: str
    entities: frozenset[str] | None = None  # None: every entity modelled


@dataclass
class QboWebhooks:
    sender: WebhookSender = field(default_factory=WebhookSender)
    subscription: Subscription | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: int = 0

    def subscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self.subscription = subscription

    def announce(self, realm_id: str, changes: list[Change]) -> None:
        with self._lock:
            subscription = self.subscription
            chosen = [c for c in changes if subscription is not None and
                      (subscription.entities is None or c.name in subscription.entities)]
            if subscription is None or not chosen:
                return
            self._count += 1
            key = f"qbo-{self._count}"
        entities = [{"name": c.name, "id": c.entity_id, "operation": c.operation,
                     "lastUpdated": c.when.strftime("%Y-%m-%dT%H:%M:%S.")
                     + f"{c.when.microsecond // 1000:03d}Z"} for c in chosen]
        body = json.dumps({"eventNotifications": [{
            "realmId": realm_id, "dataChangeEvent": {"entities": entities}}]},
            separators=(",", ":")).encode("utf-8")
        self.sender.submit(OutgoingWebhook(
            url=subscription.url, body=body, key=key, label="dataChangeEvent",
            headers={"intuit-signature": sign(body, subscription.verifier_token),
                     "Content-Type": "application/json"}))
