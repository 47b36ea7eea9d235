"""The payments port over Stripe PaymentIntents, with the official ``stripe`` library.

A payment is a PaymentIntent created with manual capture and tillflow's payment id in its
metadata (``start``), then confirmed (``authorize``) and captured. A PaymentIntent takes
money at most once whatever happens, so confirming it again after an unanswered confirm
cannot double-charge; that, not the Idempotency-Key header (which test servers may ignore),
is what keeps retries safe.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import stripe

from tillflow.ports.payments import (
    ConfigurationError,
    DeclinedError,
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    GatewayState,
    GatewayUnreachableError,
    OutcomeUnknownError,
    PaymentOrder,
    RefusedError,
)

METADATA_KEY = "tillflow_payment"
REFUND_KEY = "tillflow_refund"
DEFAULT_TIMEOUT = httpx.Timeout(connect=3.0, read=30.0, write=10.0, pool=3.0)
_STATES = {
    "requires_payment_method": GatewayState.OPEN,
    "requires_confirmation": GatewayState.OPEN,
    "requires_action": GatewayState.PROCESSING,
    "processing": GatewayState.PROCESSING,
    "requires_capture": GatewayState.AUTHORIZED,
    "succeeded": GatewayState.CAPTURED,
    "canceled": GatewayState.CANCELLED,
}
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class _HttpxClient(stripe.HTTPXClient):
    """stripe's httpx client, sending the form body as ``content`` as httpx 0.28 wants."""

    def _get_request_args_kwargs(self, method: str, url: str, headers: Mapping[str, str],
                                 post_data: Any) -> list[Any]:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs["content"] = kwargs.pop("data") or None
        return [args, kwargs]


class StripeGateway:
    def __init__(self, *, api_key: str, api_base: str | None = None,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._http = http = _HttpxClient(timeout=timeout, allow_sync_methods=True)
        self._client = stripe.StripeClient(api_key,
                                           base_addresses={"api": api_base} if api_base else {},
                                           max_network_retries=0, http_client=http)

    def start(self, order: PaymentOrder, *, idempotency_key: str) -> str:
        params: dict[str, Any] = {
            "amount": order.amount, "currency": order.currency.lower(),
            "capture_method": "manual", "metadata": {METADATA_KEY: order.payment_id},
        }
        if order.source is not None:
            params["payment_method"] = order.source
        else:
            params["allowed_payment_method_types"] = ["card_present"]
        with _translated():
            intent = self._client.v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key})
        return str(intent.id)

    def authorize(self, reference: str, order: PaymentOrder, *,
                  idempotency_key: str) -> GatewayPayment:
        with _translated():
            if order.terminal is not None:
                self._client.v1.terminal.readers.process_payment_intent(
                    order.terminal, params={"payment_intent": reference},
                    options={"idempotency_key": idempotency_key})
                return self.lookup(reference)
            intent = self._client.v1.payment_intents.confirm(
                reference, options={"idempotency_key": idempotency_key})
        return _payment(intent)

    def abort(self, order: PaymentOrder) -> None:
        """Stop the reader waiting for the card, and cancel the PaymentIntent unless a card
        was already taken (then the sale goes through: an abort never gives money back)."""
        if order.terminal is None:
            raise GatewayError("only a payment on a reader can be cancelled from the register")
        with _translated():
            self._client.v1.terminal.readers.cancel_action(order.terminal)
            found = self.find(order)
            if found is not None and found.state is GatewayState.OPEN:
                self._client.v1.payment_intents.cancel(found.reference)

    def lookup(self, reference: str) -> GatewayPayment:
        with _translated():
            return _payment(self._client.v1.payment_intents.retrieve(reference))

    def find(self, order: PaymentOrder) -> GatewayPayment | None:
        with _translated():
            listed = self._client.v1.payment_intents.list(params={"limit": 100})
            for intent in listed.auto_paging_iter():
                if _tag(intent) == order.payment_id:
                    return _payment(intent)
        return None

    def capture(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayPayment:
        with _translated():
            intent = self._client.v1.payment_intents.capture(
                reference, params={"amount_to_capture": amount},
                options={"idempotency_key": idempotency_key})
        return _payment(intent)

    def cancel(self, reference: str, *, idempotency_key: str) -> GatewayPayment:
        with _translated():
            intent = self._client.v1.payment_intents.cancel(
                reference, options={"idempotency_key": idempotency_key})
        return _payment(intent)

    def refund(self, reference: str, *, amount: int, idempotency_key: str) -> GatewayRefund:
        with _translated():
            refund = self._client.v1.refunds.create(
                params={"payment_intent": reference, "amount": amount,
                        "metadata": {REFUND_KEY: idempotency_key}},
                options={"idempotency_key": idempotency_key})
        return _refund(refund, reference)

    def find_refund(self, reference: str, *, amount: int,
                    idempotency_key: str) -> GatewayRefund | None:
        """The PaymentIntent's refund tagged with this key (tillflow tags each refund)."""
        with _translated():
            listed = self._client.v1.refunds.list(
                params={"payment_intent": reference, "limit": 100})
            for refund in listed.auto_paging_iter():
                metadata = refund.metadata.to_dict() if refund.metadata else {}
                if metadata.get(REFUND_KEY) == idempotency_key:
                    return _refund(refund, reference)
        return None

    def list_payments(self, *, since: int, until: int) -> list[GatewayPayment]:
        """PaymentIntents created in [since, until) (unix seconds), refunds included."""
        refunded: dict[str, int] = {}
        with _translated():
            for refund in self._client.v1.refunds.list(params={"limit": 100}).auto_paging_iter():
                key = str(refund.payment_intent)
                if refund.status == "succeeded":
                    refunded[key] = refunded.get(key, 0) + refund.amount
            intents = self._client.v1.payment_intents.list(params={"limit": 100})
            found = [_payment(i, refunded=refunded.get(i.id, 0))
                     for i in intents.auto_paging_iter()]
        return [p for p in found if since <= p.created < until]

    def check(self) -> None:
        with _translated():
            self._client.v1.payment_intents.list(params={"limit": 1})

    def close(self) -> None:
        self._http.close()  # type: ignore[no-untyped-call]


def _payment(intent: stripe.PaymentIntent, *, refunded: int = 0) -> GatewayPayment:
    state = _STATES.get(intent.status, GatewayState.PROCESSING)
    error = intent.last_payment_error
    if state is GatewayState.OPEN and error is not None:
        state = GatewayState.FAILED
    return GatewayPayment(
        reference=intent.id, state=state, amount=intent.amount,
        captured=intent.amount if state is GatewayState.CAPTURED else 0, refunded=refunded,
        decline_code=_decline_code(error),
        payment_id=_tag(intent), created=intent.created,
    )


def _refund(refund: stripe.Refund, reference: str) -> GatewayRefund:
    return GatewayRefund(reference=refund.id, payment_reference=reference,
                         amount=refund.amount, succeeded=refund.status == "succeeded")


def _decline_code(error: Any) -> str | None:
    if error is None:
        return None
    # Test servers may leave out decline_code; the error code is the next best reason.
    return str(getattr(error, "decline_code", None) or getattr(error, "code", None) or "declined")


def _tag(intent: stripe.PaymentIntent) -> str | None:
    metadata = intent.metadata.to_dict() if intent.metadata else {}
    found = metadata.get(METADATA_KEY)
    return str(found) if found is not None else None


@contextmanager
def _translated() -> Iterator[None]:
    """Stripe's errors, in the port's words; the one place that decides it."""
    try:
        yield
    except stripe.CardError as exc:
        raise DeclinedError(exc.user_message or "card declined",
                            code=str(exc.code or "card_declined")) from exc
    except (stripe.AuthenticationError, stripe.PermissionError) as exc:
        raise ConfigurationError(f"Stripe refused the API key ({exc.http_status})") from exc
    except stripe.RateLimitError as exc:
        raise GatewayUnreachableError("Stripe rate limit; retry later") from exc
    except stripe.APIConnectionError as exc:
        if isinstance(exc.__cause__, _NOT_SENT):
            raise GatewayUnreachableError(f"Stripe not reached: {exc.__cause__!r}") from exc
        raise OutcomeUnknownError("no answer from Stripe after sending") from exc
    except (stripe.InvalidRequestError, stripe.IdempotencyError) as exc:
        why = exc.user_message or exc.code or exc.http_status
        raise RefusedError(f"Stripe refused: {why}") from exc
    except stripe.APIError as exc:
        raise OutcomeUnknownError(f"Stripe answered {exc.http_status}") from exc
