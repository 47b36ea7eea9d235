"""API tokens (admin only). A token is shown once, when it is created."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import TokenIn
from tillflow.api.schemas_out import TokenOut
from tillflow.services import tokens
from tillflow.services.context import Actor

router = APIRouter(route_class=CheckedRoute, tags=["tokens"])
Admin = Annotated[Actor, Depends(require(tokens.TOKENS))]


@router.post("/tokens", status_code=201, response_model=TokenOut)
def create_token(body: TokenIn, ctx: Context, _actor: Admin) -> FastJSONResponse:
    token = tokens.create_token(ctx, role=body.role, name=body.name or body.role)
    return FastJSONResponse({"token": token, "role": body.role, "name": body.name or body.role},
                            status_code=201, headers={"Cache-Control": "no-store"})
