"""Pure rendering of ``ReceiptData`` into a ``ReceiptDocument`` laid out for one profile."""

from __future__ import annotations

import textwrap
from decimal import Decimal

from tillflow.receipt_layout.data import ReceiptData, ReceiptLine
from tillflow.receipt_layout.document import (
    BOLD,
    LARGE,
    Barcode,
    Block,
    Cut,
    Feed,
    QrCode,
    ReceiptDocument,
    TextLine,
    TextStyle,
    line,
)
from tillflow.receipt_layout.logo import logo_picture
from tillflow.receipt_layout.profiles import PrinterProfile

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}
TITLES = {"sale": "RECEIPT", "gift": "GIFT RECEIPT", "return": "RETURN", "z_report": "Z REPORT"}
TOTAL_STYLE = TextStyle(bold=True, height=2)


def render_receipt(
    data: ReceiptData, *, profile: PrinterProfile, open_drawer: bool | None = None
) -> ReceiptDocument:
    """Lay ``data`` out; the drawer opens by default when cash changes hands."""
    width = profile.columns_for("a")
    blocks: list[Block] = []
    if _wants_drawer(data, open_drawer):
        blocks.append(profile.drawer.kick())
    blocks += _header(data, width, profile)
    blocks += _items(data, width)
    blocks += _totals(data, width)
    blocks += _footer(data, profile)
    return ReceiptDocument(blocks=tuple(blocks))


def money(amount: Decimal, currency: str | None = None, *, signed: bool = False) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ") if currency else ""
    sign = "-" if amount < 0 else "+" if signed and amount > 0 else ""
    return f"{sign}{symbol}{format(abs(amount), 'f')}"


def columns(left: str, right: str, width: int, *, style: TextStyle | None = None) -> TextLine:
    room = max(width - len(right) - 1, 0)
    text = f"{left[:room]:<{room}} {right}" if room else right[-width:]
    return line(text, style=style or TextStyle())


def _wants_drawer(data: ReceiptData, open_drawer: bool | None) -> bool:
    if open_drawer is not None:
        return open_drawer
    return data.kind in ("sale", "return") and any(t.method == "cash" for t in data.tenders)


def _header(data: ReceiptData, width: int, profile: PrinterProfile) -> list[Block]:
    store = data.store
    name_lines = textwrap.wrap(store.name, width // LARGE.width) or [""]
    blocks: list[Block] = [logo_picture(store.logo, dots=profile.dots)] if store.logo else []
    blocks += [line(text, style=LARGE, align="center") for text in name_lines]
    blocks += [line(text, align="center") for text in store.address_lines]
    if store.tax_id:
        blocks.append(line(f"Tax ID {store.tax_id}", align="center"))
    blocks.append(line(""))
    blocks.append(columns(TITLES[data.kind], data.document_number, width, style=BOLD))
    when = data.issued_at.strftime("%Y-%m-%d %H:%M")
    register = f"Register {data.register}" if data.register else ""
    blocks.append(columns(when, register, width))
    if data.cashier:
        blocks.append(line(f"Cashier: {data.cashier}"))
    blocks.append(line("-" * width))
    return blocks


def _items(data: ReceiptData, width: int) -> list[Block]:
    blocks: list[Block] = []
    for item in data.lines:
        blocks += _gift_item(item, width) if data.kind == "gift" else _item(item, width)
    for amount_line in data.summary:
        blocks.append(columns(amount_line.label,
                              money(amount_line.amount, signed=amount_line.signed), width))
    if blocks:
        blocks.append(line("-" * width))
    return blocks


def _item(item: ReceiptLine, width: int) -> list[Block]:
    blocks: list[Block] = [line(text) for text in textwrap.wrap(item.description, width)]
    quantity = format(item.quantity.normalize(), "f")
    detail = f"  {quantity} x {money(item.unit_price)}"
    blocks.append(columns(detail, money(item.line_total), width))
    if item.discount:
        blocks.append(columns("  Discount", money(-item.discount), width))
    return blocks


def _gift_item(item: ReceiptLine, width: int) -> list[Block]:
    """What was given, never what it cost."""
    quantity = format(item.quantity.normalize(), "f")
    return [line(text) for text in textwrap.wrap(f"{quantity} x {item.description}", width)]


def _totals(data: ReceiptData, width: int) -> list[Block]:
    if data.kind in ("z_report", "gift"):
        return []
    blocks: list[Block] = [columns("Subtotal", money(data.subtotal), width)]
    if data.discount_total:
        blocks.append(columns("Discount", money(-data.discount_total), width))
    blocks.append(columns("Tax", money(data.tax_total), width))
    label = "TOTAL" if data.kind == "sale" else "REFUND"
    blocks.append(columns(label, money(data.total, data.currency), width, style=TOTAL_STYLE))
    for tender in data.tenders:
        blocks.append(columns(tender.method.capitalize(), money(tender.amount), width))
    if data.change:
        blocks.append(columns("Change", money(data.change), width))
    if data.taxes:
        blocks.append(line(""))
        blocks.append(line(f"{'Rate':<8}{'Net':>12}{'Tax':>12}"))
        for tax in data.taxes:
            rate = f"{format((tax.rate * 100).normalize(), 'f')}%"
            blocks.append(line(f"{rate:<8}{money(tax.base):>12}{money(tax.tax):>12}"))
    return blocks


def _footer(data: ReceiptData, profile: PrinterProfile) -> list[Block]:
    blocks: list[Block] = [line("")]
    if profile.qr:
        blocks.append(QrCode(data=data.document_id))
    else:
        blocks.append(Barcode(data=data.document_number))
    blocks += [line(text, align="center") for text in data.footer]
    blocks.append(Cut(partial=profile.partial_cut) if profile.cutter else Feed(6))
    return blocks
