"""Adyen refunds stay pending until Adyen's notification settles them, success or failure;
duplicates, any order, a lost reversal answer. PostgreSQL.

The simulator holds its signed notifications; each test delivers them to tillflow's
webhook endpoint itself (twice, reversed, first), then lets the resolver consume them.
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from support.api import Api
from support.dropping_proxy import DroppingProxy, dropping_proxy
from tillflow.connectors.adyen.notifications import sign_item
from tillflow.db.tables_payments import payment_refunds
from tillflow.db.uow import engine_of
from tillflow.services.payments import resolver
from tillflow.services.payments.gateways import gateways_of
from tillflow.sync.consumers import ConsumerRunner
from tillflow_simulators.adyen.notifier import NotificationSettings
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
POI = "V400m-324687828"
HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
# Held, never sent: the tests deliver each notification themselves.
NOWHERE = "http://127.0.0.1:9/held"


@pytest.fixture
def adyen(api: Api) -> Iterator[tuple[RunningAdyenSimulator, DroppingProxy]]:
    settings = NotificationSettings(url=NOWHERE, hmac_key=HMAC_KEY, hold=True)
    with RunningAdyenSimulator(AdyenSimulator(notifications=settings)) as running, \
            dropping_proxy(running.url) as (proxy, url):
        running.simulator.add_terminal(POI)
        api.location("S1")
        api.product("TEA", "5.00", tax_rate="0.1")
        api.stock("TEA", "S1", 50)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": url, "sale_id": "POS-01"},
            "secrets": {"api_key": running.api_key, "hmac_key": HMAC_KEY}}), 201)
        yield running, proxy
        gateways_of(api.ctx).close()


def _paid(api: Api, key: str = "k") -> str:
    card = {"method": "card", "amount": "5.50", "connection": "adyen", "terminal": POI}
    sale = api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "TEA", "quantity": 1}],
                                      "payments": [card]},
                           role="cashier", headers={"Idempotency-Key": key}), 201)
    return str(sale["payments"][0]["payment_id"])


def _refund_notifications(sim: RunningAdyenSimulator, count: int) -> list[dict[str, Any]]:
    """The first ``count`` refund notifications the simulator signed (waits for them)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        items = [json.loads(d.body)["notificationItems"][0]["NotificationRequestItem"]
                 for d in list(sim.simulator.notifier.deliveries) if d.kind == "notification"]
        refunds = [i for i in items if i["eventCode"] != "AUTHORISATION"]
        if len(refunds) >= count:
            return refunds
        time.sleep(0.02)
    pytest.fail(f"the simulator did not send {count} refund notification(s) in time")


def _post(api: Api, *items: dict[str, Any]) -> None:
    for item in items:
        body = {"live": "false", "notificationItems": [{"NotificationRequestItem": item}]}
        answer = api.client.post("/api/v1/payments/webhooks/adyen", json=body)
        assert (answer.status_code, answer.text) == (200, "[accepted]")


def _deliver(api: Api, *items: dict[str, Any]) -> None:
    _post(api, *items)
    ConsumerRunner(api.ctx, [resolver.PaymentResolver()]).run_once()


def _refunds(api: Api, payment_id: str) -> list[tuple[str, int]]:
    with engine_of(api.ctx.store).connect() as connection:
        rows = connection.execute(select(payment_refunds.c.status, payment_refunds.c.amount)
                                  .where(payment_refunds.c.payment_id == payment_id)).all()
    return [(str(status), int(amount)) for status, amount in rows]


def _payment(api: Api, payment_id: str) -> tuple[str, str]:
    payment = api.ok(api.get(f"/payments/{payment_id}"))
    return payment["status"], payment["refunded"]


def test_a_refund_is_pending_until_its_notification_completes_it(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy]) -> None:
    sim, _ = adyen
    payment_id = _paid(api)

    api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager"), 201)
    pending = _refunds(api, payment_id)
    [settled] = _refund_notifications(sim, 1)
    _deliver(api, settled)

    assert pending == [("pending", 200)]
    assert (settled["eventCode"], settled["success"]) == ("CANCEL_OR_REFUND", "true")
    assert _refunds(api, payment_id) == [("succeeded", 200)]
    assert _payment(api, payment_id) == ("partially_refunded", "2.00")


@pytest.mark.parametrize("outcome", ["refused", "failed"])
def test_a_refund_adyen_fails_gives_its_amount_back(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy], outcome: str) -> None:
    sim, _ = adyen
    sim.simulator.add_terminal(POI, refund_outcome=outcome)
    payment_id = _paid(api)

    api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "5.50"}, role="manager"), 201)
    notified = _refund_notifications(sim, 1 if outcome == "refused" else 2)
    _deliver(api, *notified)

    assert [(i["eventCode"], i["success"]) for i in notified] == (
        [("CANCEL_OR_REFUND", "false")] if outcome == "refused"
        else [("CANCEL_OR_REFUND", "true"), ("REFUND_FAILED", "true")])
    assert _refunds(api, payment_id) == [("failed", 550)]
    assert _payment(api, payment_id) == ("captured", "0.00")
    failed = [e["data"] for e in api.ok(api.get("/events", limit=500))["events"]
              if e["type"] == "payment.refund_failed"]
    assert [f["id"] for f in failed] == [payment_id]


def test_duplicate_and_reversed_notifications_settle_once(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy]) -> None:
    sim, _ = adyen
    sim.simulator.add_terminal(POI, refund_outcome="failed", refund_delay=0.05)
    payment_id = _paid(api)
    api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager"), 201)
    accepted, failed = _refund_notifications(sim, 2)

    _deliver(api, failed, failed, accepted, accepted)

    assert _refunds(api, payment_id) == [("failed", 200)]
    assert _payment(api, payment_id) == ("captured", "0.00")
    again = api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "5.50"},
                            role="manager"), 201)
    assert again["payment"]["refunded"] == "5.50"


def test_a_lost_reversal_answer_is_settled_by_its_notification_and_never_sent_twice(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy]) -> None:
    sim, proxy = adyen
    payment_id = _paid(api)
    proxy.drop_next("/sync", body="ReversalRequest")

    lost = api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager")
    [settled] = _refund_notifications(sim, 1)
    _deliver(api, settled)
    orphaned = _refunds(api, payment_id)
    again = api.ok(api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"},
                            role="manager"), 201)

    assert lost.json()["error"]["code"] == "payment_outcome_unknown"
    assert orphaned == [("orphaned", 200)]
    assert again["reference"] == settled["pspReference"]
    assert _refunds(api, payment_id) == [("succeeded", 200)]
    reversals = [t for t in sim.simulator.transactions() if t.category == "Reversal"]
    assert [t.psp_reference for t in reversals] == [settled["pspReference"]]


def test_a_notification_before_the_refund_knows_its_reference_waits_in_the_inbox(
        api: Api, adyen: tuple[RunningAdyenSimulator, DroppingProxy]) -> None:
    """Without the refund's key as merchantReference the notification names only its
    pspReference, which tillflow learns later from the lookup (the resolver's, on the
    refund's ``payment.refund_unknown``): it is applied then."""
    sim, proxy = adyen
    payment_id = _paid(api)
    proxy.drop_next("/sync", body="ReversalRequest")
    api.post(f"/payments/{payment_id}/refunds", {"amount": "2.00"}, role="manager")
    [settled] = _refund_notifications(sim, 1)
    anonymous = {k: v for k, v in settled.items()
                 if k not in ("merchantReference", "additionalData")}
    anonymous["additionalData"] = {"hmacSignature": sign_item(anonymous, HMAC_KEY)}

    _post(api, anonymous)
    waiting = _refunds(api, payment_id)
    ConsumerRunner(api.ctx, [resolver.PaymentResolver()]).run_once()

    assert waiting == [("unknown", 200)]
    assert _refunds(api, payment_id) == [("orphaned", 200)]
