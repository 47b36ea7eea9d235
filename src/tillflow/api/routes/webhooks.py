"""Webhooks from web shops: verified by the platform's signature, no bearer token.

An unknown connection, one that is not a web shop and a bad signature get the same 401,
so the answers do not tell which connections exist; the reason is logged.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from tillflow.api.errors import envelope
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.sync import sync_engine
from tillflow.api.schemas_out import WebhookOut
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.ports.commerce import BadWebhook, MalformedWebhook

router = APIRouter(route_class=CheckedRoute, tags=["webhooks"])
log = structlog.get_logger("tillflow.api")
REJECTED = "webhook rejected: not signed for a connection of this server"


def rejected() -> FastJSONResponse:
    return envelope(401, "unauthorized", REJECTED)


@router.post("/webhooks/{name}", response_model=WebhookOut)
async def receive(name: str, request: Request) -> FastJSONResponse:
    """Stored before the answer; applied later by a worker. A bad signature is a 401, an
    unreadable body a 400; a duplicate or a topic tillflow does not use is a 200."""
    engine = sync_engine(request)
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        outcome = await run_in_threadpool(engine.receive_webhook, name, headers, body)
    except (NotFound, InvalidInput) as exc:
        log.warning("webhook rejected", connection=name, reason=exc.message)
        return rejected()
    except (MalformedWebhook, RecursionError) as exc:  # signed, then unreadable
        return envelope(400, "bad_request", f"webhook rejected: {_unreadable(exc)}")
    except BadWebhook:
        return rejected()  # logged with its reason by the inbox
    return FastJSONResponse({"status": outcome})


def _unreadable(exc: Exception) -> str:
    return "the body is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
