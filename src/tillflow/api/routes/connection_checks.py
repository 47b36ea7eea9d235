"""``POST /connections/{name}/check`` for every kind of connection."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tillflow import connection_status
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import CheckOut
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.tokens import SETUP
from tillflow.sync.engine import SyncEngine

router = APIRouter(route_class=CheckedRoute, tags=["connections"])
Admin = Annotated[Actor, Depends(require(SETUP))]


def _sync(request: Request) -> SyncEngine | None:
    engine: SyncEngine | None = getattr(request.app.state, "sync", None)
    return engine


@router.post("/connections/{name}/check", response_model=CheckOut)
def check(name: str, request: Request, ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(connection_status.check(ctx, _sync(request), name))


def health(request: Request, ctx: ServiceContext, name: str) -> dict[str, Any]:
    return connection_status.health(ctx, _sync(request), name)
