"""A sale's receipt for the browser register: a PNG to show, or ESC/POS bytes to print."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from starlette.exceptions import HTTPException

from tillflow.api.auth import Context, require
from tillflow.api.openapi import NOT_ACCEPTABLE, answer
from tillflow.api.requests import CheckedRoute
from tillflow.domain.errors import InvalidInput
from tillflow.receipt_layout.profiles import PROFILES, get_profile
from tillflow.receipts.reprint import ReceiptFormat, render, sale_receipt_data
from tillflow.services.context import Actor
from tillflow.services.tokens import SALES_READ

router = APIRouter(route_class=CheckedRoute, prefix="/sales", tags=["sales"])
Reader = Annotated[Actor, Depends(require(SALES_READ))]
PNG = "image/png"
ESCPOS = "application/octet-stream"
BINARY = {"type": "string", "format": "binary"}
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The receipt as a PNG image or as ESC/POS bytes",
          "content": {PNG: {"schema": BINARY}, ESCPOS: {"schema": BINARY}}},
    **answer(NOT_ACCEPTABLE),
}
_OFFERED: dict[str, ReceiptFormat] = {
    PNG: "png", "image/*": "png", "*/*": "png", ESCPOS: "escpos", "application/*": "escpos",
}


@router.get("/{sale_id}/receipt", response_class=Response, responses=ANSWERS)
def sale_receipt(
    sale_id: str,
    ctx: Context,
    _actor: Reader,
    accept: Annotated[str, Header()] = PNG,
    profile: Annotated[str, Query(max_length=32, description=", ".join(PROFILES))] = (
        "epson-80mm"
    ),
) -> Response:
    """``Accept: image/png`` (the default) or ``application/octet-stream`` (ESC/POS)."""
    try:
        chosen = get_profile(profile)
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"field": "profile"}) from None
    output = negotiate(accept)
    data = render(sale_receipt_data(ctx, sale_id), profile=chosen, output=output)
    media_type = PNG if output == "png" else ESCPOS
    return Response(content=data, media_type=media_type)


def negotiate(accept: str) -> ReceiptFormat:
    """The format the client prefers most, by the ``q`` weights of its Accept header."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        q_value = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranked.append((float(q_value), -position, media.lower()))
        except ValueError:
            continue
    for weight, _position, media in sorted(ranked, reverse=True):
        if weight > 0 and media in _OFFERED:
            return _OFFERED[media]
    raise HTTPException(406, f"a receipt is served as {PNG} or {ESCPOS}")
