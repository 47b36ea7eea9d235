"""Sales reports for the back office (managers and admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import SalesReportOut
from tillflow.services import reports
from tillflow.services.context import Actor
from tillflow.services.tokens import REPORTS_READ

router = APIRouter(route_class=CheckedRoute, prefix="/reports", tags=["reports"])
Reader = Annotated[Actor, Depends(require(REPORTS_READ))]


@router.get("/sales", response_model=SalesReportOut)
def sales_report(
    *,
    ctx: Context,
    _actor: Reader,
    # Dates (2026-12-06) or ISO 8601 times; the store's time zone when they have no offset.
    start: Annotated[str, Query(alias="from", min_length=1, max_length=40,
                                examples=["2026-12-01"])],
    end: Annotated[str, Query(alias="to", min_length=1, max_length=40,
                              examples=["2027-01-01"])],
    group_by: Annotated[str, Query(max_length=16, examples=["day"])],
) -> FastJSONResponse:
    return FastJSONResponse({"rows": reports.sales_report(ctx, group_by=group_by, start=start,
                                                          end=end)})
