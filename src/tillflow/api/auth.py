"""Bearer tokens and role permissions for every route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from tillflow.api.errors import Unauthorized
from tillflow.domain.errors import Forbidden
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.tokens import ROLE_PERMISSIONS, authenticate


def context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


Context = Annotated[ServiceContext, Depends(context)]


def require(permission: str) -> Callable[[Request], Actor]:
    def check(request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send a bearer token: Authorization: Bearer <token>")
        record = authenticate(context(request), token.strip())
        if record is None:
            raise Unauthorized("the token is unknown or revoked")
        if permission not in ROLE_PERMISSIONS.get(record.role, frozenset()):
            raise Forbidden(f"the {record.role} role may not do this",
                            details={"role": record.role, "needs": permission})
        return Actor(name=record.name, role=record.role)

    return check
