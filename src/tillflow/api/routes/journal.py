"""The accounting journal, its daily trial balance and the chart of account mappings."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, StrictStr

from tillflow.api.auth import Context, require
from tillflow.api.responses import FastJSONResponse
from tillflow.domain.errors import InvalidInput
from tillflow.erp import service
from tillflow.services.context import Actor
from tillflow.services.tokens import SALES_READ, SETUP

router = APIRouter(prefix="/journal", tags=["accounting"])
Reader = Annotated[Actor, Depends(require(SALES_READ))]
Admin = Annotated[Actor, Depends(require(SETUP))]


class ChartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: dict[StrictStr, StrictStr]


@router.get("")
def read_journal(ctx: Context, _actor: Reader,
                 start: Annotated[str | None, Query(alias="from")] = None,
                 end: Annotated[str | None, Query(alias="to")] = None) -> FastJSONResponse:
    entries = service.read_journal(ctx, start=service.parse_bound(start, field="from"),
                                   end=service.parse_bound(end, field="to"))
    return FastJSONResponse(service.journal_payload(ctx, entries))


@router.get("/trial-balance")
def trial_balance(ctx: Context, _actor: Reader,
                  start: Annotated[str, Query(alias="from")],
                  end: Annotated[str | None, Query(alias="to")] = None) -> FastJSONResponse:
    first = service.parse_bound(start, field="from")
    if first is None:
        raise InvalidInput("from is required", details={"field": "from"})
    last = service.parse_bound(end, field="to") or first + timedelta(days=1)
    return FastJSONResponse(service.daily_trial_balance(ctx, start=first, end=last))


@router.get("/chart")
def read_chart(ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(service.chart_payload(ctx))


@router.patch("/chart")
def map_accounts(body: ChartIn, ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(service.map_accounts(ctx, dict(body.accounts)))
