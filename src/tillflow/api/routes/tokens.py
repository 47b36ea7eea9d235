"""API tokens (admin only): made, listed and revoked. A token is shown once, when it is
created; the list never shows one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import TokenIn
from tillflow.api.schemas_out import RevokedTokenOut, TokenListOut, TokenOut
from tillflow.ports.records import TokenInfo
from tillflow.services import tokens
from tillflow.services.context import Actor

router = APIRouter(route_class=CheckedRoute, tags=["tokens"])
Admin = Annotated[Actor, Depends(require(tokens.TOKENS))]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/tokens", status_code=201, response_model=TokenOut)
def create_token(body: TokenIn, ctx: Context, actor: Admin) -> FastJSONResponse:
    made = tokens.issue_token(ctx, actor, role=body.role, name=body.name or body.role,
                              register=body.register_code, expires_at=body.expires_at)
    return FastJSONResponse({"token": made.token, **token_json(made.info)},
                            status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/tokens", response_model=TokenListOut)
def list_tokens(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse({"items": [token_json(t) for t in tokens.list_tokens(ctx)]})


@router.delete("/tokens/{token_id}", response_model=RevokedTokenOut)
def revoke_token(token_id: TokenId, ctx: Context, actor: Admin) -> FastJSONResponse:
    revoked = tokens.revoke_token(ctx, actor, token_id)
    return FastJSONResponse({**token_json(revoked), "revoked": True})


def token_json(info: TokenInfo) -> dict[str, Any]:
    return {"id": info.id, "name": info.name, "role": info.role, "register": info.register,
            "created_at": info.created_at.isoformat(),
            "expires_at": info.expires_at.isoformat() if info.expires_at else None,
            "last_used_at": info.last_used_at.isoformat() if info.last_used_at else None}
