"""Card-present sales through an Adyen terminal (tillflow's simulator), on PostgreSQL."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from tillflow.connectors.adyen.notifications import sign_item
from tillflow.db.uow import engine_of
from tillflow.services.payments import resolver
from tillflow.services.payments.gateways import gateways_of
from tillflow.sync.consumers import ConsumerRunner
from tillflow_simulators.adyen.records import TransactionState
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
POI = "V400m-324687828"
HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"


@pytest.fixture
def simulator(api: Api) -> Iterator[RunningAdyenSimulator]:
    with RunningAdyenSimulator(AdyenSimulator()) as running:
        running.simulator.add_terminal(POI)
        api.location("S1")
        api.product("TEA", "5.00", tax_rate="0.1")
        api.stock("TEA", "S1", 50)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": running.url, "sale_id": "POS-01"},
            "secrets": {"api_key": running.api_key, "hmac_key": HMAC_KEY}}), 201)
        yield running
        gateways_of(api.ctx).close()


def _sell(api: Api, key: str, **tender: Any) -> Any:
    card = {"method": "card", "amount": "5.50", "connection": "adyen", **tender}
    return api.post("/sales", {"location": "S1", "register": "R1",
                               "lines": [{"sku": "TEA", "quantity": 1}], "payments": [card]},
                    role="cashier", headers={"Idempotency-Key": key})


def _approved(sim: RunningAdyenSimulator) -> list[Decimal]:
    return [t.amount for t in sim.simulator.transactions()
            if t.category == "Payment" and t.state is TransactionState.APPROVED]


def test_terminal_sale_with_the_registers_terminal(api: Api,
                                                   simulator: RunningAdyenSimulator) -> None:
    api.ok(api.client.put("/api/v1/payments/terminals/R1",
                          json={"connection": "adyen", "terminal": POI},
                          headers=api.headers("admin")))

    sale = api.ok(_sell(api, "a"), 201)

    assert sale["payments"][0]["status"] == "captured"
    assert sale["payments"][0]["reference"].startswith(f"{POI}/")
    assert _approved(simulator) == [Decimal("5.50")]


def test_decline_then_cash_with_the_same_key(api: Api,
                                             simulator: RunningAdyenSimulator) -> None:
    simulator.simulator.add_terminal(POI, behaviour="decline")
    before = row_counts(engine_of(api.ctx.store))

    declined = _sell(api, "b", terminal=POI)

    assert declined.json()["error"]["code"] == "payment_declined"
    assert row_counts(engine_of(api.ctx.store))["sales"] == before["sales"]
    cash = api.post("/sales", {"location": "S1", "register": "R1",
                               "lines": [{"sku": "TEA", "quantity": 1}],
                               "payments": [{"method": "cash", "amount": "5.50"}]},
                    role="cashier", headers={"Idempotency-Key": "b"})
    assert cash.status_code == 201


def test_lost_answer_is_resolved_by_transaction_status(
        api: Api, simulator: RunningAdyenSimulator) -> None:
    simulator.simulator.add_terminal(POI, behaviour="lose_response")

    lost = _sell(api, "c", terminal=POI)
    simulator.simulator.add_terminal(POI)
    retried = _sell(api, "c", terminal=POI)

    assert lost.json()["error"]["code"] == "payment_outcome_unknown"
    assert api.ok(retried, 201)["payments"][0]["status"] == "captured"
    assert _approved(simulator) == [Decimal("5.50")]


def test_a_sale_that_cannot_be_recorded_gives_the_money_back(
        api: Api, simulator: RunningAdyenSimulator) -> None:
    refused = api.post("/sales", {"location": "S1", "register": "R1",
                                  "lines": [{"sku": "TEA", "quantity": 100}],
                                  "payments": [{"method": "card", "amount": "550.00",
                                                "connection": "adyen", "terminal": POI}]},
                       role="cashier", headers={"Idempotency-Key": "d"})

    assert refused.json()["error"]["code"] == "insufficient_stock"
    [reversal] = [t for t in simulator.simulator.transactions() if t.category == "Reversal"]
    assert reversal.amount == Decimal("550.00")


def _notify(api: Api, payment_id: str, *, key: str = HMAC_KEY) -> Any:
    item: dict[str, Any] = {
        "pspReference": "PSP0001", "originalReference": "", "merchantAccountCode": "Store",
        "merchantReference": payment_id, "amount": {"value": 550, "currency": "USD"},
        "eventCode": "AUTHORISATION", "success": "true"}
    item["additionalData"] = {"hmacSignature": sign_item(item, key)}
    body = {"live": "false", "notificationItems": [{"NotificationRequestItem": item}]}
    return api.client.post("/api/v1/payments/webhooks/adyen", json=body)


def test_notification_settles_a_lost_answer_and_duplicates_are_ignored(
        api: Api, simulator: RunningAdyenSimulator) -> None:
    simulator.simulator.add_terminal(POI, behaviour="lose_response")
    lost = _sell(api, "e", terminal=POI).json()["error"]["details"]["payment"]

    first, again = _notify(api, lost), _notify(api, lost)
    ConsumerRunner(api.ctx, [resolver.PaymentResolver()]).run_once()

    assert (first.text, again.text) == ("[accepted]", "[accepted]")
    assert api.ok(api.get(f"/payments/{lost}"))["status"] == "captured"
    stored = [e for e in api.ok(api.get("/events", limit=500))["events"]
              if e["type"] == "payment.webhook"]
    assert len(stored) == 1


def test_notification_with_a_wrong_hmac_is_refused(api: Api,
                                                   simulator: RunningAdyenSimulator) -> None:
    refused = _notify(api, "p", key="00" * 32)

    assert refused.status_code == 401
