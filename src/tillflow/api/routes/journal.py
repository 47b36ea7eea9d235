"""The accounting journal, its daily trial balance and the chart of account mappings."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import ChartOut, JournalOut, TrialBalanceOut
from tillflow.domain.errors import InvalidInput
from tillflow.erp import service
from tillflow.services.context import Actor
from tillflow.services.tokens import SALES_READ, SETUP

# The chart's keys and the ERP's account codes: identifiers of the books, not free text.
AccountKey = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_.:-]{0,63}$")]
AccountCode = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,63}$")]
router = APIRouter(route_class=CheckedRoute, prefix="/journal", tags=["accounting"])
Reader = Annotated[Actor, Depends(require(SALES_READ))]
Admin = Annotated[Actor, Depends(require(SETUP))]


class ChartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: dict[AccountKey, AccountCode]


@router.get("", response_model=JournalOut)
def read_journal(ctx: Context, _actor: Reader,
                 start: Annotated[str | None, Query(alias="from")] = None,
                 end: Annotated[str | None, Query(alias="to")] = None,
                 document: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
                 ) -> FastJSONResponse:
    """Entries booked in [from, to), or of one document (a sale's or return's number)."""
    entries = service.read_journal(ctx, start=service.parse_bound(start, field="from"),
                                   end=service.parse_bound(end, field="to"), document=document)
    return FastJSONResponse(service.journal_payload(ctx, entries))


@router.get("/trial-balance", response_model=TrialBalanceOut)
def trial_balance(ctx: Context, _actor: Reader,
                  start: Annotated[str, Query(alias="from")],
                  end: Annotated[str | None, Query(alias="to")] = None) -> FastJSONResponse:
    first = service.parse_bound(start, field="from")
    if first is None:
        raise InvalidInput("from is required", details={"field": "from"})
    last = service.parse_bound(end, field="to") or first + timedelta(days=1)
    return FastJSONResponse(service.daily_trial_balance(ctx, start=first, end=last))


@router.get("/chart", response_model=ChartOut)
def read_chart(ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse(service.chart_payload(ctx))


@router.patch("/chart", response_model=ChartOut)
def map_accounts(body: ChartIn, ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(service.map_accounts(ctx, dict(body.accounts)))
