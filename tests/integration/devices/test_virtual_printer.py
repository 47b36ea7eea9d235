"""The virtual printer over real TCP, driven through tillflow's transports."""

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from support.printout import expected, seen
from tillflow.devices.transports import (
    NetworkTransport,
    PrinterUnavailableError,
    read_status,
    send,
)
from tillflow.receipt_layout.data import ReceiptData, StoreHeader, TenderLine
from tillflow.receipt_layout.document import Cut, ReceiptDocument, line
from tillflow.receipt_layout.escpos import encode
from tillflow.receipt_layout.profiles import EPSON_80MM
from tillflow.receipt_layout.render import render_receipt
from tillflow_simulators.escpos.model import DrawerKick
from tillflow_simulators.escpos.printer import VirtualPrinter


def _sale() -> ReceiptData:
    return ReceiptData(
        kind="sale",
        store=StoreHeader(name="Épicerie"),
        document_number="S-7",
        document_id="sale-7",
        issued_at=datetime(2025, 1, 2, 9, 0, tzinfo=UTC),
        currency="GBP",
        total=Decimal("3.50"),
        tenders=(TenderLine(method="cash", amount=Decimal("5.00")),),
        change=Decimal("1.50"),
    )


@pytest.fixture
def printer() -> Iterator[VirtualPrinter]:
    with VirtualPrinter() as virtual:
        yield virtual


def _transport(printer: VirtualPrinter) -> NetworkTransport:
    return NetworkTransport(host="127.0.0.1", port=printer.port, timeout=2)


def test_a_receipt_sent_over_tcp_prints_as_rendered(printer: VirtualPrinter) -> None:
    document = render_receipt(_sale(), profile=EPSON_80MM)
    send(_transport(printer), encode(document, profile=EPSON_80MM))
    [printed] = printer.wait_for_receipts(1)
    assert seen(printed) == expected(document)
    assert "£3.50" in printed.text
    assert printer.drawer_kicks == [DrawerKick(pin=2, on_ms=100, off_ms=100)]
    assert printer.png().startswith(b"\x89PNG")


def test_status_reports_ready_then_paper_out(printer: VirtualPrinter) -> None:
    assert read_status(_transport(printer)).ready
    printer.set_paper_out(True)
    status = read_status(_transport(printer))
    assert (status.reachable, status.online, status.paper) == (True, False, "out")
    assert not status.ready


def test_paper_out_holds_the_job_until_paper_is_back(printer: VirtualPrinter) -> None:
    printer.set_paper_out(True)
    data = encode(ReceiptDocument(blocks=(line("held"), Cut())), profile=EPSON_80MM)
    send(_transport(printer), data)
    assert printer.receipts == []
    printer.set_paper_out(False)
    [printed] = printer.wait_for_receipts(1)
    assert printed.text == "held"


def test_offline_printer_refuses_connections_until_back(printer: VirtualPrinter) -> None:
    printer.set_offline(True)
    status = read_status(_transport(printer))
    assert not status.reachable
    with pytest.raises(PrinterUnavailableError):
        send(_transport(printer), b"x\n")
    printer.set_offline(False)
    assert read_status(_transport(printer)).ready


def test_bytes_split_across_packets_still_parse(printer: VirtualPrinter) -> None:
    data = encode(ReceiptDocument(blocks=(line("€ split"), Cut())), profile=EPSON_80MM)
    with socket.create_connection(("127.0.0.1", printer.port), timeout=2) as connection:
        for byte in data:
            connection.sendall(bytes([byte]))
    assert printer.wait_for_receipts(1)[0].text == "€ split"
