"""Bearer tokens, back-office session cookies and role permissions for every route."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from tillflow.api.errors import Unauthorized
from tillflow.domain.errors import Forbidden
from tillflow.ports.records import TokenRecord
from tillflow.services import office_sessions, rate_limits
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.tokens import ROLE_PERMISSIONS, authenticate, cached

OFFICE_COOKIE = "tillflow_office"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


async def _context(request: Request) -> ServiceContext:
    # A coroutine dependency runs on the event loop; a plain one would hop to a thread.
    return context(request)


Context = Annotated[ServiceContext, Depends(_context)]


def client_address(request: Request) -> str | None:
    """The caller's address as the server sees it (behind a proxy, as uvicorn's
    ``--forwarded-allow-ips`` lets it read ``X-Forwarded-For``)."""
    return request.client.host if request.client else None


async def refuse_credentials(request: Request, message: str) -> Unauthorized:
    """Count a failed credential check against the caller's address; the error to raise
    (``RateLimited`` is raised instead once the address is over its limit)."""
    subject = rate_limits.address(client_address(request))
    await run_in_threadpool(rate_limits.failed, context(request),
                            (subject, rate_limits.PER_ADDRESS))
    return Unauthorized(message)


def require(permission: str) -> Callable[[Request], Awaitable[Actor]]:
    async def check(request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        office = request.cookies.get(OFFICE_COOKIE)
        if not header and office:
            record = await _office_session(request, office)
        else:
            record = await _bearer(request, header)
        if permission not in ROLE_PERMISSIONS.get(record.role, frozenset()):
            raise Forbidden(f"the {record.role} role may not do this",
                            details={"role": record.role, "needs": permission})
        return Actor(name=record.name, role=record.role, register=record.register,
                     session=record.session, staff_id=record.id if record.session else None)

    return check


async def _bearer(request: Request, header: str) -> TokenRecord:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send a bearer token: Authorization: Bearer <token>")
    ctx = context(request)
    record = cached(ctx, token.strip())
    if record is None:
        record = await run_in_threadpool(authenticate, ctx, token.strip())
    if record is None:
        raise await refuse_credentials(request, "the token is unknown, expired or revoked")
    return record


async def _office_session(request: Request, token: str) -> TokenRecord:
    """The back office's cookie, sent by the browser itself. It is SameSite=Strict, and a
    change must also come from the page's own origin, so no other site can make one."""
    if request.method not in _SAFE_METHODS and not same_origin(request):
        raise Forbidden("a change through the back-office session must come from its own "
                        "pages", details={"origin": request.headers.get("origin")})
    record = await run_in_threadpool(office_sessions.authenticate, context(request), token)
    if record is None:
        raise Unauthorized("the back-office session has ended; sign in again")
    return record


def same_origin(request: Request) -> bool:
    """The request came from a page of this server (the browser's ``Origin`` and
    ``Sec-Fetch-Site`` say so; a client without them is no browser page)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")
