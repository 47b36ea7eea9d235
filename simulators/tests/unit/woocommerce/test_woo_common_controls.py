"""The shared fault controls: rate limiter, API fault rules, webhook retry and faults."""

from __future__ import annotations

import random

from tillflow_simulators.common.chaos import ApiFaults, FaultRule, RateLimiter
from tillflow_simulators.common.webhooks import RetryPolicy, WebhookFaults


def test_token_bucket_refills_over_time() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    assert limiter.acquire() is None
    assert limiter.acquire() is None
    assert limiter.acquire() == 1
    now[0] += 0.5
    assert limiter.acquire() is None
    assert limiter.acquire() == 1


def test_slow_limiter_asks_for_longer_waits() -> None:
    limiter = RateLimiter(rate=0.25, burst=1, clock=lambda: 0.0)
    limiter.acquire()
    assert limiter.acquire() == 4


def test_fault_rules_match_and_run_out() -> None:
    faults = ApiFaults()
    faults.add(FaultRule(status=503, count=2, path_prefix="/wp-json/wc/v3/orders", method="post"))
    assert faults.take("GET", "/wp-json/wc/v3/orders") is None
    assert faults.take("POST", "/wp-json/wc/v3/products") is None
    assert faults.take("POST", "/wp-json/wc/v3/orders") is not None
    assert faults.take("POST", "/wp-json/wc/v3/orders/5") is not None
    assert faults.take("POST", "/wp-json/wc/v3/orders") is None
    assert faults.rules == []


def test_retry_delays_grow_to_a_cap() -> None:
    policy = RetryPolicy(max_attempts=6, first_delay=0.5, factor=2.0, max_delay=3.0)
    assert [policy.delay_before(n) for n in range(2, 7)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_webhook_fault_counters_then_rates() -> None:
    faults = WebhookFaults(drop=1, duplicate_rate=1.0, rng=random.Random(1))
    assert faults.take("drop")
    assert not faults.take("drop")
    assert faults.take("duplicate")
    assert not faults.take("reorder")
