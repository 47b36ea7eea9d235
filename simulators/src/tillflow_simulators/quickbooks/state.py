"""Everything one simulated QuickBooks Online holds: companies, consents, throttles,
request ids and webhooks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from itertools import count

from tillflow_simulators.common.chaos import ChaosControls
from tillflow_simulators.common.clock import Clock
from tillflow_simulators.quickbooks.company import Company, CompanySettings
from tillflow_simulators.quickbooks.identity import Identity
from tillflow_simulators.quickbooks.limits import Meter, Throttles
from tillflow_simulators.quickbooks.requestids import RequestIds
from tillflow_simulators.quickbooks.webhooks import QboWebhooks

FIRST_REALM = 9341455000000001


@dataclass
class QboState:
    clock: Clock
    throttles: Throttles
    validate_responses: bool = True
    identity: Identity = field(init=False)
    meter: Meter = field(init=False)
    request_ids: RequestIds = field(default_factory=RequestIds)
    controls: ChaosControls = field(default_factory=ChaosControls)
    webhooks: QboWebhooks = field(default_factory=QboWebhooks)
    companies: dict[str, Company] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _realms: count[int] = field(default_factory=lambda: count(FIRST_REALM))

    def __post_init__(self) -> None:
        self.identity = Identity(self.clock)
        self.meter = Meter(self.throttles, self.clock)

    def add_company(self, settings: CompanySettings) -> Company:
        with self.lock:
            company = Company(str(next(self._realms)), settings, self.clock)
            self.companies[company.realm_id] = company
            if not self.identity.default_realm:
                self.identity.default_realm = company.realm_id
            return company
