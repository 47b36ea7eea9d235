"""The nexo Terminal API message model, with Adyen's exact JSON field names.

Python attributes are snake_case; the JSON names are derived by `nexo_name` (``poi_id`` →
``POIID``, ``sale_transaction_id`` → ``SaleTransactionID``). Amounts are Decimal and travel
as JSON numbers (see `wire`).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

_ACRONYMS = {"id": "ID", "poi": "POI"}
_SERVICE_ID = re.compile(r"[A-Za-z0-9]{1,10}")


def nexo_name(field: str) -> str:
    """The nexo JSON name of a snake_case attribute."""
    return "".join(_ACRONYMS.get(part, part.capitalize()) for part in field.split("_"))


def check_service_id(value: str) -> str:
    """Reject a ServiceID that Adyen would refuse: 1 to 10 alphanumeric characters."""
    if not _SERVICE_ID.fullmatch(value):
        raise ValueError("ServiceID must be 1 to 10 alphanumeric characters")
    return value


ServiceID = Annotated[str, AfterValidator(check_service_id)]


class NexoModel(BaseModel):
    """Base of every nexo object: nexo names on the wire, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=nexo_name, populate_by_name=True, frozen=True, extra="ignore"
    )


class MessageClass(StrEnum):
    SERVICE = "Service"
    DEVICE = "Device"
    EVENT = "Event"


class MessageCategory(StrEnum):
    PAYMENT = "Payment"
    REVERSAL = "Reversal"
    ABORT = "Abort"
    TRANSACTION_STATUS = "TransactionStatus"
    EVENT = "Event"


class MessageType(StrEnum):
    REQUEST = "Request"
    RESPONSE = "Response"
    NOTIFICATION = "Notification"


class Result(StrEnum):
    SUCCESS = "Success"
    FAILURE = "Failure"
    PARTIAL = "Partial"


class ErrorCondition(StrEnum):
    """Adyen's values (its Terminal API models); responses keep the raw string."""

    ABORTED = "Aborted"
    BUSY = "Busy"
    CANCEL = "Cancel"
    DEVICE_OUT = "DeviceOut"
    IN_PROGRESS = "InProgress"
    INSERTED_CARD = "InsertedCard"
    INVALID_CARD = "InvalidCard"
    LOGGED_OUT = "LoggedOut"
    MESSAGE_FORMAT = "MessageFormat"
    NOT_ALLOWED = "NotAllowed"
    NOT_FOUND = "NotFound"
    PAYMENT_RESTRICTION = "PaymentRestriction"
    REFUSAL = "Refusal"
    UNAVAILABLE_DEVICE = "UnavailableDevice"
    UNAVAILABLE_SERVICE = "UnavailableService"
    UNREACHABLE_HOST = "UnreachableHost"
    WRONG_PIN = "WrongPIN"


class MessageHeader(NexoModel):
    message_class: MessageClass
    message_category: MessageCategory
    message_type: MessageType
    sale_id: str
    poi_id: str
    service_id: ServiceID | None = None
    protocol_version: str | None = "3.0"


class MessageReference(NexoModel):
    message_category: MessageCategory
    sale_id: str | None = None
    service_id: ServiceID | None = None
    poi_id: str | None = None


class TransactionIdentification(NexoModel):
    """Both `SaleTransactionID` and `POITransactionID` have this shape."""

    transaction_id: str
    time_stamp: AwareDatetime


class SaleData(NexoModel):
    sale_transaction_id: TransactionIdentification
    sale_to_acquirer_data: str | None = None


class AmountsReq(NexoModel):
    currency: str
    requested_amount: Decimal


class PaymentTransaction(NexoModel):
    amounts_req: AmountsReq


class PaymentData(NexoModel):
    payment_type: str = "Normal"


class PaymentRequest(NexoModel):
    sale_data: SaleData
    payment_transaction: PaymentTransaction
    payment_data: PaymentData | None = None


class Response(NexoModel):
    result: Result
    error_condition: str | None = None
    additional_response: str | None = None


class POIData(NexoModel):
    poi_transaction_id: TransactionIdentification
    poi_reconciliation_id: str | None = None


class AmountsResp(NexoModel):
    currency: str
    authorized_amount: Decimal


class CardData(NexoModel):
    """Only the brand and entry mode: tillflow keeps no card numbers, masked or not."""

    payment_brand: str | None = None
    entry_mode: tuple[str, ...] = ()


class PaymentInstrumentData(NexoModel):
    payment_instrument_type: str
    card_data: CardData | None = None


class PaymentAcquirerData(NexoModel):
    merchant_id: str | None = None
    acquirer_poi_id: str | None = None
    approval_code: str | None = None
    acquirer_transaction_id: TransactionIdentification | None = None


class PaymentResult(NexoModel):
    payment_instrument_data: PaymentInstrumentData | None = None
    amounts_resp: AmountsResp | None = None
    payment_acquirer_data: PaymentAcquirerData | None = None


class PaymentResponse(NexoModel):
    response: Response
    sale_data: SaleData | None = None
    poi_data: POIData | None = None
    payment_result: PaymentResult | None = None


class OriginalPOITransaction(NexoModel):
    poi_transaction_id: TransactionIdentification
    sale_id: str | None = None
    poi_id: str | None = None


class ReversalRequest(NexoModel):
    original_poi_transaction: OriginalPOITransaction
    reversal_reason: str = "MerchantCancel"
    reversed_amount: Decimal | None = None
    # Its SaleTransactionID names the refund in Adyen's notifications (merchantReference).
    sale_data: SaleData | None = None


class ReversalResponse(NexoModel):
    response: Response
    poi_data: POIData | None = None
    reversed_amount: Decimal | None = None


class AbortRequest(NexoModel):
    message_reference: MessageReference
    abort_reason: str = "MerchantAbort"


class TransactionStatusRequest(NexoModel):
    message_reference: MessageReference | None = None
    receipt_reprint_flag: bool | None = None
    document_qualifier: tuple[str, ...] = ()


class RepeatedResponseMessageBody(NexoModel):
    payment_response: PaymentResponse | None = None
    reversal_response: ReversalResponse | None = None


class RepeatedMessageResponse(NexoModel):
    message_header: MessageHeader
    repeated_response_message_body: RepeatedResponseMessageBody


class TransactionStatusResponse(NexoModel):
    response: Response
    message_reference: MessageReference | None = None
    repeated_message_response: RepeatedMessageResponse | None = None


class EventNotification(NexoModel):
    """What the cloud answers instead of a response when it rejects a request (`Reject`)."""

    event_to_notify: str
    event_details: str | None = None
    time_stamp: datetime | None = None
    rejected_message: str | None = None


class SaleToPOIRequest(NexoModel):
    message_header: MessageHeader
    payment_request: PaymentRequest | None = None
    reversal_request: ReversalRequest | None = None
    abort_request: AbortRequest | None = None
    transaction_status_request: TransactionStatusRequest | None = None
    event_notification: EventNotification | None = None


class SaleToPOIResponse(NexoModel):
    message_header: MessageHeader
    payment_response: PaymentResponse | None = None
    reversal_response: ReversalResponse | None = None
    transaction_status_response: TransactionStatusResponse | None = None


def request_envelope(request: SaleToPOIRequest) -> dict[str, Any]:
    """The JSON-ready body of a request: ``{"SaleToPOIRequest": {...}}``."""
    return {"SaleToPOIRequest": request.model_dump(by_alias=True, exclude_none=True)}


def response_envelope(response: SaleToPOIResponse) -> dict[str, Any]:
    """The JSON-ready body of a response: ``{"SaleToPOIResponse": {...}}``."""
    return {"SaleToPOIResponse": response.model_dump(by_alias=True, exclude_none=True)}
