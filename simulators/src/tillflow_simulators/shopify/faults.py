"""Injectable faults: failing or slow API calls, and dropped, duplicated or reordered webhooks.

Counters (``*_next``, ``queue``) make a test deterministic; rates make a storm. Rates draw
from a seeded random source so a failing run can be replayed.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

API_FAULT_KINDS = frozenset({"429", "500", "502", "503", "504", "timeout", "lost_response"})


@dataclass
class ApiFaults:
    """``timeout`` never runs the call; ``lost_response`` runs it, then answers too late."""

    queue: list[str] = field(default_factory=list)
    rate: float = 0.0
    kinds: list[str] = field(default_factory=lambda: ["500"])
    timeout_seconds: float = 10.0


@dataclass
class WebhookFaults:
    drop_next: int = 0
    duplicate_next: int = 0
    delay_next: int = 0
    drop_rate: float = 0.0
    duplicate_rate: float = 0.0
    reorder_rate: float = 0.0
    reorder_delay: float = 0.5


@dataclass(frozen=True)
class WebhookFate:
    drop: bool = False
    duplicate: bool = False
    delay: float = 0.0


class FaultPlan:
    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self.api = ApiFaults()
        self.webhooks = WebhookFaults()

    def configure(
        self, *, api: dict[str, Any] | None = None, webhooks: dict[str, Any] | None = None
    ) -> None:
        """Merge the given settings into the current plan (unknown keys are refused)."""
        with self._lock:
            if api:
                unknown = set(api.get("queue", [])) | set(api.get("kinds", []))
                if unknown - API_FAULT_KINDS:
                    raise ValueError(
                        f"unknown API fault kinds: {sorted(unknown - API_FAULT_KINDS)}"
                    )
                self.api = _merged(self.api, api)
            if webhooks:
                self.webhooks = _merged(self.webhooks, webhooks)

    def reset(self) -> None:
        with self._lock:
            self.api = ApiFaults()
            self.webhooks = WebhookFaults()

    def as_json(self) -> dict[str, Any]:
        with self._lock:
            return {"api": asdict(self.api), "webhooks": asdict(self.webhooks)}

    def next_api_fault(self) -> str | None:
        with self._lock:
            if self.api.queue:
                return self.api.queue.pop(0)
            if self.api.rate and self._random.random() < self.api.rate:
                return self._random.choice(self.api.kinds)
            return None

    @property
    def api_timeout(self) -> float:
        return self.api.timeout_seconds

    def webhook_fate(self) -> WebhookFate:
        with self._lock:
            plan = self.webhooks
            if plan.drop_next or self._chance(plan.drop_rate):
                plan.drop_next = max(0, plan.drop_next - 1)
                return WebhookFate(drop=True)
            duplicate = bool(plan.duplicate_next) or self._chance(plan.duplicate_rate)
            plan.duplicate_next = (
                max(0, plan.duplicate_next - 1) if duplicate else plan.duplicate_next
            )
            delayed = bool(plan.delay_next) or self._chance(plan.reorder_rate)
            plan.delay_next = max(0, plan.delay_next - 1) if delayed else plan.delay_next
            return WebhookFate(duplicate=duplicate, delay=plan.reorder_delay if delayed else 0.0)

    def _chance(self, rate: float) -> bool:
        return bool(rate) and self._random.random() < rate


def _merged(current: Any, changes: dict[str, Any]) -> Any:
    known = {f.name for f in fields(current)}
    unknown = set(changes) - known
    if unknown:
        raise ValueError(f"unknown fault settings: {sorted(unknown)}")
    return type(current)(**{**asdict(current), **changes})
