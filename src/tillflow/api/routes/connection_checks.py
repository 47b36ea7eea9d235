"""``POST /connections/{name}/check`` for every kind of connection, and every
connection's health at a glance (``GET /connection-health``) for those who watch them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tillflow import connection_status
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import CheckOut, ConnectionHealthListOut
from tillflow.services.connections import list_connections
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.tokens import CONNECTIONS_OPERATE, SETUP
from tillflow.sync.engine import SyncEngine

router = APIRouter(route_class=CheckedRoute, tags=["connections"])
Admin = Annotated[Actor, Depends(require(SETUP))]
Operator = Annotated[Actor, Depends(require(CONNECTIONS_OPERATE))]


def _sync(request: Request) -> SyncEngine | None:
    engine: SyncEngine | None = getattr(request.app.state, "sync", None)
    return engine


@router.post("/connections/{name}/check", response_model=CheckOut)
def check(name: str, request: Request, ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(connection_status.check(ctx, _sync(request), name))


def health(request: Request, ctx: ServiceContext, name: str) -> dict[str, Any]:
    return connection_status.health(ctx, _sync(request), name)


@router.get("/connection-health", response_model=ConnectionHealthListOut)
def every_health(request: Request, ctx: Context, _actor: Operator) -> FastJSONResponse:
    """Each connection's name, platform and health; never its settings or secrets."""
    return FastJSONResponse({"items": [
        {"name": view.name, "platform": view.platform, **health(request, ctx, view.name)}
        for view in list_connections(ctx)]})
