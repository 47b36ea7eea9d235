"""A refund whose answer was lost, on both databases, through the in-memory gateway: one
the gateway made is found by its key; one that never arrived is sent again with the same
key; either way the card is refunded once."""

from dataclasses import dataclass
from typing import Any

import pytest

from support.api import Api
from tillflow.connectors.fake_payments import FakeGateway
from tillflow.ports.payments import GatewayRefund, OutcomeUnknownError, PaymentGateway
from tillflow.services.payments import resolver
from tillflow.services.payments.gateways import Gateways, use_gateways


@dataclass
class LosingGateway(FakeGateway):
    """Loses the next refund's answer, after making it (``made``) or before it arrives."""

    lose: str | None = None

    def refund(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayRefund:
        lose, self.lose = self.lose, None
        if lose == "before":
            raise OutcomeUnknownError("connection reset before the request arrived")
        made = super().refund(reference, amount=amount, idempotency_key=idempotency_key)
        if lose == "made":
            raise OutcomeUnknownError("read timeout")
        return made


@pytest.fixture
def gateway(api: Api) -> LosingGateway:
    fake = LosingGateway()

    def opener(*_args: Any) -> PaymentGateway:
        return fake

    use_gateways(api.ctx, Gateways(opener=opener))
    api.location("S1")
    api.product("TEA", "5.00", tax_rate="0.1")
    api.stock("TEA", "S1", 10)
    api.register_with_shift("R1", "S1")
    api.ok(api.post("/connections", {"name": "card", "platform": "stripe",
                                     "settings": {"api_base": "http://127.0.0.1:9"},
                                     "secrets": {"api_key": "sk_test_fake"}}), 201)
    return fake


@pytest.mark.parametrize("lose", ["made", "before"])
def test_a_lost_refund_is_made_once(api: Api, gateway: LosingGateway, lose: str) -> None:
    card = {"method": "card", "amount": "5.50", "connection": "card",
            "payment_method": "pm_card_visa"}
    sale = api.ok(api.post("/sales", {"location": "S1", "register": "R1",
                                      "lines": [{"sku": "TEA", "quantity": 1}],
                                      "payments": [card]},
                           headers={"Idempotency-Key": "s"}), 201)
    path = f"/payments/{sale['payments'][0]['payment_id']}/refunds"
    gateway.lose = lose

    lost = api.post(path, {"amount": "2.00"}, role="manager")
    resolver.PaymentSweep(api.ctx).run_once()
    again = api.ok(api.post(path, {"amount": "2.00"}, role="manager"), 201)

    assert lost.json()["error"]["code"] == "payment_outcome_unknown"
    [made] = gateway.refunds
    assert (made.amount, made.reference) == (200, again["reference"])
    assert again["payment"]["refunded"] == "2.00"
