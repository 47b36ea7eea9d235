"""The payments port over Stripe PaymentIntents, with the official ``stripe`` library.

A payment is a PaymentIntent created with manual capture and tillflow's payment id in its
metadata (``start``), then confirmed (``authorize``) and captured. A PaymentIntent takes
money at most once whatever happens, so confirming it again after an unanswered confirm
cannot double-charge; that, not the Idempotency-Key header (which test servers may ignore),
is what keeps retries safe.

Nothing here reads the whole account: a PaymentIntent whose creation went unanswered is
found by repeating the creation with the same Idempotency-Key while Stripe still replays
its first answer (keys are kept for 24 hours), later by the Search API on tillflow's
metadata key; reconciliation lists one ``created`` range, page by page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
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
# Stripe keeps an idempotency key's first answer for 24 hours; an hour's margin keeps a
# repeat clear of the edge, where it would create a second PaymentIntent instead.
REPLAY_WINDOW = 23 * 3600
PAGE = 100
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
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 clock: Callable[[], float] = time.time, page_size: int = PAGE) -> None:
        self._clock = clock
        self._page_size = page_size
        self._http = http = _HttpxClient(timeout=timeout, allow_sync_methods=True)
        self._client = stripe.StripeClient(api_key,
                                           base_addresses={"api": api_base} if api_base else {},
                                           max_network_retries=0, http_client=http)

    def start(self, order: PaymentOrder, *, idempotency_key: str) -> str:
        with _translated():
            return str(self._create(order, idempotency_key).id)

    def _create(self, order: PaymentOrder, idempotency_key: str) -> stripe.PaymentIntent:
        params: dict[str, Any] = {
            "amount": order.amount, "currency": order.currency.lower(),
            "capture_method": "manual", "metadata": {METADATA_KEY: order.payment_id},
        }
        if order.source is not None:
            params["payment_method"] = order.source
        else:
            params["allowed_payment_method_types"] = ["card_present"]
        return self._client.v1.payment_intents.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key})

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
        was already taken (then the sale goes through: an abort never gives money back).

        The reader's answer names the PaymentIntent its action was processing."""
        if order.terminal is None:
            raise GatewayError("only a payment on a reader can be cancelled from the register")
        with _translated():
            reader = self._client.v1.terminal.readers.cancel_action(order.terminal)
            intent = _processed_intent(reader)
            if intent is None:
                return
            found = self.lookup(intent)
            if found.payment_id == order.payment_id and found.state is GatewayState.OPEN:
                self._client.v1.payment_intents.cancel(found.reference)

    def lookup(self, reference: str) -> GatewayPayment:
        with _translated():
            return _payment(self._client.v1.payment_intents.retrieve(reference))

    def find(self, order: PaymentOrder, *, idempotency_key: str | None = None,
             sent_at: int | None = None) -> GatewayPayment | None:
        """The PaymentIntent of ``order`` whose creation went unanswered.

        Inside the replay window the creation is sent again with its key: Stripe answers
        with the PaymentIntent it made then, or makes it now if the first never arrived
        (no money moves either way). After it, the Search API finds it by tillflow's
        payment id in its metadata (search lags writes by up to a minute, which is why
        it is not the first choice).
        """
        replayable = idempotency_key is not None and sent_at is not None \
            and self._clock() - sent_at < REPLAY_WINDOW
        with _translated():
            if not replayable:
                return self._search(order.payment_id)
            assert idempotency_key is not None
            try:
                return _payment(self._create(order, idempotency_key))
            except stripe.IdempotencyError as exc:
                # Stripe is still processing the first request with this key: ask later.
                raise OutcomeUnknownError("the first creation is still in progress") from exc

    def _search(self, payment_id: str) -> GatewayPayment | None:
        query = f"metadata['{METADATA_KEY}']:'{_quoted(payment_id)}'"
        found = self._client.v1.payment_intents.search(params={"query": query, "limit": 1})
        return _payment(found.data[0]) if found.data else None

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
        """PaymentIntents created in [since, until) (unix seconds), with what their latest
        charge had refunded and the fee its balance transaction kept; one ``created`` range
        read page by page (``starting_after`` while ``has_more``)."""
        params: dict[str, Any] = {"created": {"gte": since, "lt": until},
                                  "limit": self._page_size,
                                  "expand": ["data.latest_charge.balance_transaction"]}
        found: list[GatewayPayment] = []
        with _translated():
            while True:
                page = self._client.v1.payment_intents.list(params=params)  # type: ignore[arg-type]
                found.extend(replace(_payment(i, refunded=_refunded(i)), fee=_fee(i))
                             for i in page.data)
                if not page.has_more or not page.data:
                    return found
                params["starting_after"] = page.data[-1].id

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


def _fee(intent: stripe.PaymentIntent) -> int | None:
    """What Stripe kept of the charge (its balance transaction's ``fee``), when the
    balance it went to is in the payment's currency; None before it reached a balance."""
    charge = intent.latest_charge
    moved = getattr(charge, "balance_transaction", None)
    if moved is None or isinstance(moved, str):
        return None
    if str(moved.currency).lower() != str(intent.currency).lower():
        return None
    return int(moved.fee)


def _refunded(intent: stripe.PaymentIntent) -> int:
    charge = intent.latest_charge
    return int(getattr(charge, "amount_refunded", 0) or 0)


def _processed_intent(reader: Any) -> str | None:
    action = getattr(reader, "action", None)
    processing = getattr(action, "process_payment_intent", None) if action else None
    intent = getattr(processing, "payment_intent", None) if processing else None
    return str(intent) if intent else None


def _quoted(value: str) -> str:
    """A value inside a search query's single quotes."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _refund(refund: stripe.Refund, reference: str) -> GatewayRefund:
    return GatewayRefund(reference=refund.id, payment_reference=reference,
                         amount=refund.amount, succeeded=refund.status == "succeeded",
                         pending=refund.status in ("pending", "requires_action"))


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
