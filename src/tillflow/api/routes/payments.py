"""Card payments: status, capture, void, refunds without a return, reconciliation,
register terminals, connection checks and the gateways' webhooks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import Field, StrictStr
from starlette.concurrency import run_in_threadpool

from tillflow.api.auth import Context, context, require
from tillflow.api.fields import Code, IssuedToken
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.webhooks import rejected
from tillflow.api.schemas import Amount, Body
from tillflow.api.schemas_out import (
    PaymentOut,
    PaymentReconciliationOut,
    RefundOut,
    TerminalCancelOut,
    TerminalOut,
    TerminalProgressOut,
    WebhookOut,
    with_csv,
    with_text,
)
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.erp.service import EARLIEST, LATEST
from tillflow.services.context import Actor
from tillflow.services.payments import (
    control,
    fees,
    reconciliation,
    records,
    terminal_progress,
    terminals,
    webhooks,
)
from tillflow.services.tokens import CONNECTIONS_OPERATE, SALES_READ, SALES_WRITE, SETUP

router = APIRouter(route_class=CheckedRoute, tags=["payments"])
log = structlog.get_logger("tillflow.api")
Reader = Annotated[Actor, Depends(require(SALES_READ))]
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
Admin = Annotated[Actor, Depends(require(SETUP))]
Operator = Annotated[Actor, Depends(require(CONNECTIONS_OPERATE))]


# The token of a manager's PIN approval (POST /staff/approvals), for a cashier.
ApprovalToken = IssuedToken


class RefundIn(Body):
    amount: Amount
    approval: ApprovalToken | None = None


class VoidIn(Body):
    approval: ApprovalToken | None = None


class TerminalIn(Body):
    connection: Code
    terminal: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


@router.get("/payments/reconciliation", response_model=None,
            responses={200: with_csv(PaymentReconciliationOut)})
def reconcile(
    ctx: Context,
    _actor: Reader,
    day: Annotated[date, Query(alias="date")],
    connection: Annotated[str, Query(max_length=64)],
    output: Annotated[str | None, Query(alias="format", pattern="^(json|csv)$")] = None,
    accept: Annotated[str, Header()] = "application/json",
) -> FastJSONResponse | PlainTextResponse:
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(f"date must be between {EARLIEST} and {LATEST}",
                           details={"field": "date"})
    report = reconciliation.reconcile(ctx, day=day, connection=connection)
    if output == "csv" or (output is None and "text/csv" in accept):
        return PlainTextResponse(reconciliation.as_csv(report), media_type="text/csv")
    return FastJSONResponse(report)


class FeesIn(Body):
    date: date
    connection: Code


@router.post("/payments/fees", response_model=None)
def record_fees(body: FeesIn, ctx: Context, _actor: Operator) -> FastJSONResponse:
    """Read the fees the gateway kept of a day's payments, and book them once."""
    if not EARLIEST <= body.date <= LATEST:
        raise InvalidInput(f"date must be between {EARLIEST} and {LATEST}",
                           details={"field": "date"})
    return FastJSONResponse(fees.record_fees(ctx, day=body.date, connection=body.connection))


@router.get("/payments/{payment_id}", response_model=PaymentOut)
def get_payment(payment_id: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(records.payload(records.get(ctx, payment_id), ctx))


@router.post("/payments/{payment_id}/capture", response_model=PaymentOut)
def capture(payment_id: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    return FastJSONResponse(records.payload(control.capture(ctx, actor, payment_id), ctx))


@router.post("/payments/{payment_id}/void", response_model=PaymentOut)
def void(payment_id: str, ctx: Context, actor: Seller,
         body: VoidIn | None = None) -> FastJSONResponse:
    approval = body.approval if body else None
    return FastJSONResponse(records.payload(
        control.void(ctx, actor, payment_id, approval=approval), ctx))


@router.post("/payments/{payment_id}/refunds", status_code=201, response_model=RefundOut)
def refund(payment_id: str, body: RefundIn, ctx: Context, actor: Seller) -> FastJSONResponse:
    amount = ctx.currency.parse(body.amount, field="amount")
    if amount <= 0:
        raise InvalidInput("amount must be greater than zero", details={"field": "amount"})
    reference = control.refund_without_receipt(ctx, actor, payment_id, amount,
                                               approval=body.approval)
    return FastJSONResponse({"reference": reference,
                             "payment": records.payload(records.get(ctx, payment_id), ctx)},
                            status_code=201)


@router.put("/payments/terminals/{register}", response_model=TerminalOut)
def set_terminal(register: str, body: TerminalIn, ctx: Context,
                 _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(terminals.set_terminal(ctx, register=register,
                                                   connection=body.connection,
                                                   terminal=body.terminal))


@router.get("/payments/terminals/{register}", response_model=TerminalProgressOut)
def terminal_state(register: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    return FastJSONResponse(terminal_progress.progress(ctx, actor, register))


@router.post("/payments/terminals/{register}/cancel", response_model=TerminalCancelOut)
def cancel_at_terminal(register: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    return FastJSONResponse(terminal_progress.cancel(ctx, actor, register))


@router.post("/payments/webhooks/{name}", response_model=None,
             responses={200: with_text(WebhookOut)})
async def receive(name: str, request: Request) -> FastJSONResponse | PlainTextResponse:
    """Verified by the gateway's signature (no bearer token), stored once, answered fast."""
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        receipt = await run_in_threadpool(webhooks.receive, context(request), name,
                                          headers=headers, body=body)
    except (webhooks.BadWebhook, NotFound, InvalidInput, RecursionError) as exc:
        # One answer for an unknown connection, one that takes no webhooks here, a bad
        # signature and an unreadable body (Adyen signs inside the body): the answers do
        # not tell which connections exist.
        log.warning("payment webhook rejected", connection=name,
                    reason=getattr(exc, "message", type(exc).__name__))
        return rejected()
    if receipt.acknowledgement is not None:
        return PlainTextResponse(receipt.acknowledgement)
    return FastJSONResponse({"status": receipt.status})
