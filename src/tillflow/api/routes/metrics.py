"""The Prometheus metrics of the sync, for admin and integration tokens only: they name
the connections and count their dead letters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from tillflow.api.auth import require
from tillflow.api.requests import CheckedRoute
from tillflow.api.routes.sync import sync_engine
from tillflow.domain.errors import Forbidden
from tillflow.services.context import Actor
from tillflow.services.tokens import CATALOG_READ

router = APIRouter(route_class=CheckedRoute, tags=["metrics"])
READERS = frozenset({"admin", "integration"})
Anyone = Annotated[Actor, Depends(require(CATALOG_READ))]


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, actor: Anyone) -> Response:
    if actor.role not in READERS:
        raise Forbidden(f"the {actor.role} role may not read the metrics",
                        details={"role": actor.role, "needs": sorted(READERS)})
    engine = sync_engine(request)
    data = await run_in_threadpool(generate_latest, engine.metrics.registry)
    return Response(data, media_type=CONTENT_TYPE_LATEST)
