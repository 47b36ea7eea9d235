"""Withdrawing and changing staff access: listing, (de)activating, PIN resets by an admin
and PIN changes by their owner at a register."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import StrictBool

from tillflow.api.auth import Context, client_address, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.staff import Pin
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import PinChangedOut, PinResetOut, StaffActiveOut, StaffListOut
from tillflow.domain.errors import InvalidInput
from tillflow.services import staff_admin
from tillflow.services.context import Actor
from tillflow.services.tokens import REPORTS_READ, SALES_WRITE, TOKENS

router = APIRouter(route_class=CheckedRoute, tags=["staff"])
Admin = Annotated[Actor, Depends(require(TOKENS))]
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
# Managers read the staff list too: the sales list and the staff report name staff by id,
# and a manager at the till should see who is locked out. Changing anyone stays an admin's.
Reader = Annotated[Actor, Depends(require(REPORTS_READ))]


class StaffPatch(Body):
    """What to change: ``active``, ``role`` or both."""

    active: StrictBool | None = None
    role: Literal["cashier", "manager", "admin"] | None = None


class PinReset(Body):
    pin: Pin


class PinChange(Body):
    pin: Pin
    new_pin: Pin


@router.get("/staff", response_model=StaffListOut)
def list_staff(ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse({"items": [
        {"id": m.id, "name": m.name, "role": m.role, "active": m.active,
         "locked_until": m.locked_until.isoformat() if m.locked_until else None,
         "created_at": m.created_at.isoformat()}
        for m in staff_admin.list_staff(ctx)]})


@router.patch("/staff/{name}", response_model=StaffActiveOut)
def change_staff(name: str, body: StaffPatch, ctx: Context, actor: Admin) -> FastJSONResponse:
    if body.active is None and body.role is None:
        raise InvalidInput("give active or role", details={"field": "active"})
    ended = 0
    if body.role is not None:
        ended += staff_admin.set_role(ctx, actor, name, role=body.role)
    if body.active is not None:
        ended += staff_admin.set_active(ctx, actor, name, active=body.active)
    member = next(m for m in staff_admin.list_staff(ctx) if m.name == name.strip())
    return FastJSONResponse({"name": member.name, "active": member.active, "role": member.role,
                             "sessions_ended": ended})


@router.post("/staff/{name}/pin", response_model=PinResetOut)
def reset_pin(name: str, body: PinReset, ctx: Context, actor: Admin) -> FastJSONResponse:
    ended = staff_admin.reset_pin(ctx, actor, name, pin=body.pin)
    return FastJSONResponse({"name": name, "pin_reset": True, "sessions_ended": ended})


@router.post("/staff/sessions/current/pin", response_model=PinChangedOut)
def change_own_pin(body: PinChange, request: Request, ctx: Context,
                   actor: Seller) -> FastJSONResponse:
    staff_admin.change_own_pin(ctx, actor, pin=body.pin, new_pin=body.new_pin,
                               client=client_address(request))
    return FastJSONResponse({"name": actor.name, "pin_changed": True})
