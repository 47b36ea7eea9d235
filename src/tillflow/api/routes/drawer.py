"""A cash drawer opened without a sale, reported by the register before it opens it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Text
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import DrawerOpeningOut
from tillflow.services import drawer
from tillflow.services.context import Actor
from tillflow.services.tokens import SHIFTS

router = APIRouter(route_class=CheckedRoute, tags=["registers"])
Till = Annotated[Actor, Depends(require(SHIFTS))]


class DrawerOpeningIn(Body):
    reason: Annotated[Text, Field(min_length=1, max_length=drawer.MAX_REASON)]


@router.post("/registers/{code}/drawer-openings", status_code=201,
             response_model=DrawerOpeningOut)
def drawer_opened(code: str, body: DrawerOpeningIn, ctx: Context,
                  actor: Till) -> FastJSONResponse:
    opening = drawer.drawer_opened(ctx, actor, code, reason=body.reason)
    return FastJSONResponse({"id": opening, "register": code, "reason": body.reason.strip(),
                             "opened_by": actor.name}, status_code=201)
