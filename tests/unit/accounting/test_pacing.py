"""Calls paced under rolling-window limits, on a fake clock."""

from __future__ import annotations

from tillflow.connectors.common.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_calls_within_the_limits_never_wait() -> None:
    clock = Clock()
    pacer = Pacer((10, 1.0), (500, 60.0), clock=clock, sleep=clock.sleep)
    for _ in range(10):
        pacer.wait()
    assert clock.slept == []


def test_the_call_over_a_window_waits_for_its_oldest_call_to_leave() -> None:
    clock = Clock()
    pacer = Pacer((3, 1.0), clock=clock, sleep=clock.sleep)
    for step in (0.0, 0.2, 0.4):
        clock.now = step
        pacer.wait()
    pacer.wait()
    assert clock.slept == [0.6]
    assert clock.now == 1.0


def test_the_longest_window_holds_when_the_short_one_has_room() -> None:
    clock = Clock()
    pacer = Pacer((10, 1.0), (12, 60.0), clock=clock, sleep=clock.sleep)
    for _ in range(12):
        pacer.wait()
        clock.now += 0.5
    pacer.wait()
    assert clock.slept == [54.0]
