"""ERP postings of a books or ERP connection: health, the queue, dead letters and their replay."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict

from tillflow.api.auth import Context, require
from tillflow.api.errors import envelope
from tillflow.api.openapi import BAD_GATEWAY, answer
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import ErpHealthOut, ErpSyncOut, PostingReplayOut, PostingsOut
from tillflow.erp import adapters, procurement, service
from tillflow.ports.accounting import ErpError
from tillflow.services.context import Actor
from tillflow.services.tokens import CONNECTIONS_OPERATE

router = APIRouter(route_class=CheckedRoute, prefix="/erp", tags=["accounting"])
Operator = Annotated[Actor, Depends(require(CONNECTIONS_OPERATE))]


class SyncIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: Literal["receipts", "products-in", "products-out"]


@router.post("/{name}/sync", response_model=ErpSyncOut, responses=answer(BAD_GATEWAY))
def sync(name: str, body: SyncIn, ctx: Context, _actor: Operator) -> FastJSONResponse:
    """Pull goods receipts or products from the ERP, or push products to it, now."""
    erp = adapters.catalog_for(ctx, name)
    try:
        changed = procurement.sync(ctx, name, erp, scope=body.scope)
    except ErpError as exc:  # the ERP's answer, not tillflow's fault: a gateway error
        return envelope(502, "erp_error", str(exc), {"connection": name})
    finally:
        erp.close()
    return FastJSONResponse({"scope": body.scope, "changed": changed})


@router.get("/{name}/health", response_model=ErpHealthOut)
def health(name: str, ctx: Context, _actor: Operator) -> FastJSONResponse:
    return FastJSONResponse(service.posting_health(ctx, name))


@router.get("/{name}/postings", response_model=PostingsOut)
def postings(name: str, ctx: Context, _actor: Operator, status: str | None = None,
             limit: Annotated[int, Query(ge=1, le=500)] = 100) -> FastJSONResponse:
    return FastJSONResponse(service.postings_payload(ctx, name, status=status, limit=limit))


@router.post("/{name}/postings/{posting_id}/replay", status_code=202,
             response_model=PostingReplayOut)
def replay(name: str, posting_id: Annotated[int, Path(ge=1, le=2**63 - 1)], ctx: Context,
           _actor: Operator) -> FastJSONResponse:
    service.replay_posting(ctx, name, posting_id)
    return FastJSONResponse({"id": posting_id, "status": "pending"}, status_code=202)
