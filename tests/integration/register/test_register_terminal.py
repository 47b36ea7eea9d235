"""The register's card terminal: its progress while a sale waits for the card, and a
cancel from the register (Adyen, tillflow's terminal simulator)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from support.api import Api
from support.databases import row_counts
from support.waiting import wait_until
from tillflow.db.uow import engine_of
from tillflow.services.payments.gateways import gateways_of
from tillflow_simulators.adyen.records import TransactionState
from tillflow_simulators.adyen.runner import RunningAdyenSimulator

POI = "V400m-324687828"


@pytest.fixture
def terminal(api: Api) -> Iterator[RunningAdyenSimulator]:
    with RunningAdyenSimulator() as running:
        running.simulator.add_terminal(POI, delay=30)
        api.location("S1")
        api.product("TEA", "5.00", tax_rate="0.1")
        api.stock("TEA", "S1", 50)
        api.register_with_shift("R1", "S1")
        api.ok(api.post("/connections", {
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": running.url, "sale_id": "POS-01"},
            "secrets": {"api_key": running.api_key, "hmac_key": "00" * 32}}), 201)
        api.ok(api.client.put("/api/v1/payments/terminals/R1",
                              json={"connection": "adyen", "terminal": POI},
                              headers=api.headers("admin")))
        yield running
        gateways_of(api.ctx).close()


def _progress(api: Api) -> Any:
    return api.ok(api.get("/payments/terminals/R1", role="cashier"))


def test_a_waiting_card_shows_and_the_register_cancels_it(
        api: Api, terminal: RunningAdyenSimulator) -> None:
    assert _progress(api)["payment"] is None
    before = row_counts(engine_of(api.ctx.store))
    answers: list[Any] = []
    sale = {"location": "S1", "register": "R1", "lines": [{"sku": "TEA", "quantity": 1}],
            "payments": [{"method": "card", "amount": "5.50", "connection": "adyen",
                          "terminal": POI}]}
    paying = threading.Thread(target=lambda: answers.append(api.post(
        "/sales", sale, role="cashier", headers={"Idempotency-Key": "k"})))
    paying.start()
    wait_until(terminal.simulator.transactions, timeout=10,
               message="the payment never reached the terminal")
    waiting = _progress(api)["payment"]
    assert (waiting["status"], waiting["amount"], waiting["terminal"]) == ("pending", "5.50", POI)

    cancelled = api.post("/payments/terminals/R1/cancel", role="cashier")
    paying.join(timeout=10)

    assert api.ok(cancelled)["payment"] == waiting["id"]
    [answer] = answers
    assert answer.json()["error"]["code"] == "payment_declined"
    assert answer.json()["error"]["details"]["decline_code"] == "Aborted"
    assert row_counts(engine_of(api.ctx.store))["sales"] == before["sales"]
    assert [t.state for t in terminal.simulator.transactions()] == [TransactionState.ABORTED]
    assert _progress(api)["payment"] is None


def test_nothing_to_cancel_and_no_terminal(api: Api, terminal: RunningAdyenSimulator) -> None:
    nothing = api.post("/payments/terminals/R1/cancel", role="cashier")
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (409, "conflict")
    api.ok(api.post("/registers", {"code": "R2", "location": "S1"}), 201)
    assert api.get("/payments/terminals/R2", role="cashier").status_code == 404
