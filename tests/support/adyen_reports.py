"""A store selling TEA through Adyen's terminal simulator, with the report user that
downloads the Payment accounting report, as the reconciliation and card fee tests use it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from support.api import Api
from tillflow.services.payments.gateways import gateways_of
from tillflow_simulators.adyen.reports import FeeSchedule
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

POI = "V400m-324687828"
MERCHANT = "TillflowSimulatorMerchant"


@contextmanager
def adyen_shop(api: Api, *, price: str, tax_rate: str,
               fees: FeeSchedule | None = None) -> Iterator[RunningAdyenSimulator]:
    """Location S1 with TEA at ``price``, register R1's shift open, and connection
    ``adyen`` to a simulated terminal whose account pays ``fees``."""
    with RunningAdyenSimulator(AdyenSimulator()) as running:
        running.simulator.add_terminal(POI)
        if fees is not None:
            running.simulator.fees = fees
        api.location("S1")
        api.product("TEA", price, tax_rate=tax_rate)
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


def sell_tea_by_card(api: Api, key: str, amount: str) -> Any:
    """One TEA paid ``amount`` on the terminal, under Idempotency-Key ``key``."""
    card = {"method": "card", "amount": amount, "connection": "adyen", "terminal": POI}
    return api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "TEA", "quantity": 1}],
                                      "payments": [card]},
                           role="cashier", headers={"Idempotency-Key": key}), 201)
