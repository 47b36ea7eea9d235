"""The leaky cost bucket, driven by a fake monotonic clock."""

from __future__ import annotations

from tillflow_simulators.shopify.throttle import CostBucket, RateLimits


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_standard_shop_values() -> None:
    status = CostBucket(RateLimits.standard(), monotonic=FakeClock()).status()
    assert status.as_json() == {
        "maximumAvailable": 2000.0,
        "currentlyAvailable": 2000,
        "restoreRate": 100.0,
    }


def test_requests_beyond_the_bucket_are_refused_until_it_refills() -> None:
    clock = FakeClock()
    bucket = CostBucket(RateLimits(maximum_available=100.0, restore_rate=10.0), monotonic=clock)
    assert bucket.try_take(80)
    assert not bucket.try_take(30)
    clock.now = 1.0
    assert bucket.try_take(30)
    assert bucket.status().currently_available == 0


def test_refund_returns_unused_points_but_never_overfills() -> None:
    clock = FakeClock()
    bucket = CostBucket(RateLimits(maximum_available=100.0, restore_rate=10.0), monotonic=clock)
    bucket.try_take(60)
    bucket.refund(50)
    assert bucket.status().currently_available == 90
    clock.now = 100.0
    assert bucket.status().currently_available == 100
    assert bucket.spent == 10


def test_unenforced_limits_never_throttle() -> None:
    bucket = CostBucket(RateLimits.unlimited(), monotonic=FakeClock())
    assert all(bucket.try_take(1000) for _ in range(10))
    assert bucket.status().currently_available == 2000
