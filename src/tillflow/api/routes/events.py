"""The events log, read with a cursor (``after``) that each consumer keeps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import EventsOut
from tillflow.services.context import Actor
from tillflow.services.events import MAX_PAGE, read_events
from tillflow.services.tokens import EVENTS_READ

MAX_SEQ = 2**63 - 1  # the events' sequence is a 64-bit column
router = APIRouter(route_class=CheckedRoute, tags=["events"])
Reader = Annotated[Actor, Depends(require(EVENTS_READ))]


@router.get("/events", response_model=EventsOut)
def list_events(
    ctx: Context,
    _actor: Reader,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> FastJSONResponse:
    found = read_events(ctx, after=after, limit=limit)
    return FastJSONResponse({
        "events": [{"seq": e.seq, "type": e.type, "occurred_at": e.occurred_at.isoformat(),
                    "data": e.data} for e in found],
        "next_after": found[-1].seq if found else after,
    })
