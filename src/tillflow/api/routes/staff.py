"""Staff, register pairing, PIN sign-in and manager approval."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field, model_validator
from starlette.concurrency import run_in_threadpool

from tillflow.api.auth import Context, client_address, context, refuse_credentials, require
from tillflow.api.errors import Unauthorized
from tillflow.api.fields import Secret, Text, Word
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import (
    ApprovalOut,
    PairedRegisterOut,
    PairingOut,
    SessionOut,
    StaffOut,
    UnpairedOut,
)
from tillflow.domain.controls import Limits
from tillflow.receipts import store_settings
from tillflow.services import staff
from tillflow.services.context import Actor
from tillflow.services.payments import terminals
from tillflow.services.store_limits import describe
from tillflow.services.tokens import SALES_WRITE, SETUP, TOKENS

router = APIRouter(route_class=CheckedRoute, tags=["staff"])
Admin = Annotated[Actor, Depends(require(TOKENS))]
Setup = Annotated[Actor, Depends(require(SETUP))]
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
Pin = Secret
Name = Annotated[Text, Field(min_length=1, max_length=100)]
Act = Word


class StaffIn(Body):
    name: Name
    role: Word
    pin: Pin


class SignInIn(Body):
    name: Name
    pin: Pin


class ApprovalIn(Body):
    """One act (``action``) or several of one sale (``acts``)."""

    name: Name
    pin: Pin
    action: Act | None = None
    acts: list[Act] | None = Field(default=None, min_length=1, max_length=6)

    @model_validator(mode="after")
    def _one_of(self) -> ApprovalIn:
        if (self.action is None) == (self.acts is None):
            raise ValueError("give either action or acts")
        return self

    def named(self) -> list[str]:
        return [self.action] if self.action is not None else list(self.acts or [])


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send a bearer token: Authorization: Bearer <token>")
    return token.strip()


async def _paired(request: Request) -> staff.PairedRegister:
    found = await run_in_threadpool(staff.paired_register, context(request), _bearer(request))
    if found is None:
        raise await refuse_credentials(request, "this register is not paired (or its "
                                                "pairing was revoked)")
    return found


Paired = Annotated[staff.PairedRegister, Depends(_paired)]


@router.post("/staff", status_code=201, response_model=StaffOut)
def add_staff(body: StaffIn, ctx: Context, actor: Admin) -> FastJSONResponse:
    staff.add_staff(ctx, name=body.name, role=body.role, pin=body.pin, by=actor)
    return FastJSONResponse({"name": body.name.strip(), "role": body.role}, status_code=201)


@router.post("/registers/{code}/pairings", status_code=201, response_model=PairingOut)
def pair_register(code: str, ctx: Context, actor: Setup) -> FastJSONResponse:
    token = staff.pair_register(ctx, register=code, by=actor)
    return FastJSONResponse({"register": code, "token": token}, status_code=201)


@router.get("/staff/register", response_model=PairedRegisterOut)
def paired_register(ctx: Context, paired: Paired) -> FastJSONResponse:
    return FastJSONResponse(_register_json(ctx, paired))


@router.post("/staff/sessions", status_code=201, response_model=SessionOut)
def sign_in(body: SignInIn, request: Request, ctx: Context,
            paired: Paired) -> FastJSONResponse:
    session = staff.sign_in(ctx, register=paired.register, name=body.name, pin=body.pin,
                            client=client_address(request))
    return FastJSONResponse(_register_json(ctx, paired) | {
        "token": session.token,
        "name": session.name,
        "role": session.role,
        "expires_at": session.expires_at.isoformat(),
        "discount_needs_approval": session.discount_needs_approval,
        "limits": _limits(session.limits),
    }, status_code=201)


@router.delete("/staff/sessions/current", status_code=204)
def sign_out(request: Request, ctx: Context) -> Response:
    staff.sign_out(ctx, _bearer(request))
    return Response(status_code=204)


@router.post("/staff/approvals", status_code=201, response_model=ApprovalOut)
def approve(body: ApprovalIn, request: Request, ctx: Context,
            actor: Seller) -> FastJSONResponse:
    approved = staff.approve(ctx, actor, name=body.name, pin=body.pin, acts=body.named(),
                             client=client_address(request))
    return FastJSONResponse({"action": body.action, "acts": sorted(approved.acts),
                             "approved_by": approved.approved_by,
                             "approval": approved.token,
                             "expires_at": approved.expires_at.isoformat()}, status_code=201)


@router.delete("/registers/{code}/pairings", response_model=UnpairedOut)
def unpair_register(code: str, ctx: Context, actor: Seller) -> FastJSONResponse:
    ended = staff.unpair_register(ctx, actor, register=code)
    return FastJSONResponse({"register": code, "paired": False, "sessions_ended": ended})


def _limits(limits: Limits | None) -> dict[str, str] | None:
    return None if limits is None else describe(limits)


def _register_json(ctx: Context, paired: staff.PairedRegister) -> dict[str, Any]:
    return {
        "register": paired.register,
        "location": paired.location,
        "location_name": paired.location_name,
        "currency": ctx.currency.code,
        "minor_digits": ctx.currency.exponent,
        "tax_inclusive": ctx.config.tax_inclusive,
        "staff": [{"name": name, "role": role} for name, role in paired.staff],
        "terminal": _terminal(ctx, paired.register),
        "store": store_settings.describe(store_settings.read_settings(ctx)),
    }


def _terminal(ctx: Context, register: str) -> dict[str, str] | None:
    """The card terminal the register drives, if one is set (else cards are external)."""
    found = terminals.terminal_of(ctx, register)
    return None if found is None else {"connection": found[0], "terminal": found[1]}
