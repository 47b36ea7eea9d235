"""The nexo answers a simulated terminal gives, built with tillflow's own message model."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from tillflow.connectors.adyen import wire
from tillflow.connectors.adyen.nexo import (
    AmountsResp,
    CardData,
    MessageCategory,
    MessageClass,
    MessageHeader,
    MessageType,
    PaymentAcquirerData,
    PaymentInstrumentData,
    PaymentResponse,
    PaymentResult,
    POIData,
    RepeatedMessageResponse,
    RepeatedResponseMessageBody,
    Response,
    Result,
    ReversalResponse,
    SaleToPOIRequest,
    SaleToPOIResponse,
    TransactionIdentification,
    TransactionStatusResponse,
    request_envelope,
    response_envelope,
)
from tillflow_simulators.adyen.records import TransactionRecord

BUSY_MESSAGE = "Forbidden Request, Service Dialogue PaymentRequest is in Progress"


def envelope(response: SaleToPOIResponse) -> dict[str, Any]:
    return response_envelope(response)


def header_for(request: SaleToPOIRequest) -> MessageHeader:
    return request.message_header.model_copy(update={"message_type": MessageType.RESPONSE})


def failure(request: SaleToPOIRequest, condition: str, additional: str) -> SaleToPOIResponse:
    """A Failure answer in the body that matches the request's category."""
    response = Response(
        result=Result.FAILURE, error_condition=condition, additional_response=additional
    )
    header = header_for(request)
    category = header.message_category
    if category is MessageCategory.REVERSAL:
        return SaleToPOIResponse(
            message_header=header, reversal_response=ReversalResponse(response=response)
        )
    if category is MessageCategory.TRANSACTION_STATUS:
        status = TransactionStatusResponse(response=response)
        return SaleToPOIResponse(message_header=header, transaction_status_response=status)
    return SaleToPOIResponse(
        message_header=header, payment_response=PaymentResponse(response=response)
    )


def reject(request: SaleToPOIRequest, message: str, moment: datetime) -> dict[str, Any]:
    """The cloud's answer when the terminal cannot be reached: the request comes back."""
    original = request.message_header
    rejected = base64.b64encode(wire.dumps(request_envelope(request)).encode()).decode()
    return {
        "SaleToPOIRequest": {
            "MessageHeader": {
                "MessageClass": MessageClass.EVENT.value,
                "MessageCategory": MessageCategory.EVENT.value,
                "MessageType": MessageType.NOTIFICATION.value,
                "DeviceID": original.service_id,
                "SaleID": original.sale_id,
                "POIID": original.poi_id,
            },
            "EventNotification": {
                "EventToNotify": "Reject",
                "EventDetails": urlencode({"message": message}),
                "RejectedMessage": rejected,
                "TimeStamp": moment,
            },
        }
    }


def _poi_data(record: TransactionRecord) -> POIData:
    identification = TransactionIdentification(
        transaction_id=record.poi_transaction_id, time_stamp=record.created_at
    )
    return POIData(poi_transaction_id=identification, poi_reconciliation_id="1000")


def approved_payment(request: SaleToPOIRequest, record: TransactionRecord) -> SaleToPOIResponse:
    details = {
        "pspReference": record.psp_reference,
        "merchantReference": record.transaction_id,
        "transactionType": "GOODS_SERVICES",
        "paymentMethod": "visa",
    }
    result = PaymentResult(
        payment_instrument_data=PaymentInstrumentData(
            payment_instrument_type="Card",
            card_data=CardData(payment_brand="visa", entry_mode=("Contactless",)),
        ),
        amounts_resp=AmountsResp(currency=record.currency, authorized_amount=record.amount),
        payment_acquirer_data=PaymentAcquirerData(
            approval_code="123456", acquirer_poi_id=record.poi_id
        ),
    )
    assert request.payment_request is not None
    payment = PaymentResponse(
        response=Response(result=Result.SUCCESS, additional_response=urlencode(details)),
        sale_data=request.payment_request.sale_data,
        poi_data=_poi_data(record),
        payment_result=result,
    )
    return SaleToPOIResponse(message_header=header_for(request), payment_response=payment)


def refused_payment(
    request: SaleToPOIRequest, record: TransactionRecord, *, condition: str, reason: str
) -> SaleToPOIResponse:
    details = {
        "refusalReason": reason,
        "message": reason.upper(),
        "pspReference": record.psp_reference,
        "merchantReference": record.transaction_id,
    }
    assert request.payment_request is not None
    payment = PaymentResponse(
        response=Response(
            result=Result.FAILURE,
            error_condition=condition,
            additional_response=urlencode(details),
        ),
        sale_data=request.payment_request.sale_data,
        poi_data=_poi_data(record),
    )
    return SaleToPOIResponse(message_header=header_for(request), payment_response=payment)


def reversed_payment(request: SaleToPOIRequest, record: TransactionRecord) -> SaleToPOIResponse:
    details = {"pspReference": record.psp_reference}
    reversal = ReversalResponse(
        response=Response(result=Result.SUCCESS, additional_response=urlencode(details)),
        poi_data=_poi_data(record),
        reversed_amount=record.amount,
    )
    return SaleToPOIResponse(message_header=header_for(request), reversal_response=reversal)


def status_found(request: SaleToPOIRequest, original: SaleToPOIResponse) -> SaleToPOIResponse:
    """A TransactionStatusResponse repeating the original answer."""
    body = RepeatedResponseMessageBody(
        payment_response=original.payment_response,
        reversal_response=original.reversal_response,
    )
    status_request = request.transaction_status_request
    status = TransactionStatusResponse(
        response=Response(result=Result.SUCCESS),
        message_reference=status_request.message_reference if status_request else None,
        repeated_message_response=RepeatedMessageResponse(
            message_header=original.message_header, repeated_response_message_body=body
        ),
    )
    return SaleToPOIResponse(message_header=header_for(request), transaction_status_response=status)
