"""The reconciliation report for Adyen, read from the Payment accounting report that
tillflow's terminal simulator serves (basic auth, as Adyen's report user); PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from support.api import Api
from tillflow.connectors.adyen.terminal_client import TerminalClient
from tillflow.db.tables_payments import payments
from tillflow.db.uow import engine_of
from tillflow.services.payments.gateways import gateways_of
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
POI = "V400m-324687828"
MERCHANT = "TillflowSimulatorMerchant"


@pytest.fixture
def simulator(api: Api) -> Iterator[RunningAdyenSimulator]:
    with RunningAdyenSimulator(AdyenSimulator()) as running:
        running.simulator.add_terminal(POI)
        api.location("S1")
        api.product("TEA", "5.00", tax_rate="0.1")
        api.stock("TEA", "S1", 50)
        api.register_with_shift("R1", "S1")
        user, password = running.report_credentials
        api.ok(api.post("/connections", {
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": running.url, "sale_id": "POS-01",
                         "merchant_account": MERCHANT, "report_base": running.url},
            "secrets": {"api_key": running.api_key, "report_user": user,
                        "report_password": password}}), 201)
        yield running
        gateways_of(api.ctx).close()


def _sell(api: Api, key: str) -> Any:
    card = {"method": "card", "amount": "5.50", "connection": "adyen", "terminal": POI}
    return api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "TEA", "quantity": 1}],
                                      "payments": [card]},
                           role="cashier", headers={"Idempotency-Key": key}), 201)


def _report(api: Api) -> Any:
    today = datetime.now(UTC).date().isoformat()
    return api.get("/payments/reconciliation", date=today, connection="adyen")


def test_injected_mismatches_are_listed(api: Api, simulator: RunningAdyenSimulator) -> None:
    matching = _sell(api, "a")["payments"][0]
    refunded = _sell(api, "b")["payments"][0]
    altered = _sell(api, "c")["payments"][0]
    api.ok(api.post(f"/payments/{refunded['payment_id']}/refunds", {"amount": "2.00"},
                    role="manager"), 201)
    with engine_of(api.ctx.store).begin() as connection:
        connection.execute(update(payments).where(payments.c.id == altered["payment_id"])
                           .values(captured=500))
    with TerminalClient(base_url=simulator.url, api_key=simulator.api_key,
                        sale_id="OTHER") as other:
        other.payment(poi_id=POI, service_id="stranger01", transaction_id="not-ours",
                      amount=Decimal("7.00"), currency="USD")

    report = api.ok(_report(api))

    stranger = next(t.psp_reference for t in simulator.simulator.transactions()
                    if t.transaction_id == "not-ours")
    found = {(m["reference"], m["mismatch"]) for m in report["mismatches"]}
    assert found == {(altered["reference"], "amount_differs"), (stranger, "not_in_tillflow")}
    rows = {p["reference"]: p for p in report["payments"]}
    assert (rows[matching["reference"]]["gateway_state"],
            rows[matching["reference"]]["gateway_captured"]) == ("captured", "5.50")
    assert (rows[refunded["reference"]]["gateway_refunded"],
            rows[refunded["reference"]]["tillflow_refunded"]) == ("2.00", "2.00")
    [shift] = report["shifts"]
    assert (shift["count"], shift["captured"], shift["refunded"]) == (3, "16.00", "2.00")


def test_a_refused_report_user_is_a_clear_error(api: Api,
                                                simulator: RunningAdyenSimulator) -> None:
    api.ok(api.client.patch("/api/v1/connections/adyen", json={
        "secrets": {"report_password": "wrong"}}, headers=api.headers("admin")))

    refused = _report(api)

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "gateway_unavailable"
    assert "report user" in refused.json()["error"]["message"]
