"""Register shifts: open, cash in/out, close with a Z report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import CashMovementIn, ShiftCloseIn, ShiftIn
from tillflow.api.schemas_out import CashMovementOut, ReportOut, ShiftOut, ShiftsOut
from tillflow.services import payloads, shifts
from tillflow.services.context import Actor
from tillflow.services.tokens import SHIFTS

router = APIRouter(route_class=CheckedRoute, tags=["shifts"])
Cashier = Annotated[Actor, Depends(require(SHIFTS))]


@router.post("/registers/{code}/shifts", status_code=201, response_model=ShiftOut)
def open_shift(code: str, body: ShiftIn, ctx: Context, actor: Cashier) -> FastJSONResponse:
    record = shifts.open_shift(ctx, actor, code, body.opening_float)
    return FastJSONResponse(payloads.shift(record, ctx.currency), status_code=201)


@router.get("/shifts", response_model=ShiftsOut)
def list_shifts(ctx: Context, _actor: Cashier,
                register: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
                status: Literal["open", "closed"] | None = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 50) -> FastJSONResponse:
    """The latest shifts first, each with its Z report once closed."""
    found = shifts.list_shifts(ctx, register=register, status=status, limit=limit)
    return FastJSONResponse({"items": [payloads.shift(s, ctx.currency) for s in found]})


@router.get("/shifts/{shift_id}", response_model=ShiftOut)
def get_shift(shift_id: str, ctx: Context, _actor: Cashier) -> FastJSONResponse:
    return FastJSONResponse(payloads.shift(shifts.get_shift(ctx, shift_id), ctx.currency))


@router.get("/shifts/{shift_id}/report", response_model=ReportOut)
def shift_report(shift_id: str, ctx: Context, _actor: Cashier) -> FastJSONResponse:
    return FastJSONResponse(shifts.current_report(ctx, shift_id))


@router.post("/shifts/{shift_id}/cash-movements", status_code=201, response_model=CashMovementOut)
def move_cash(shift_id: str, body: CashMovementIn, ctx: Context,
              actor: Cashier) -> FastJSONResponse:
    shifts.move_cash(ctx, actor, shift_id, amount=body.amount, reason=body.reason)
    amount = ctx.currency.parse(body.amount)
    return FastJSONResponse({"shift_id": shift_id, "amount": ctx.currency.format(amount),
                             "reason": body.reason.strip()}, status_code=201)


@router.post("/shifts/{shift_id}/close", response_model=ReportOut)
def close_shift(shift_id: str, body: ShiftCloseIn, ctx: Context,
                actor: Cashier) -> FastJSONResponse:
    return FastJSONResponse(shifts.close_shift(ctx, actor, shift_id, body.counted_cash))
