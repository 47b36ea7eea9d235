"""The audit trail (admin only), oldest first, paged with an opaque cursor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tillflow.api import cursors
from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas_out import AuditPageOut
from tillflow.domain.audit import AuditRecord
from tillflow.domain.errors import InvalidInput
from tillflow.services import audit
from tillflow.services.context import Actor
from tillflow.services.tokens import TOKENS

router = APIRouter(route_class=CheckedRoute, tags=["audit"])
Admin = Annotated[Actor, Depends(require(TOKENS))]


@router.get("/audit", response_model=AuditPageOut)
def read_audit(
    ctx: Context,
    _actor: Admin,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> FastJSONResponse:
    found = audit.page(ctx, after=_after(cursor), limit=limit + 1)
    page, more = found[:limit], len(found) > limit
    return FastJSONResponse({
        "items": [record_json(r) for r in page],
        "next_cursor": cursors.encode(str(page[-1].seq)) if more else None,
    })


def record_json(record: AuditRecord) -> dict[str, Any]:
    document = record.document()
    return {"seq": record.seq, "occurred_at": record.occurred_at.isoformat(),
            "actor": record.actor, "role": document.get("role"),
            "register": document.get("register"), "act": record.act,
            "subject": record.subject, "data": document.get("data", {}),
            "prev_hash": record.prev_hash, "hash": record.hash}


def _after(cursor: str | None) -> int:
    raw = cursors.decode(cursor)
    if raw is None:
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInput("cursor is not one this API returned", details={"field": "cursor"})
    return int(raw)
