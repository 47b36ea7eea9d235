import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tillflow.connectors.adyen import wire
from tillflow.connectors.adyen.nexo import (
    MessageCategory,
    MessageClass,
    MessageHeader,
    MessageType,
    SaleToPOIRequest,
    SaleToPOIResponse,
    nexo_name,
    request_envelope,
)
from tillflow.connectors.adyen.service_id import ALPHABET, ServiceIdGenerator

# The request shape from Adyen's documentation (PLATFORMS.md section 5).
DOC_REQUEST = """{"SaleToPOIRequest":{
  "MessageHeader":{"ProtocolVersion":"3.0","MessageClass":"Service","MessageCategory":"Payment",
    "MessageType":"Request","SaleID":"POS-01","ServiceID":"0612153021","POIID":"V400m-324687828"},
  "PaymentRequest":{
    "SaleData":{"SaleTransactionID":{"TransactionID":"ORD-123","TimeStamp":"2025-06-12T15:30:21Z"}},
    "PaymentTransaction":{"AmountsReq":{"Currency":"EUR","RequestedAmount":10.99}}}}}"""


def test_nexo_names_keep_adyen_acronyms() -> None:
    assert nexo_name("poi_id") == "POIID"
    assert nexo_name("sale_transaction_id") == "SaleTransactionID"
    assert nexo_name("original_poi_transaction") == "OriginalPOITransaction"
    assert nexo_name("requested_amount") == "RequestedAmount"


def test_documented_request_round_trips_with_exact_names_and_numeric_amount() -> None:
    document = wire.loads(DOC_REQUEST)
    request = SaleToPOIRequest.model_validate(document["SaleToPOIRequest"])

    assert request.payment_request is not None
    amounts = request.payment_request.payment_transaction.amounts_req
    assert amounts.requested_amount == Decimal("10.99")
    assert request.message_header.message_category is MessageCategory.PAYMENT

    encoded = wire.dumps(request_envelope(request))
    assert '"RequestedAmount":10.99' in encoded
    again = json.loads(encoded, parse_float=Decimal)
    header = again["SaleToPOIRequest"]["MessageHeader"]
    assert header == document["SaleToPOIRequest"]["MessageHeader"]
    sale = again["SaleToPOIRequest"]["PaymentRequest"]["SaleData"]["SaleTransactionID"]
    assert sale["TransactionID"] == "ORD-123"
    assert sale["TimeStamp"] == "2025-06-12T15:30:21+00:00"


def test_response_with_repeated_message_parses() -> None:
    raw = {
        "MessageHeader": {
            "MessageClass": "Service",
            "MessageCategory": "TransactionStatus",
            "MessageType": "Response",
            "SaleID": "POS-01",
            "ServiceID": "A1",
            "POIID": "V400m-1",
        },
        "TransactionStatusResponse": {
            "Response": {"Result": "Success"},
            "RepeatedMessageResponse": {
                "MessageHeader": {
                    "MessageClass": "Service",
                    "MessageCategory": "Payment",
                    "MessageType": "Response",
                    "SaleID": "POS-01",
                    "ServiceID": "A0",
                    "POIID": "V400m-1",
                },
                "RepeatedResponseMessageBody": {
                    "PaymentResponse": {
                        "Response": {"Result": "Success", "AdditionalResponse": "a=b"},
                        "PaymentResult": {
                            "AmountsResp": {"Currency": "EUR", "AuthorizedAmount": Decimal("5.5")}
                        },
                    }
                },
            },
        },
    }
    response = SaleToPOIResponse.model_validate(raw)
    status = response.transaction_status_response
    assert status is not None
    assert status.repeated_message_response is not None
    body = status.repeated_message_response.repeated_response_message_body
    assert body.payment_response is not None
    assert body.payment_response.payment_result is not None
    assert body.payment_response.payment_result.amounts_resp is not None
    assert body.payment_response.payment_result.amounts_resp.authorized_amount == Decimal("5.50")


@pytest.mark.parametrize("bad", ["", "12345678901", "abc-123", "ünï"])
def test_service_id_must_be_one_to_ten_alphanumerics(bad: str) -> None:
    with pytest.raises(ValidationError):
        MessageHeader(
            message_class=MessageClass.SERVICE,
            message_category=MessageCategory.PAYMENT,
            message_type=MessageType.REQUEST,
            sale_id="POS-01",
            poi_id="V400m-1",
            service_id=bad,
        )


def test_service_ids_are_ten_alphanumerics_and_unique() -> None:
    generator = ServiceIdGenerator()
    issued = [generator.next() for _ in range(2000)]

    assert len(set(issued)) == len(issued)
    assert all(len(value) == 10 and set(value) <= set(ALPHABET) for value in issued)


def test_service_id_generator_skips_a_value_it_already_issued() -> None:
    # A source that repeats itself: "AAAAAAAAAA" twice, then "BBBBBBBBBB".
    draws = iter("A" * 20 + "B" * 10)
    generator = ServiceIdGenerator(choice=lambda _alphabet: next(draws))

    assert generator.next() == "A" * 10
    assert generator.next() == "B" * 10


def test_wire_writes_decimals_as_exact_numbers() -> None:
    assert wire.dumps({"v": Decimal("0.10"), "n": [Decimal("1234567.89")]}) == (
        '{"v":0.10,"n":[1234567.89]}'
    )
    assert wire.loads('{"v": 0.1}') == {"v": Decimal("0.1")}
    with pytest.raises(ValueError, match="finite"):
        wire.dumps(Decimal("NaN"))
