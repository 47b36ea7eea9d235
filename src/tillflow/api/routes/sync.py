"""Operating the sync of a web shop connection: health, checks, sync runs, dead letters
and reconciliation reports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import Field, StrictInt

from tillflow.api import cursors
from tillflow.api.auth import require
from tillflow.api.errors import envelope
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import (
    ConnectionHealthOut,
    DeadLettersOut,
    ReconciliationReportOut,
    ReplayedOut,
    SyncQueuedOut,
    with_csv,
)
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.services.context import Actor
from tillflow.services.tokens import CONNECTIONS_OPERATE
from tillflow.sync.engine import SyncEngine

router = APIRouter(route_class=CheckedRoute, prefix="/connections", tags=["sync"])
RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
Operator = Annotated[Actor, Depends(require(CONNECTIONS_OPERATE))]


def sync_engine(request: Request) -> SyncEngine:
    engine: SyncEngine | None = getattr(request.app.state, "sync", None)
    if engine is None:
        raise NotFound("this server runs no sync engine")
    return engine


Sync = Annotated[SyncEngine, Depends(sync_engine)]


class SyncIn(Body):
    scope: Literal["catalog", "inventory", "customers", "orders", "all"]


class ReplayIn(Body):
    ids: list[RowId] | None = Field(default=None, max_length=1000)


@router.get("/{name}/health", response_model=ConnectionHealthOut)
def health(name: str, sync: Sync, _actor: Operator) -> FastJSONResponse:
    return FastJSONResponse(sync.health(name))


@router.post("/{name}/sync", status_code=202, response_model=SyncQueuedOut)
def request_sync(name: str, body: SyncIn, sync: Sync, _actor: Operator) -> FastJSONResponse:
    queued = sync.request_sync(name, body.scope)
    return FastJSONResponse({"name": name, "scope": body.scope, "queued": queued},
                            status_code=202)


@router.get("/{name}/dead-letters", response_model=DeadLettersOut)
def dead_letters(name: str, sync: Sync, _actor: Operator,
                 cursor: Annotated[str | None, Query(max_length=300)] = None,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50) -> FastJSONResponse:
    items, last = sync.dead_letter_page(name, after=_after(cursor), limit=limit)
    return FastJSONResponse({"items": items,
                             "next_cursor": None if last is None else cursors.encode(str(last))})


def _after(cursor: str | None) -> int | None:
    raw = cursors.decode(cursor)
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return int(raw)


@router.post("/{name}/dead-letters/replay", response_model=ReplayedOut)
def replay(name: str, body: ReplayIn, sync: Sync, _actor: Operator) -> FastJSONResponse:
    return FastJSONResponse({"replayed": sync.replay(name, body.ids)})


@router.get("/{name}/reconciliations/latest", response_model=None,
            responses={200: with_csv(ReconciliationReportOut)})
def latest_report(name: str, sync: Sync, _actor: Operator,
                  format: Annotated[Literal["json", "csv"], Query()] = "json",
                  ) -> FastJSONResponse | PlainTextResponse:
    report = sync.report(name)
    if report is None:
        return envelope(404, "not_found", f"{name} has no reconciliation yet")
    if format == "csv":
        return PlainTextResponse(report.as_csv(), media_type="text/csv")
    return FastJSONResponse(report.as_json())
