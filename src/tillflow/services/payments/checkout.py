"""Checkout with card tenders paid through a gateway.

The card payments are authorized first, each stored (with its idempotency key) before
its first call; then the sale is recorded with the gateway's references; then the
payments are captured (unless the connection captures by hand). A decline, or a sale
that cannot be recorded, releases every authorization of the request: nothing is
half-written, and the request's Idempotency-Key stays unused, so the register retries
with another tender under the same key.

Card tenders without a ``connection`` are terminals outside tillflow: their ``reference``
is recorded as given (as before).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from tillflow.domain.card_data import refuse_card_data as refuse_text
from tillflow.domain.errors import DomainError, InvalidInput
from tillflow.domain.payments import (
    HELD,
    PaymentDeclined,
    PaymentInProgress,
    PaymentOutcomeUnknown,
    PaymentStatus,
)
from tillflow.domain.records import SaleRecord
from tillflow.domain.sales import CARD
from tillflow.ports.records import PaymentRow
from tillflow.services import sales
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.payments import lifecycle, records, terminals
from tillflow.services.payments.gateways import PaymentConnection, gateways_of

S = PaymentStatus
MAX_ATTEMPTS = 5
# A failed payment the gateway never received: the next attempt may send a new one.
NOT_SENT = frozenset({"not_sent", "not_found", "gateway_unavailable", "refused"})


def checkout(ctx: ServiceContext, actor: Actor, request: sales.SaleRequest, *,
             idempotency_key: str | None, request_hash: str,
             origin: sales.Origin = sales.Origin()) -> tuple[SaleRecord, bool]:
    """Record a sale, paying its gateway card tenders first; see the module's doc."""
    paid = [(i, t) for i, t in enumerate(request.payments) if t.connection is not None]
    refuse_card_data(request.payments)
    if not paid:
        return sales.record_sale(ctx, actor, request, idempotency_key=idempotency_key,
                                 request_hash=request_hash, origin=origin)
    if idempotency_key is None:
        raise InvalidInput("a sale paid by card through a gateway needs an Idempotency-Key",
                           details={"field": "Idempotency-Key"})
    # A sale that would be refused (its approval, its actor) is refused before any card
    # is charged; the sale's own transaction checks it all again.
    sales.check_sale(ctx, actor, request, idempotency_key=idempotency_key, origin=origin)
    ours: dict[str, PaymentRow] = {}
    conns: dict[str, PaymentConnection] = {}
    taken: dict[int, PaymentRow] = {}
    if not _recorded(ctx, idempotency_key, {t.connection for _, t in paid}, conns):
        taken = _pay(ctx, actor, request, paid, ours=ours, conns=conns,
                     key=idempotency_key, digest=request_hash)
        request = replace(request, payments=[
            sales.TenderRequest(method=CARD, amount=t.amount, reference=taken[i].gateway_ref)
            if i in taken else t for i, t in enumerate(request.payments)])
    try:
        record, created = sales.record_sale(ctx, actor, request,
                                            idempotency_key=idempotency_key,
                                            request_hash=request_hash, origin=origin)
    except DomainError:
        _release(ctx, ours.values())
        raise
    _settle(ctx, record, list(taken.values()), conns)
    return record, created


def refuse_card_data(tenders: Sequence[sales.TenderRequest]) -> None:
    """Refuse a tender carrying anything that passes for a card number."""
    for index, tender in enumerate(tenders):
        for field in ("reference", "payment_method", "terminal"):
            refuse_text(getattr(tender, field), field=f"payments[{index}].{field}")


def payment_statuses(ctx: ServiceContext, sale: dict[str, Any]) -> dict[str, Any]:
    """The sale's payload with each gateway payment's status and id, as they stand.

    Cash and cards paid on a standalone terminal have no status: they were taken.
    """
    items = sale["payments"]
    found: dict[str, PaymentRow] = {}
    if any(p["method"] == CARD and p["reference"] for p in items):
        with ctx.uow(read_only=True) as uow:
            found = uow.payments.by_refs(
                p["reference"] for p in items if p["reference"])
    for item in items:
        row = found.get(item["reference"] or "")
        if row is not None:
            item["status"], item["payment_id"] = row.status, row.id
    return sale


def _recorded(ctx: ServiceContext, key: str, names: set[str | None],
              conns: dict[str, PaymentConnection]) -> bool:
    """Whether the sale of this key is recorded; opens the gateways in ``conns`` too (one
    read for both)."""
    with ctx.uow(read_only=True) as uow:
        recorded = uow.keys.find(scope=sales.IDEMPOTENCY_SCOPE, key=key) is not None
        found = {name: uow.connections.get(name) for name in names if name is not None}
    for name, record in found.items():
        conns[name] = gateways_of(ctx).of_record(ctx, name, record)
    return recorded


def _pay(ctx: ServiceContext, actor: Actor, request: sales.SaleRequest,
         paid: Sequence[tuple[int, sales.TenderRequest]], *, ours: dict[str, PaymentRow],
         conns: dict[str, PaymentConnection], key: str,
         digest: str) -> dict[int, PaymentRow]:
    """Authorize each card tender; ``ours`` collects the payments this request sent (as
    sent: a reference not stored yet is only there).

    Only those are released on failure: a payment found held was sent by an earlier or
    concurrent request with the same key, which may still turn it into the sale.
    """
    taken: dict[int, PaymentRow] = {}
    try:
        for index, tender in paid:
            assert tender.connection is not None
            taken[index] = _pay_one(ctx, actor, request, conns[tender.connection],
                                    index=index, tender=tender,
                                    ours=ours, key=key, digest=digest)
    except (PaymentInProgress, PaymentOutcomeUnknown):
        # The register sends the same request again: what is held stays held for it.
        raise
    except DomainError:
        _release(ctx, ours.values())
        raise
    return taken


def _pay_one(ctx: ServiceContext, actor: Actor, request: sales.SaleRequest,
             conn: PaymentConnection, *, index: int, tender: sales.TenderRequest,
             ours: dict[str, PaymentRow], key: str, digest: str) -> PaymentRow:
    source, terminal = _card(ctx, request, tender, index)
    amount = ctx.currency.parse(tender.amount, field=f"payments[{index}].amount")
    claim = hashlib.sha256(f"{key}\n{digest}\n{index}".encode()).hexdigest()
    for _ in range(MAX_ATTEMPTS):
        row, mine = records.open_attempt(
            ctx, actor, claim=claim, connection=conn.name, amount=amount, source=source,
            terminal=terminal, capture=conn.capture, register=request.register)
        if mine:
            row = ours[row.id] = lifecycle.send(ctx, conn, row, defer=True)
        elif row.terminal is not None and row.status in (S.PENDING, S.UNKNOWN):
            row = lifecycle.poll(ctx, conn, row)
            if row.status == S.FAILED and row.decline_code not in NOT_SENT:
                raise PaymentDeclined("the card was declined at the terminal; take another "
                                      "tender", details={"payment": row.id,
                                                         "decline_code": row.decline_code})
            if row.status == S.CANCELLED:
                # Cancelled from the register while the reader waited: the cashier takes
                # another tender, not a second round at the reader.
                raise PaymentDeclined("the payment was cancelled at the terminal; take "
                                      "another tender", details={"payment": row.id,
                                                                 "decline_code": "cancelled"})
        elif row.status == S.PENDING and not _stale(ctx, row.updated_at):
            raise PaymentInProgress("this sale is being paid by another request; retry",
                                    details={"payment": row.id})
        elif row.status in (S.PENDING, S.UNKNOWN):
            row = lifecycle.look_up(ctx, conn, row, resume=True)
        if row.status in HELD:
            return row
        if row.status == S.PENDING and row.terminal is not None:
            raise PaymentInProgress("waiting for the card at the terminal; send the same "
                                    "request again", details={"payment": row.id,
                                                              "terminal": row.terminal})
        if row.status in (S.PENDING, S.UNKNOWN):
            raise PaymentOutcomeUnknown("the payment's outcome is not known yet; retry",
                                        details={"payment": row.id, "status": row.status})
    raise PaymentInProgress("the payment kept failing to start; retry",
                            details={"payments": index})


def _card(ctx: ServiceContext, request: sales.SaleRequest, tender: sales.TenderRequest,
          index: int) -> tuple[str | None, str | None]:
    if tender.method != CARD:
        raise InvalidInput(f"payment {index + 1}: only card payments go through a connection",
                           details={"field": f"payments[{index}].method"})
    if tender.payment_method is None and tender.terminal is None and request.register:
        found = terminals.terminal_of(ctx, request.register)
        if found is not None and found[0] == tender.connection:
            return None, found[1]
    if (tender.payment_method is None) == (tender.terminal is None):
        raise InvalidInput(f"payment {index + 1}: give either payment_method or terminal "
                           "(or set the register's terminal)",
                           details={"field": f"payments[{index}]"})
    return tender.payment_method, tender.terminal


def _stale(ctx: ServiceContext, updated_at: datetime) -> bool:
    return ctx.clock() - updated_at > lifecycle.STALE_AFTER


def _release(ctx: ServiceContext, rows: Iterable[PaymentRow]) -> None:
    """Void the authorizations of a request that will not become a sale."""
    for row in rows:
        current = records.get(ctx, row.id)
        if current.gateway_ref is None:
            # Authorized but not stored yet (see ``lifecycle.send``): the row sent knows it.
            current = replace(current, gateway_ref=row.gateway_ref)
        # Pending here is an authorization not stored yet (see ``lifecycle.send``);
        # captured, a terminal payment (captured when approved), given back in full.
        if current.sale_id is None and current.status in (S.AUTHORIZED, S.PENDING,
                                                          S.CAPTURED):
            conn = gateways_of(ctx).connection(ctx, current.connection)
            lifecycle.void(ctx, conn, current)


def _settle(ctx: ServiceContext, record: SaleRecord, taken: Sequence[PaymentRow],
            conns: dict[str, PaymentConnection]) -> None:
    """Capture the sale's payments (unless captured by hand), then store them with it,
    with what ``lifecycle.send`` left for the sale to store (reference, authorization)."""
    settled = []
    for held in taken:
        result = None
        if held.status == S.AUTHORIZED and held.capture != "manual":
            result = lifecycle.take(ctx, conns[held.connection], held)
        settled.append(held if result is None else replace(
            held, status=str(S.CAPTURED), captured=result.captured or held.amount))
    with ctx.uow() as uow:
        repo = uow.payments
        # A crash that loses this is repaired by the resolver: the payment is still
        # pending or authorized here, the gateway knows it, and the sale names it.
        repo.commit_lazily()
        for row in settled:
            current = repo.get(row.id, lock=True)
            assert current is not None
            values: dict[str, Any] = {"sale_id": record.id, "shift_id": record.shift_id}
            if current.gateway_ref is None:
                values["gateway_ref"] = row.gateway_ref
            if current.status != row.status:
                records.domain(current, ctx).move(PaymentStatus(row.status))
                values.update(status=row.status, captured=row.captured)
                uow.emit(f"payment.{row.status}",
                         records.payload(replace(current, **values), ctx))
            repo.update(row.id, now=uow.now, **values)
        uow.commit()
