"""Simulated Stripe Terminal readers (server-driven flow) over a Stripe-compatible upstream.

PaymentIntents live upstream (localstripe in tests). When a card is presented, the reader
creates a card PaymentMethod upstream for the test card, attaches it to the PaymentIntent
and confirms it, which is what a real reader's authorisation does to the PaymentIntent.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

# Stripe's card-present test numbers that decline map to the one localstripe declines.
_DECLINING = {"4000000000000002", "4000000000009995", "4000000000000069", "4000000000000119"}
_UPSTREAM_DECLINE = "4000000000000341"
DEFAULT_CARD = "4242424242424242"


class ReaderApiError(Exception):
    """A Stripe-shaped API error: status, type, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        error = {"type": "invalid_request_error", "code": self.code, "message": self.message}
        return {"error": error}


@dataclass
class Reader:
    id: str
    label: str
    location: str | None
    serial_number: str
    fault: str | None = None
    action: dict[str, Any] | None = None
    authorization: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "terminal.reader",
            "action": self.action,
            "device_sw_version": "2.42.0.0",
            "device_type": "simulated_wisepos_e",
            "ip_address": "0.0.0.0",  # noqa: S104 - a reported address, nothing binds it
            "label": self.label,
            "last_seen_at": int(time.time() * 1000),
            "livemode": False,
            "location": self.location,
            "metadata": {},
            "serial_number": self.serial_number,
            "status": "offline" if self.fault == "offline" else "online",
        }


class ReaderFleet:
    """Readers by id and the actions they run."""

    def __init__(self, *, upstream: httpx.Client) -> None:
        self._upstream = upstream
        self._readers: dict[str, Reader] = {}
        self._lock = threading.Lock()

    def register(
        self, *, registration_code: str, label: str = "", location: str | None = None
    ) -> Reader:
        if registration_code != "simulated-wpe":
            raise ReaderApiError(400, "resource_missing", "Invalid registration code.")
        reader = Reader(
            id=f"tmr_{secrets.token_hex(7)}",
            label=label or "Simulated reader",
            location=location,
            serial_number=f"SIMULATOR-{secrets.token_hex(4)}",
        )
        with self._lock:
            self._readers[reader.id] = reader
        return reader

    def get(self, reader_id: str) -> Reader:
        with self._lock:
            reader = self._readers.get(reader_id)
        if reader is None:
            raise ReaderApiError(404, "resource_missing", f"No such reader: '{reader_id}'")
        return reader

    def all(self) -> list[Reader]:
        with self._lock:
            return list(self._readers.values())

    def set_fault(self, reader_id: str, fault: str | None) -> None:
        """`offline`: calls fail before reaching it; `timeout`: it starts but the call fails."""
        self.get(reader_id).fault = fault

    def process_payment_intent(
        self, reader_id: str, payment_intent: str, authorization: str
    ) -> Reader:
        reader = self.get(reader_id)
        if reader.fault == "offline":
            raise ReaderApiError(400, "terminal_reader_offline", "Reader is offline.")
        status = self._call("GET", f"/v1/payment_intents/{payment_intent}", authorization)
        if status.get("status") != "requires_payment_method":
            raise ReaderApiError(
                400, "payment_intent_unexpected_state", "PaymentIntent cannot be processed."
            )
        with self._lock:
            if reader.action is not None and reader.action["status"] == "in_progress":
                raise ReaderApiError(400, "terminal_reader_busy", "Reader is busy.")
            reader.action = _action(payment_intent)
            reader.authorization = authorization
        if reader.fault == "timeout":
            raise ReaderApiError(400, "terminal_reader_timeout", "Reader did not respond.")
        return reader

    def present_payment_method(self, reader_id: str, card_number: str | None) -> Reader:
        reader = self.get(reader_id)
        action = reader.action
        if action is None or action["status"] != "in_progress":
            raise ReaderApiError(400, "terminal_reader_action_not_found", "No action to complete.")
        intent = action["process_payment_intent"]["payment_intent"]
        number = card_number or DEFAULT_CARD
        upstream_number = _UPSTREAM_DECLINE if number in _DECLINING else number
        try:
            self._authorise(intent, upstream_number, reader.authorization)
        except ReaderApiError as declined:
            self._settle(reader, "failed", declined.code, declined.message)
        else:
            self._settle(reader, "succeeded", None, None)
        return reader

    def cancel_action(self, reader_id: str) -> Reader:
        reader = self.get(reader_id)
        if reader.action is None or reader.action["status"] != "in_progress":
            raise ReaderApiError(400, "terminal_reader_action_not_found", "No action to cancel.")
        self._settle(reader, "failed", "customer_canceled", "The action was canceled.")
        return reader

    def _authorise(self, intent: str, number: str, authorization: str) -> None:
        card = {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
        method = self._call(
            "POST",
            "/v1/payment_methods",
            authorization,
            {"type": "card", **{f"card[{k}]": v for k, v in card.items()}},
        )
        self._call(
            "POST", f"/v1/payment_intents/{intent}", authorization, {"payment_method": method["id"]}
        )
        self._call("POST", f"/v1/payment_intents/{intent}/confirm", authorization, {})

    def _settle(self, reader: Reader, status: str, code: str | None, message: str | None) -> None:
        with self._lock:
            assert reader.action is not None
            reader.action = {
                **reader.action,
                "status": status,
                "failure_code": code,
                "failure_message": message,
            }

    def _call(
        self, method: str, path: str, authorization: str, data: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        reply = self._upstream.request(
            method, path, data=data, headers={"Authorization": authorization}
        )
        body: dict[str, Any] = reply.json()
        if reply.is_error:
            error = body.get("error", {})
            code = error.get("code") or error.get("type") or "api_error"
            raise ReaderApiError(reply.status_code, code, error.get("message", "upstream error"))
        return body


def _action(payment_intent: str) -> dict[str, Any]:
    return {
        "type": "process_payment_intent",
        "status": "in_progress",
        "failure_code": None,
        "failure_message": None,
        "process_payment_intent": {"payment_intent": payment_intent},
    }
