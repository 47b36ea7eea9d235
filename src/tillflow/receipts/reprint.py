"""Find a recorded document by id and lay its receipt out as PNG or ESC/POS bytes.

Reprints never open the cash drawer: only the till's own print at the sale does.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import TypeAdapter

from tillflow.domain.errors import NotFound
from tillflow.ports.persistence import UnitOfWork
from tillflow.receipt_layout.data import ReceiptData, StoreHeader
from tillflow.receipt_layout.escpos import encode
from tillflow.receipt_layout.from_records import (
    gift_receipt,
    return_receipt,
    sale_receipt,
    z_report_receipt,
)
from tillflow.receipt_layout.preview import render_png
from tillflow.receipt_layout.profiles import PrinterProfile
from tillflow.receipt_layout.render import render_receipt
from tillflow.services import shifts
from tillflow.services.context import ServiceContext

ReceiptFormat = Literal["png", "escpos"]


def store_header(uow: UnitOfWork) -> StoreHeader:
    """What every receipt of the store prints at its top and (a sale's) end."""
    details = uow.details.read()
    return StoreHeader(name=details.name, address_lines=details.address_lines,
                       tax_id=details.tax_id or None, logo=details.logo or None,
                       footer=details.footer_lines)


def sale_receipt_data(ctx: ServiceContext, sale_id: str) -> ReceiptData:
    with ctx.uow(read_only=True) as uow:
        sale = uow.sales.get(sale_id)
        if sale is None:
            raise NotFound(f"no sale {sale_id!r}", details={"id": sale_id})
        return sale_receipt(sale, store=store_header(uow), currency=ctx.currency.code)


def receipt_data(ctx: ServiceContext, document: str) -> ReceiptData:
    """The receipt of a sale, a return or a shift (its Z report, or X while open), by its
    id or by the number printed on it."""
    with ctx.uow(read_only=True) as uow:
        document_id = uow.sales.id_by_number(document) or document
        store = store_header(uow)
        sale = uow.sales.get(document_id)
        if sale is not None:
            return sale_receipt(sale, store=store, currency=ctx.currency.code)
        refund = uow.sales.get_return(document_id)
        original = uow.sales.get(refund.sale_id) if refund is not None else None
        if refund is not None and original is not None:
            return return_receipt(refund, sale=original, store=store,
                                  currency=ctx.currency.code)
        shift = uow.shifts.get(document_id)
        now = uow.now
    if shift is None:
        raise NotFound(f"no sale, return or shift {document!r}", details={"id": document})
    report = shifts.current_report(ctx, document_id)
    return z_report_receipt(report, store=store, issued_at=now)


def render(data: ReceiptData, *, profile: PrinterProfile, output: ReceiptFormat) -> bytes:
    document = render_receipt(data, profile=profile, open_drawer=False)
    if output == "png":
        return render_png(document, profile=profile)
    return encode(document, profile=profile)


def gift_receipt_data(ctx: ServiceContext, document: str) -> ReceiptData:
    """A sale's gift receipt, by the sale's id or printed number."""
    with ctx.uow(read_only=True) as uow:
        sale = uow.sales.get(uow.sales.id_by_number(document) or document)
        if sale is None:
            raise NotFound(f"no sale {document!r}", details={"id": document})
        return gift_receipt(sale, store=store_header(uow), currency=ctx.currency.code)


def as_json(data: ReceiptData) -> Any:
    """The document as JSON: what the device agent prints and the register shows."""
    return _JSON.dump_python(data, mode="json")


_JSON = TypeAdapter(ReceiptData)
