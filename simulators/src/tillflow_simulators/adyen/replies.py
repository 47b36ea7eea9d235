"""The nexo answers a simulated terminal gives, as plain JSON-ready dicts.

Each one is checked against Adyen's official models before it leaves (``server``); the
shapes follow Adyen's published examples: a PaymentResponse always has SaleData and
POIData, a reversal's POITransactionID is its pspReference.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from tillflow_simulators.adyen.messages import at, timestamp
from tillflow_simulators.adyen.records import TransactionRecord

BUSY_MESSAGE = "Forbidden Request, Service Dialogue PaymentRequest is in Progress"
_BODIES = {"Payment": "PaymentResponse", "Reversal": "ReversalResponse",
           "TransactionStatus": "TransactionStatusResponse"}


def header_for(request: dict[str, Any]) -> dict[str, Any]:
    header = at(request, "SaleToPOIRequest", "MessageHeader")
    return {**(header if isinstance(header, dict) else {}), "MessageType": "Response"}


def envelope(header: dict[str, Any], body_name: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"SaleToPOIResponse": {"MessageHeader": header, body_name: body}}


def poi_data(transaction_id: str, moment: datetime) -> dict[str, Any]:
    return {"POITransactionID": {"TransactionID": transaction_id,
                                 "TimeStamp": timestamp(moment)},
            "POIReconciliationID": "1000"}


def failure(request: dict[str, Any], condition: str, additional: str, *,
            poi: dict[str, Any]) -> dict[str, Any]:
    """A Failure in the body that matches the request's category (a PaymentResponse when
    the category cannot be read, as Adyen answers a request it cannot parse)."""
    header = header_for(request)
    name = _BODIES.get(str(header.get("MessageCategory")), "PaymentResponse")
    body: dict[str, Any] = {"Response": {"Result": "Failure", "ErrorCondition": condition,
                                         "AdditionalResponse": additional}}
    if name == "PaymentResponse":
        sale = at(request, "SaleToPOIRequest", "PaymentRequest", "SaleData")
        body["SaleData"] = sale if isinstance(sale, dict) else {}
        body["POIData"] = poi
    return envelope(header, name, body)


def format_error(request: dict[str, Any], problem: str, *, poi: dict[str, Any]) -> dict[str, Any]:
    """Adyen's answer to a message its models refuse: MessageFormat, the problem in
    ``errors=`` of the AdditionalResponse."""
    encoded = quote(problem, safe="")
    return failure(request, "MessageFormat", f"errors={encoded}", poi=poi)


def reject(raw: bytes, request: dict[str, Any], message: str,
           moment: datetime) -> dict[str, Any]:
    """The cloud's answer when the terminal cannot be reached: the request comes back."""
    original = at(request, "SaleToPOIRequest", "MessageHeader") or {}
    header = {"MessageClass": "Event", "MessageCategory": "Event",
              "MessageType": "Notification", "POIID": original.get("POIID", ""),
              "SaleID": original.get("SaleID"), "ServiceID": original.get("ServiceID"),
              "ProtocolVersion": "3.0"}
    return {"SaleToPOIRequest": {
        "MessageHeader": {k: v for k, v in header.items() if v is not None},
        "EventNotification": {
            "EventToNotify": "Reject",
            "EventDetails": urlencode({"message": message}),
            "RejectedMessage": base64.b64encode(raw).decode(),
            "TimeStamp": timestamp(moment),
        }}}


def approved_payment(request: dict[str, Any], record: TransactionRecord, *,
                     merchant_account: str) -> dict[str, Any]:
    details = {"pspReference": record.psp_reference,
               "merchantReference": record.transaction_id,
               "transactionType": "GOODS_SERVICES", "paymentMethod": "visa"}
    body = {
        "Response": {"Result": "Success", "AdditionalResponse": urlencode(details)},
        "SaleData": at(request, "SaleToPOIRequest", "PaymentRequest", "SaleData"),
        "POIData": poi_data(record.poi_transaction_id, record.created_at),
        "PaymentResult": {
            "PaymentInstrumentData": {
                "PaymentInstrumentType": "Card",
                "CardData": {"PaymentBrand": "visa", "EntryMode": ["Contactless"]}},
            "AmountsResp": {"Currency": record.currency,
                            "AuthorizedAmount": record.amount},
            "PaymentAcquirerData": {"AcquirerPOIID": record.poi_id,
                                    "MerchantID": merchant_account,
                                    "ApprovalCode": "123456"},
        },
    }
    return envelope(header_for(request), "PaymentResponse", body)


def refused_payment(request: dict[str, Any], record: TransactionRecord, *, condition: str,
                    reason: str) -> dict[str, Any]:
    details = {"refusalReason": reason, "message": reason.upper(),
               "pspReference": record.psp_reference,
               "merchantReference": record.transaction_id}
    body = {
        "Response": {"Result": "Failure", "ErrorCondition": condition,
                     "AdditionalResponse": urlencode(details)},
        "SaleData": at(request, "SaleToPOIRequest", "PaymentRequest", "SaleData"),
        "POIData": poi_data(record.poi_transaction_id, record.created_at),
    }
    return envelope(header_for(request), "PaymentResponse", body)


def reversal_received(request: dict[str, Any], record: TransactionRecord) -> dict[str, Any]:
    """Success means Adyen received the refund; its outcome comes by notification."""
    body = {
        "Response": {"Result": "Success",
                     "AdditionalResponse": urlencode({"pspReference": record.psp_reference})},
        "POIData": poi_data(record.poi_transaction_id, record.created_at),
        "ReversedAmount": record.amount,
    }
    return envelope(header_for(request), "ReversalResponse", body)


def status_found(request: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """A TransactionStatusResponse repeating the original answer."""
    answer = original["SaleToPOIResponse"]
    repeated = {name: value for name, value in answer.items() if name != "MessageHeader"}
    body: dict[str, Any] = {
        "Response": {"Result": "Success"},
        "RepeatedMessageResponse": {"MessageHeader": answer["MessageHeader"],
                                    "RepeatedResponseMessageBody": repeated},
    }
    reference = at(request, "SaleToPOIRequest", "TransactionStatusRequest", "MessageReference")
    if reference is not None:
        body["MessageReference"] = reference
    return envelope(header_for(request), "TransactionStatusResponse", body)
