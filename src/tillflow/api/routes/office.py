"""Signing in to the back office at ``/office/``: a session cookie for a manager's or an
admin's password or an API token, sign-out, and passwords set by an admin or their owner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import model_validator
from starlette.concurrency import run_in_threadpool

from tillflow.api.auth import OFFICE_COOKIE, Context, client_address, require, same_origin
from tillflow.api.errors import Unauthorized
from tillflow.api.fields import IssuedToken, Password, Text
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import OfficeSessionOut, PasswordSetOut
from tillflow.domain.errors import Forbidden
from tillflow.ports.records import OfficeSession
from tillflow.services import office_sessions, store_details
from tillflow.services.context import Actor
from tillflow.services.office_sessions import OFFICE_SESSION_LIFETIME, SignedIn
from tillflow.services.tokens import TOKENS

router = APIRouter(route_class=CheckedRoute, tags=["office"])
Admin = Annotated[Actor, Depends(require(TOKENS))]
# What each office role may open; the server checks every call, this only hides screens.
MANAGER_SCREENS = ["dashboard", "catalog", "stock", "sales", "reports", "people",
                   "integrations"]
ADMIN_SCREENS = [*MANAGER_SCREENS, "staff", "tokens", "connections"]


class SignInIn(Body):
    """A member's ``name`` and ``password``, or an API ``token`` of an office role."""

    name: Text | None = None
    password: Password | None = None
    token: IssuedToken | None = None

    @model_validator(mode="after")
    def _one_way(self) -> SignInIn:
        by_password = self.name is not None and self.password is not None
        if by_password == (self.token is not None) or (
                not by_password and (self.name is not None or self.password is not None)):
            raise ValueError("give either name and password, or token")
        return self


class PasswordIn(Body):
    password: Password


class PasswordChangeIn(Body):
    password: Password
    new_password: Password


def _described(ctx: Context, session: OfficeSession) -> dict[str, object]:
    details = store_details.describe(ctx)
    return {"name": session.name, "role": session.role, "staff": session.staff,
            "expires_at": session.expires_at.isoformat(),
            "screens": ADMIN_SCREENS if session.role == "admin" else MANAGER_SCREENS,
            # The screens count days and hours in the store's time zone, as reports do.
            "store": {"name": details["name"], "timezone": details["timezone"],
                      "currency": ctx.currency.code}}


def _with_cookie(request: Request, ctx: Context, signed_in: SignedIn,
                 status: int) -> FastJSONResponse:
    response = FastJSONResponse(_described(ctx, signed_in.session), status_code=status)
    response.set_cookie(OFFICE_COOKIE, signed_in.token, path="/",
                        max_age=int(OFFICE_SESSION_LIFETIME.total_seconds()), httponly=True,
                        secure=request.url.scheme == "https", samesite="strict")
    return response


def _cookie(request: Request) -> str:
    token = request.cookies.get(OFFICE_COOKIE)
    if not token:
        raise Unauthorized("not signed in to the back office")
    return token


@router.post("/office/sessions", status_code=201, response_model=OfficeSessionOut)
def sign_in(body: SignInIn, request: Request, ctx: Context) -> FastJSONResponse:
    if not same_origin(request):  # no other site signs a browser in to an account of its own
        raise Forbidden("sign in from the back office's own pages")
    client = client_address(request)
    previous = request.cookies.get(OFFICE_COOKIE)
    if body.token is not None:
        signed_in = office_sessions.sign_in_with_token(ctx, token=body.token, client=client)
    else:
        assert body.name is not None
        assert body.password is not None
        signed_in = office_sessions.sign_in_with_password(
            ctx, name=body.name, password=body.password, client=client)
    if previous:  # whoever signed in before in this browser is signed out
        office_sessions.sign_out(ctx, previous)
    return _with_cookie(request, ctx, signed_in, 201)


@router.get("/office/sessions/current", response_model=OfficeSessionOut)
async def current(request: Request, ctx: Context) -> FastJSONResponse:
    session = await run_in_threadpool(office_sessions.current, ctx, _cookie(request))
    if session is None:
        raise Unauthorized("the back-office session has ended; sign in again")
    return FastJSONResponse(await run_in_threadpool(_described, ctx, session))


@router.delete("/office/sessions/current", status_code=204)
def sign_out(request: Request, ctx: Context) -> Response:
    token = _cookie(request)
    if not same_origin(request):
        raise Forbidden("sign out from the back office's own pages")
    office_sessions.sign_out(ctx, token)
    response = Response(status_code=204)
    response.delete_cookie(OFFICE_COOKIE, path="/", httponly=True,
                           secure=request.url.scheme == "https", samesite="strict")
    return response


@router.post("/office/sessions/current/password", response_model=OfficeSessionOut)
def change_own_password(body: PasswordChangeIn, request: Request,
                        ctx: Context) -> FastJSONResponse:
    token = _cookie(request)
    if not same_origin(request):
        raise Forbidden("change the password from the back office's own pages")
    signed_in = office_sessions.change_own_password(
        ctx, token, password=body.password, new_password=body.new_password,
        client=client_address(request))
    return _with_cookie(request, ctx, signed_in, 200)


@router.put("/staff/{name}/password", response_model=PasswordSetOut)
def set_password(name: str, body: PasswordIn, ctx: Context, actor: Admin) -> FastJSONResponse:
    ended = office_sessions.set_password(ctx, actor, name, password=body.password)
    return FastJSONResponse({"name": name, "password_set": True, "sessions_ended": ended})
