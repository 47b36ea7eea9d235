"""Bulk product import from the back office: the CSV importer's rows and per-row report."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import AfterValidator, Field, StrictStr

from tillflow.api.auth import Context, require
from tillflow.api.fields import storable
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import ImportReportOut
from tillflow.domain.errors import InvalidInput
from tillflow.importer import import_csv
from tillflow.services.context import Actor
from tillflow.services.tokens import CATALOG_WRITE

router = APIRouter(route_class=CheckedRoute, tags=["catalog"])
Writer = Annotated[Actor, Depends(require(CATALOG_WRITE))]
# A CSV file's text, not free text as a whole: the importer checks each row's fields (a
# card number in a row refuses that row, by its line, and the others still land).
CsvText = Annotated[StrictStr, AfterValidator(storable),
                    Field(min_length=1, max_length=4_000_000,
                          json_schema_extra={"format": "csv"})]


class ImportIn(Body):
    """The columns of ``tillflow import products``: sku,name,price,tax_rate,barcodes,active,
    cost,category, and for variants product,option1_name,option1_value … option3_value."""

    csv: CsvText


@router.post("/products/imports", response_model=ImportReportOut)
def import_products(body: ImportIn, ctx: Context, _actor: Writer) -> FastJSONResponse:
    """Each good row lands in a transaction of its own; each bad one is reported by its line
    and changes nothing."""
    try:
        report = import_csv(ctx, io.StringIO(body.csv.removeprefix("\ufeff"), newline=""),
                            source="csv")
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"field": "csv"}) from None
    return FastJSONResponse({
        "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        "rejected": [{"line": r.line, "sku": r.sku, "reason": r.reason}
                     for r in report.rejected]})
