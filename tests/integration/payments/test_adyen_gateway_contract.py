"""The Adyen adapter against tillflow's terminal simulator passes the payments contract,
and resolves a lost answer with a TransactionStatusRequest."""

import uuid
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from support.payment_contract import GatewayContract, key
from tillflow.connectors.adyen.gateway import AdyenGateway, service_id_of
from tillflow.ports.payments import GatewayState, OutcomeUnknownError, PaymentOrder
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

APPROVING, DECLINING, LOSING = "V400m-100001", "V400m-100002", "V400m-100003"


@pytest.fixture
def simulator() -> Iterator[RunningAdyenSimulator]:
    with RunningAdyenSimulator(AdyenSimulator()) as running:
        running.simulator.add_terminal(APPROVING)
        running.simulator.add_terminal(DECLINING, behaviour="decline")
        running.simulator.add_terminal(LOSING, behaviour="lose_response")
        yield running


def _order(terminal: str, amount: int) -> PaymentOrder:
    return PaymentOrder(payment_id=str(uuid.uuid4()), amount=amount, currency="EUR",
                        terminal=terminal)


class TestAdyenGateway(GatewayContract):
    captures_on_authorize = True
    exists_before_authorize = False
    lists_payments = False
    refunds_settle_later = True

    def approving(self, amount: int) -> PaymentOrder:
        return _order(APPROVING, amount)

    def declining(self, amount: int) -> PaymentOrder:
        return _order(DECLINING, amount)

    @pytest.fixture
    def gateway(self, simulator: RunningAdyenSimulator) -> Iterator[AdyenGateway]:
        gateway = AdyenGateway(base_url=simulator.url, api_key=simulator.api_key,
                               sale_id="POS-01", check_terminal=APPROVING,
                               timeout=httpx.Timeout(2.0))
        yield gateway
        gateway.close()


def test_service_ids_are_short_and_stable() -> None:
    first = service_id_of("a-payment")

    assert first == service_id_of("a-payment") != service_id_of("another")
    assert len(first) == 10
    assert first.isalnum()


def test_lost_answer_is_looked_up_not_paid_again(simulator: RunningAdyenSimulator) -> None:
    gateway = AdyenGateway(base_url=simulator.url, api_key=simulator.api_key, sale_id="POS-01",
                           timeout=httpx.Timeout(2.0))
    wanted = _order(LOSING, 550)
    reference = gateway.start(wanted, idempotency_key=key())

    with pytest.raises(OutcomeUnknownError):
        gateway.authorize(reference, wanted, idempotency_key=key())
    found = gateway.lookup(reference)
    gateway.close()

    assert (found.state, found.captured) == (GatewayState.CAPTURED, 550)
    assert [t.amount for t in simulator.simulator.transactions()] == [Decimal("5.50")]
