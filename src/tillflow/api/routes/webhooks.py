"""Webhooks from web shops (verified by the platform's signature, no bearer token) and
the Prometheus metrics of the sync."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from tillflow.api.errors import envelope
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.sync import sync_engine
from tillflow.ports.commerce import BadWebhook, MalformedWebhook

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks/{name}")
async def receive(name: str, request: Request) -> FastJSONResponse:
    """Stored before the answer; applied later by a worker. A bad signature is a 401, an
    unreadable body a 400; a duplicate or a topic tillflow does not use is a 200."""
    engine = sync_engine(request)
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        outcome = await run_in_threadpool(engine.receive_webhook, name, headers, body)
    except MalformedWebhook as exc:
        return envelope(400, "bad_request", f"webhook rejected: {exc}")
    except BadWebhook as exc:
        return envelope(401, "unauthorized", f"webhook rejected: {exc}")
    return FastJSONResponse({"status": outcome})


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    engine = sync_engine(request)
    data = await run_in_threadpool(generate_latest, engine.metrics.registry)
    return Response(data, media_type=CONTENT_TYPE_LATEST)
