"""The reconciliation report for Adyen, read from the Payment accounting report that
tillflow's terminal simulator serves (basic auth, as Adyen's report user); PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from support.adyen_reports import POI, adyen_shop, sell_tea_by_card
from support.api import Api
from tillflow.connectors.adyen.terminal_client import TerminalClient
from tillflow.db.tables_payments import payments
from tillflow.db.uow import engine_of
from tillflow_simulators.adyen.runner import RunningAdyenSimulator

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def simulator(api: Api) -> Iterator[RunningAdyenSimulator]:
    with adyen_shop(api, price="5.00", tax_rate="0.1") as running:
        yield running


def _sell(api: Api, key: str) -> Any:
    return sell_tea_by_card(api, key, "5.50")


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
