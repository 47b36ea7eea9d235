"""Stripe's webhook signatures: refused when too old or dated ahead, and an event whose
ids are not Stripe's shape is refused before anything is stored."""

from __future__ import annotations

import json
import time

import pytest

from tillflow.connectors.stripe.webhooks import (
    TOLERANCE_SECONDS,
    BadSignatureError,
    sign,
    verify,
)

SECRET = "whsec_test"


def _event(event_id: str = "evt_1", depth: int = 0) -> bytes:
    obj: object = {"id": "pi_1", "object": "payment_intent"}
    for _ in range(depth):
        obj = {"nested": obj}
    return json.dumps({"id": event_id, "type": "payment_intent.succeeded",
                       "data": {"object": obj}}).encode()


@pytest.mark.parametrize("offset", [-TOLERANCE_SECONDS - 5, TOLERANCE_SECONDS + 5])
def test_signatures_too_old_or_dated_ahead_are_refused(offset: int) -> None:
    body = _event()
    with pytest.raises(BadSignatureError):
        verify(body, sign(body, SECRET, timestamp=int(time.time()) + offset), SECRET)


@pytest.mark.parametrize("offset", [-60, 0, 60])
def test_signatures_within_the_tolerance_pass(offset: int) -> None:
    body = _event()
    hook = verify(body, sign(body, SECRET, timestamp=int(time.time()) + offset), SECRET)
    assert (hook.event_id, hook.object_id) == ("evt_1", "pi_1")


@pytest.mark.parametrize("event_id", ["e" * 5_000, "evt 1", "evt_\\u0000"])
def test_ids_stripe_never_makes_are_refused(event_id: str) -> None:
    body = _event(event_id)
    with pytest.raises(BadSignatureError, match="not a Stripe event"):
        verify(body, sign(body, SECRET), SECRET)


def test_a_deeply_nested_event_is_refused() -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    body = b'{"id": "evt_1", "type": "t", "data": {"object": ' + deep + b"}}"
    with pytest.raises(BadSignatureError):
        verify(body, sign(body, SECRET), SECRET)
