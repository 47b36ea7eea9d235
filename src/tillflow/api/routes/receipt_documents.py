"""One receipt document per sale, gift, return or shift, found by its id or printed number:
the JSON the device agent prints and the register shows, its PNG, or its ESC/POS bytes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import Field

from tillflow.api.auth import Context, require
from tillflow.api.fields import Text
from tillflow.api.openapi import NOT_ACCEPTABLE, answer
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes.receipts import BINARY, ESCPOS, PNG, negotiate
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import ReceiptEmailOut
from tillflow.domain.errors import InvalidInput
from tillflow.receipt_layout.profiles import PROFILES, get_profile
from tillflow.receipts.email_requests import request_email
from tillflow.receipts.reprint import as_json, gift_receipt_data, receipt_data, render
from tillflow.services.context import Actor
from tillflow.services.tokens import SALES_READ, SALES_WRITE

router = APIRouter(route_class=CheckedRoute, prefix="/receipts", tags=["sales"])
Reader = Annotated[Actor, Depends(require(SALES_READ))]
Seller = Annotated[Actor, Depends(require(SALES_WRITE))]
JSON = "application/json"
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The receipt document (JSON), its PNG or its ESC/POS bytes",
          "content": {JSON: {}, PNG: {"schema": BINARY}, ESCPOS: {"schema": BINARY}}},
    **answer(NOT_ACCEPTABLE),
}


@router.get("/{document}", response_class=Response, responses=ANSWERS)
def receipt_document(
    document: str,
    ctx: Context,
    _actor: Reader,
    accept: Annotated[str, Header()] = JSON,
    gift: bool = False,
    profile: Annotated[str, Query(max_length=32, description=", ".join(PROFILES))] = (
        "epson-80mm"
    ),
) -> Response:
    """A sale's, return's or shift's receipt by its id or printed number (``R1-000013``,
    ``OFFLINE-…``); ``gift=true``: a sale's gift receipt, without prices.
    ``Accept: application/json`` (the default), ``image/png`` or
    ``application/octet-stream`` (ESC/POS)."""
    try:
        chosen = get_profile(profile)
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"field": "profile"}) from None
    wants_json = accept.split(",")[0].split(";")[0].strip().lower() in (JSON, "*/*", "")
    output = None if wants_json else negotiate(accept)
    data = gift_receipt_data(ctx, document) if gift else receipt_data(ctx, document)
    if output is None:
        return FastJSONResponse(as_json(data))
    return Response(content=render(data, profile=chosen, output=output),
                    media_type=PNG if output == "png" else ESCPOS)


class EmailIn(Body):
    email: Annotated[Text, Field(min_length=3, max_length=254)]


@router.post("/{document}/emails", status_code=202, response_model=ReceiptEmailOut)
def email_receipt(document: str, body: EmailIn, ctx: Context,
                  actor: Seller) -> FastJSONResponse:
    """A sale's receipt by email (its id or printed number): sent by the worker's mail job."""
    row = request_email(ctx, actor, document, body.email)
    return FastJSONResponse({"sale_id": row.sale_id, "recipient": row.recipient,
                             "status": row.status}, status_code=202)
