"""The simulator checks Terminal API messages against Adyen's own models (the pinned
official Node library's, installed into the simulators' cache) and answers a message
they refuse as Adyen's cloud does."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from tillflow_simulators.adyen.messages import dumps
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.adyen.terminal_api.schema import TerminalApiModels, official_models

POI = "V400m-324687828"


def _payment(**changes: Any) -> dict[str, Any]:
    request: dict[str, Any] = {"SaleToPOIRequest": {
        "MessageHeader": {"ProtocolVersion": "3.0", "MessageClass": "Service",
                          "MessageCategory": "Payment", "MessageType": "Request",
                          "SaleID": "POS-01", "ServiceID": "A1", "POIID": POI},
        "PaymentRequest": {
            "SaleData": {"SaleTransactionID": {"TransactionID": "t-1",
                                               "TimeStamp": "2026-12-06T10:00:00.000Z"}},
            "PaymentTransaction": {"AmountsReq": {"Currency": "EUR",
                                                  "RequestedAmount": Decimal("5.50")}}}}}
    request["SaleToPOIRequest"]["PaymentRequest"].update(changes)
    return request


@pytest.fixture(scope="module")
def models() -> TerminalApiModels:
    return official_models()


@pytest.fixture
def sim() -> Iterator[RunningAdyenSimulator]:
    with RunningAdyenSimulator() as running:
        running.simulator.add_terminal(POI)
        yield running


def test_the_models_are_adyens_own(models: TerminalApiModels) -> None:
    assert models.version == "@adyen/api-library@32.1.0"
    assert "Communication timeout" not in models.values("Response.ErrorConditionEnum")
    assert {"Refusal", "MessageFormat", "WrongPIN"} <= models.values(
        "Response.ErrorConditionEnum")


def test_a_valid_request_has_no_problem(models: TerminalApiModels) -> None:
    assert models.problems(_payment(), root="SaleToPOIRequest") == []


@pytest.mark.parametrize(("changes", "problem"), [
    ({"SaleData": {"SaleTransactionId": {"TransactionID": "t", "TimeStamp": "x"}}},
     "At SaleToPOIRequest.PaymentRequest.SaleData, field SaleTransactionId: Unexpected; "
     "At SaleToPOIRequest.PaymentRequest.SaleData, field SaleTransactionID: Missing"),
    ({"PaymentTransaction": {"AmountsReq": {"RequestedAmount": 1}}},
     "At SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq, field Currency: "
     "Missing"),
    ({"PaymentData": {"PaymentType": "Sale"}},
     "At SaleToPOIRequest.PaymentRequest.PaymentData, field PaymentType: Invalid value"),
    ({"PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": "5.50"}}},
     "At SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq, field "
     "RequestedAmount: Invalid value"),
])
def test_wrong_names_types_and_enums_are_found(models: TerminalApiModels,
                                               changes: dict[str, Any], problem: str) -> None:
    found = models.problems(_payment(**changes), root="SaleToPOIRequest")

    assert "; ".join(str(p) for p in found) == problem


def test_an_error_condition_outside_adyens_list_is_refused(models: TerminalApiModels) -> None:
    response = {"SaleToPOIResponse": {
        "MessageHeader": {"MessageClass": "Service", "MessageCategory": "Reversal",
                          "MessageType": "Response", "POIID": POI},
        "ReversalResponse": {"Response": {"Result": "Failure",
                                          "ErrorCondition": "Communication timeout"}}}}

    [problem] = models.problems(response, root="SaleToPOIResponse")

    assert str(problem) == ("At SaleToPOIResponse.ReversalResponse.Response, field "
                            "ErrorCondition: Invalid value")


def _post(sim: RunningAdyenSimulator, body: bytes) -> httpx.Response:
    return httpx.post(f"{sim.url}/sync", content=body, timeout=5.0,
                      headers={"X-API-Key": sim.api_key, "Content-Type": "application/json"})


def test_a_misnamed_field_is_answered_message_format_and_nothing_is_paid(
        sim: RunningAdyenSimulator) -> None:
    request = _payment(PaymentTransaction={"AmountsReq": {"currency": "EUR",
                                                          "RequestedAmount": 5}})

    answer = _post(sim, json.dumps(request).encode())

    assert answer.status_code == 200
    response = answer.json()["SaleToPOIResponse"]["PaymentResponse"]["Response"]
    assert (response["Result"], response["ErrorCondition"]) == ("Failure", "MessageFormat")
    assert unquote(response["AdditionalResponse"]) == (
        "errors=At SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq, "
        "field currency: Unexpected")
    assert sim.simulator.transactions() == []


def test_every_answer_of_a_payment_and_its_refund_fits_the_models(
        sim: RunningAdyenSimulator, models: TerminalApiModels) -> None:
    paid = _post(sim, dumps(_payment()).encode()).json()
    poi = paid["SaleToPOIResponse"]["PaymentResponse"]["POIData"]["POITransactionID"]
    reversal = {"SaleToPOIRequest": {
        "MessageHeader": {"MessageClass": "Service", "MessageCategory": "Reversal",
                          "MessageType": "Request", "SaleID": "POS-01", "ServiceID": "A2",
                          "POIID": POI},
        "ReversalRequest": {"OriginalPOITransaction": {"POITransactionID": poi},
                            "ReversalReason": "MerchantCancel", "ReversedAmount": 2}}}
    refunded = _post(sim, json.dumps(reversal).encode()).json()

    assert models.problems(paid, root="SaleToPOIResponse") == []
    assert models.problems(refunded, root="SaleToPOIResponse") == []
    result = refunded["SaleToPOIResponse"]["ReversalResponse"]
    assert result["Response"]["Result"] == "Success"
    assert result["POIData"]["POITransactionID"]["TransactionID"] == \
        sim.simulator.transactions()[-1].psp_reference


def test_bad_json_is_refused_as_adyen_does(sim: RunningAdyenSimulator) -> None:
    answer = _post(sim, b"{not json")

    assert answer.status_code == 400
    assert answer.json()[0].startswith("Bad JSON:")
