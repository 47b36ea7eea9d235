"""Everything one simulated Xero holds: organisations, consents, limits, keys, webhooks."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from tillflow_simulators.common.chaos import ChaosControls
from tillflow_simulators.common.clock import Clock
from tillflow_simulators.xero.books import Books, Settings
from tillflow_simulators.xero.idempotency import IdempotencyKeys
from tillflow_simulators.xero.identity import Identity
from tillflow_simulators.xero.limits import Meter, RateLimits
from tillflow_simulators.xero.webhooks import XeroWebhooks


@dataclass
class XeroState:
    clock: Clock
    limits: RateLimits
    app_name: str = "tillflow"
    validate_responses: bool = True
    identity: Identity = field(init=False)
    meter: Meter = field(init=False)
    keys: IdempotencyKeys = field(default_factory=IdempotencyKeys)
    controls: ChaosControls = field(default_factory=ChaosControls)
    webhooks: XeroWebhooks = field(default_factory=lambda: XeroWebhooks(api_url=""))
    organisations: dict[str, Books] = field(default_factory=dict)
    # One request at a time: the books are plain dicts, and Xero's answers are atomic.
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.identity = Identity(self.clock)
        self.meter = Meter(self.limits, self.clock)

    def add_organisation(self, settings: Settings) -> Books:
        with self.lock:
            books = Books(str(uuid.uuid4()), settings, self.clock, self.clock.now())
            self.organisations[books.tenant_id] = books
            self.identity.organisations[books.tenant_id] = settings.name
            return books
