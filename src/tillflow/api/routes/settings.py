"""Store settings an admin changes while the store runs: the per-role limits of what
staff may give without a manager's approval."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field, StrictInt, StrictStr

from tillflow.api.auth import Context, require
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.services import store_limits
from tillflow.services.context import Actor
from tillflow.services.tokens import SETUP

router = APIRouter(tags=["settings"])
Admin = Annotated[Actor, Depends(require(SETUP))]
Percent = Annotated[StrictStr | StrictInt, Field(examples=["5"])]


class LimitsIn(Body):
    discount_percent: Percent | None = None
    price_override_percent: Percent | None = None


@router.get("/settings/limits")
def read_limits(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse({role: store_limits.describe(limits)
                             for role, limits in sorted(store_limits.get_limits(ctx).items())})


@router.put("/settings/limits")
def write_limits(body: dict[str, LimitsIn], ctx: Context, actor: Admin) -> FastJSONResponse:
    changed = store_limits.set_limits(ctx, actor, {
        role: store_limits.LimitsChange(discount_percent=limits.discount_percent,
                                        price_override_percent=limits.price_override_percent)
        for role, limits in body.items()})
    return FastJSONResponse({role: store_limits.describe(limits)
                             for role, limits in sorted(changed.items())})
