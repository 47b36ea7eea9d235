"""Connections to shops, payment gateways and ERPs. Secrets go in and never come out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes import connection_checks
from tillflow.api.schemas import ConnectionIn, ConnectionPatch
from tillflow.api.schemas_out import ConnectionOut, ConnectionsOut
from tillflow.services import connections
from tillflow.services.connections import ConnectionView
from tillflow.services.context import Actor
from tillflow.services.tokens import SETUP

router = APIRouter(route_class=CheckedRoute, prefix="/connections", tags=["connections"])
Admin = Annotated[Actor, Depends(require(SETUP))]


def payload(view: ConnectionView) -> dict[str, Any]:
    return {"name": view.name, "platform": view.platform, "settings": view.settings,
            "secrets": list(view.secret_names), "version": view.version}


@router.post("", status_code=201, response_model=ConnectionOut)
def create_connection(body: ConnectionIn, ctx: Context, actor: Admin) -> FastJSONResponse:
    view = connections.create_connection(ctx, name=body.name, platform=body.platform,
                                         settings=body.settings, secrets=body.secrets,
                                         by=actor)
    return FastJSONResponse(payload(view), status_code=201)


@router.get("", response_model=ConnectionsOut)
def list_connections(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse({"items": [payload(v) for v in connections.list_connections(ctx)]})


@router.get("/{name}", response_model=ConnectionOut)
def get_connection(name: str, request: Request, ctx: Context,
                   _actor: Admin) -> FastJSONResponse:
    """The connection (secrets by name only) with its health merged in."""
    view = connections.get_connection(ctx, name)
    return FastJSONResponse(payload(view) | connection_checks.health(request, ctx, name))


@router.patch("/{name}", response_model=ConnectionOut)
def update_connection(name: str, body: ConnectionPatch, ctx: Context,
                      actor: Admin) -> FastJSONResponse:
    view = connections.update_connection(ctx, name, settings=body.settings, secrets=body.secrets,
                                         by=actor)
    return FastJSONResponse(payload(view))
