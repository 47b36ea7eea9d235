"""The Adyen terminal client against the terminal simulator over real loopback HTTP."""

import json
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from support.waiting import wait_until
from tillflow.connectors.adyen import wire
from tillflow.connectors.adyen.errors import (
    OutcomeUnknownError,
    TerminalBusyError,
    TerminalConfigurationError,
    TerminalUnreachableError,
    TransactionRefusedError,
)
from tillflow.connectors.adyen.nexo import (
    PaymentResponse,
    SaleToPOIRequest,
    TransactionIdentification,
)
from tillflow.connectors.adyen.notifications import ACKNOWLEDGEMENT, verify_notification
from tillflow.connectors.adyen.service_id import ServiceIdGenerator
from tillflow.connectors.adyen.terminal_client import StatusState, TerminalClient
from tillflow_simulators.adyen.notifier import NotificationSettings
from tillflow_simulators.adyen.records import Behaviour, TransactionState
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.simulator import AdyenSimulator

POI = "V400m-324687828"
HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
FAST = httpx.Timeout(connect=1.0, read=0.6, write=1.0, pool=1.0)


class Receiver:
    """A webhook endpoint on loopback that records bodies and acknowledges them."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                received.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.send_header("Content-Length", str(len(ACKNOWLEDGEMENT)))
                self.end_headers()
                self.wfile.write(ACKNOWLEDGEMENT.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/adyen"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def items(self) -> list[dict[str, Any]]:
        return [item for body in self.bodies for item in verify_notification(body, HMAC_KEY)]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    endpoint = Receiver()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


@pytest.fixture
def sim(receiver: Receiver) -> Iterator[RunningAdyenSimulator]:
    settings = NotificationSettings(url=receiver.url, hmac_key=HMAC_KEY, event_url=receiver.url)
    with RunningAdyenSimulator(AdyenSimulator(notifications=settings)) as running:
        running.simulator.add_terminal(POI)
        yield running


@pytest.fixture
def client(sim: RunningAdyenSimulator) -> Iterator[TerminalClient]:
    with TerminalClient(
        base_url=sim.url, api_key=sim.api_key, sale_id="POS-01", timeout=FAST
    ) as terminal:
        yield terminal


ids = ServiceIdGenerator()


def pay(client: TerminalClient, amount: str = "10.99", **kwargs: Any) -> PaymentResponse:
    options: dict[str, Any] = {"service_id": ids.next(), "transaction_id": "ORD-1"} | kwargs
    return client.payment(poi_id=POI, amount=Decimal(amount), currency="EUR", **options)


def poi_transaction(payment: PaymentResponse) -> TransactionIdentification:
    assert payment.poi_data is not None
    return payment.poi_data.poi_transaction_id


def test_approved_payment_is_logged_and_notified(
    sim: RunningAdyenSimulator, client: TerminalClient, receiver: Receiver
) -> None:
    payment = pay(client)

    assert payment.payment_result is not None
    assert payment.payment_result.amounts_resp is not None
    assert payment.payment_result.amounts_resp.authorized_amount == Decimal("10.99")
    [record] = sim.simulator.transactions()
    assert record.state is TransactionState.APPROVED
    assert record.poi_transaction_id == poi_transaction(payment).transaction_id
    assert sim.simulator.notifier.wait_idle()
    [item] = receiver.items()
    assert item["eventCode"] == "AUTHORISATION"
    assert item["success"] == "true"
    assert item["amount"] == {"currency": "EUR", "value": 1099}
    assert item["pspReference"] == record.psp_reference


def test_decline_carries_error_condition_and_refusal_reason(
    sim: RunningAdyenSimulator, client: TerminalClient, receiver: Receiver
) -> None:
    sim.simulator.add_terminal(POI, behaviour="decline", refusal_reason="Not enough balance")

    with pytest.raises(TransactionRefusedError) as refused:
        pay(client)

    assert refused.value.error_condition == "Refusal"
    assert "refusalReason=Not+enough+balance" in (refused.value.response.additional_response or "")
    assert sim.simulator.notifier.wait_idle()
    assert [item["success"] for item in receiver.items()] == ["false"]


def test_lost_response_is_resolved_by_transaction_status_without_a_second_charge(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    sim.simulator.add_terminal(POI, behaviour="lose_response")
    service_id = ids.next()

    with pytest.raises(OutcomeUnknownError) as unknown:
        pay(client, service_id=service_id)
    assert unknown.value.service_id == service_id

    status = client.transaction_status(
        poi_id=POI, service_id=ids.next(), original_service_id=service_id
    )

    assert status.state is StatusState.COMPLETED
    assert status.payment is not None
    assert status.payment.response.result == "Success"
    [record] = sim.simulator.transactions()
    assert record.state is TransactionState.APPROVED
    assert poi_transaction(status.payment).transaction_id == record.poi_transaction_id


def test_timeout_reads_in_progress_then_abort_settles_it(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    sim.simulator.add_terminal(POI, behaviour="timeout", timeout_after=5.0)
    service_id = ids.next()
    with pytest.raises(OutcomeUnknownError):
        pay(client, service_id=service_id)

    def status() -> StatusState:
        return client.transaction_status(
            poi_id=POI, service_id=ids.next(), original_service_id=service_id
        ).state

    assert status() is StatusState.IN_PROGRESS
    client.abort(poi_id=POI, service_id=ids.next(), original_service_id=service_id)
    wait_until(lambda: status() is StatusState.COMPLETED, timeout=10,
               message="the aborted payment never completed")
    [record] = sim.simulator.transactions()
    assert record.state is TransactionState.ABORTED


def test_second_payment_while_one_runs_is_busy(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    sim.simulator.add_terminal(POI, delay=0.4)
    first: list[PaymentResponse] = []
    worker = threading.Thread(target=lambda: first.append(pay(client)))
    worker.start()
    wait_until(sim.simulator.transactions, timeout=10,
               message="the payment never reached the terminal")

    with pytest.raises(TerminalBusyError) as busy:
        pay(client)
    worker.join()

    assert busy.value.response.error_condition == "Busy"
    assert first[0].response.result == "Success"
    assert len(sim.simulator.transactions()) == 1


def test_abort_cancels_a_running_payment(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    sim.simulator.add_terminal(POI, delay=5.0)
    service_id = ids.next()
    outcome: list[BaseException] = []

    def run() -> None:
        with TerminalClient(base_url=sim.url, api_key=sim.api_key, sale_id="POS-01") as own:
            try:
                pay(own, service_id=service_id)
            except TransactionRefusedError as exc:
                outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    wait_until(sim.simulator.transactions, timeout=10,
               message="the payment never reached the terminal")
    client.abort(poi_id=POI, service_id=ids.next(), original_service_id=service_id)
    worker.join(timeout=3)

    [refused] = outcome
    assert isinstance(refused, TransactionRefusedError)
    assert refused.error_condition == "Aborted"


def test_partial_reversals_add_up_and_one_more_is_refused(
    sim: RunningAdyenSimulator, client: TerminalClient, receiver: Receiver
) -> None:
    original = poi_transaction(pay(client, "10.00"))

    for amount in ("4.00", "6.00"):
        reversal = client.reversal(
            poi_id=POI, service_id=ids.next(), poi_transaction=original, amount=Decimal(amount)
        )
        assert reversal.reversed_amount == Decimal(amount)
    with pytest.raises(TransactionRefusedError) as refused:
        client.reversal(
            poi_id=POI, service_id=ids.next(), poi_transaction=original, amount=Decimal("0.01")
        )

    assert refused.value.error_condition == "NotAllowed"
    assert sim.simulator.notifier.wait_idle()
    refunds = [i for i in receiver.items() if i["eventCode"] == "CANCEL_OR_REFUND"]
    payment_psp = sim.simulator.transactions()[0].psp_reference
    assert [r["amount"]["value"] for r in refunds] == [400, 600]
    assert {r["originalReference"] for r in refunds} == {payment_psp}


def test_reused_service_id_is_refused_as_a_message_to_fix(client: TerminalClient) -> None:
    service_id = ids.next()
    pay(client, service_id=service_id)

    with pytest.raises(TerminalConfigurationError, match="ServiceID"):
        pay(client, service_id=service_id)


def test_unknown_status_is_not_found(client: TerminalClient) -> None:
    status = client.transaction_status(
        poi_id=POI, service_id=ids.next(), original_service_id="NEVERSENT"
    )
    assert status.state is StatusState.NOT_FOUND


def test_offline_terminal_is_rejected_as_safe_to_retry(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    sim.simulator.add_terminal(POI, behaviour=Behaviour.OFFLINE)

    with pytest.raises(TerminalUnreachableError, match="Did\\+not\\+receive"):
        pay(client)
    assert sim.simulator.transactions() == []


def test_refused_connection_is_safe_to_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        TerminalClient(
            base_url=f"http://127.0.0.1:{port}", api_key="k", sale_id="POS-01", timeout=FAST
        ) as nowhere,
        pytest.raises(TerminalUnreachableError),
    ):
        pay(nowhere)


def test_wrong_api_key_is_a_configuration_error(sim: RunningAdyenSimulator) -> None:
    with (
        TerminalClient(base_url=sim.url, api_key="wrong", sale_id="POS-01", timeout=FAST) as bad,
        pytest.raises(TerminalConfigurationError) as error,
    ):
        pay(bad)
    assert error.value.status_code == 401


def test_held_notifications_can_arrive_reversed_and_twice(
    sim: RunningAdyenSimulator, client: TerminalClient, receiver: Receiver
) -> None:
    settings = sim.simulator.notifier.settings
    settings.hold = True
    settings.duplicate = True
    pay(client, transaction_id="FIRST")
    pay(client, transaction_id="SECOND")
    assert receiver.bodies == []

    assert httpx.post(f"{sim.url}/_sim/notifications/release", json={"reverse": True}).json() == {
        "released": 4
    }
    assert sim.simulator.notifier.wait_idle()

    references = [item["merchantReference"] for item in receiver.items()]
    assert references == ["SECOND", "SECOND", "FIRST", "FIRST"]


def test_async_request_answers_ok_and_posts_the_result(
    sim: RunningAdyenSimulator, client: TerminalClient, receiver: Receiver
) -> None:
    request = SaleToPOIRequest.model_validate(
        {
            "MessageHeader": {
                "MessageClass": "Service",
                "MessageCategory": "Payment",
                "MessageType": "Request",
                "SaleID": "POS-01",
                "ServiceID": ids.next(),
                "POIID": POI,
            },
            "PaymentRequest": {
                "SaleData": {
                    "SaleTransactionID": {
                        "TransactionID": "ASYNC-1",
                        "TimeStamp": "2025-06-12T15:30:21Z",
                    }
                },
                "PaymentTransaction": {
                    "AmountsReq": {"Currency": "EUR", "RequestedAmount": Decimal("3.20")}
                },
            },
        }
    )
    client.send_async(request)
    wait_until(lambda: len(receiver.bodies) >= 2, timeout=10,
               message="the terminal never posted the result of the async request")

    events = [wire.loads(body) for body in receiver.bodies if b"SaleToPOIResponse" in body]
    [event] = events
    result = event["SaleToPOIResponse"]["PaymentResponse"]["Response"]["Result"]
    assert result == "Success"


def test_control_endpoints_show_terminals_and_log(
    sim: RunningAdyenSimulator, client: TerminalClient
) -> None:
    configured = httpx.post(
        f"{sim.url}/_sim/terminals", json={"poi_id": "P400-1", "behaviour": "decline"}
    ).json()
    pay(client)

    assert configured["behaviour"] == "decline"
    assert set(httpx.get(f"{sim.url}/_sim/terminals").json()) == {POI, "P400-1"}
    [logged] = httpx.get(f"{sim.url}/_sim/transactions").json()
    assert logged["amount"] == "10.99"
    assert json.loads(json.dumps(logged))["state"] == "approved"
