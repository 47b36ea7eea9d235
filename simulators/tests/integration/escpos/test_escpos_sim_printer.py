"""The virtual printer over TCP, driven with plain sockets as any POS software would."""

import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as Pil

from tillflow_simulators.escpos.entry import SIMULATOR
from tillflow_simulators.escpos.model import DrawerKick
from tillflow_simulators.escpos.printer import VirtualPrinter, saving_printer
from tillflow_simulators.escpos.profiles import EPSON_58MM
from tillflow_simulators.escpos.render import MARGIN

CUT = b"\x1dV\x01"
KICK = b"\x1bp\x00\x32\x32"
# DLE EOT 1: the printer answers once it has taken in everything sent before it.
PRINTER_STATUS = b"\x10\x04\x01"
PAPER_STATUS = b"\x10\x04\x04"
READY, PAPER_OUT = 0x12, 0x72


def _send(printer: VirtualPrinter, data: bytes, *, answers: int = 0) -> bytes:
    with socket.create_connection(("127.0.0.1", printer.port), timeout=5) as connection:
        connection.sendall(data)
        received = b""
        while len(received) < answers and (chunk := connection.recv(16)):
            received += chunk
    return received


@pytest.fixture
def printer() -> Iterator[VirtualPrinter]:
    with VirtualPrinter() as virtual:
        yield virtual


def test_one_printout_per_cut_and_what_follows_is_pending(printer: VirtualPrinter) -> None:
    _send(printer, KICK + b"first\n" + CUT + b"second\n" + KICK + PRINTER_STATUS, answers=1)
    [receipt] = printer.wait_for_receipts(1)
    assert receipt.text == "first"
    assert printer.pending.text == "second"
    assert printer.drawer_kicks == [DrawerKick(pin=2, on_ms=100, off_ms=100)] * 2


def test_status_answers_follow_the_paper_sensors(printer: VirtualPrinter) -> None:
    queries = PRINTER_STATUS + b"\x10\x04\x02" + PAPER_STATUS
    assert _send(printer, queries, answers=3) == bytes((READY, 0x12, READY))
    printer.near_end = True
    assert _send(printer, PAPER_STATUS, answers=1) == bytes((0x1E,))
    printer.set_paper_out(True)
    assert _send(printer, queries, answers=3) == bytes((0x1A, 0x32, 0x7E))


def test_out_of_paper_holds_the_job_and_prints_it_when_paper_is_back(
    printer: VirtualPrinter,
) -> None:
    printer.set_paper_out(True)
    assert _send(printer, b"held\n" + CUT + PAPER_STATUS, answers=1) == bytes((PAPER_OUT,))
    assert printer.receipts == []
    printer.set_paper_out(False)
    assert printer.wait_for_receipts(1)[0].text == "held"


def test_an_unplugged_printer_refuses_connections(printer: VirtualPrinter) -> None:
    printer.set_offline(True)
    with pytest.raises(ConnectionRefusedError):
        _send(printer, b"lost\n" + CUT)
    printer.set_offline(False)
    _send(printer, b"back\n" + CUT)
    assert printer.wait_for_receipts(1)[0].text == "back"


def test_clients_print_one_after_the_other_each_receipt_whole(tmp_path: Path) -> None:
    reported: list[str] = []
    with saving_printer(png_dir=tmp_path, report=reported.append) as printer, \
            socket.create_connection(("127.0.0.1", printer.port), timeout=5) as first:
        first.sendall(b"first, top\n")
        # A second client connects and sends while the first job is still open.
        second = threading.Thread(target=_send, args=(printer, b"second\n" + CUT))
        second.start()
        first.sendall(b"first, bottom\n" + CUT)
        first.close()
        second.join(timeout=10)
        receipts = printer.wait_for_receipts(2)
    assert [receipt.text for receipt in receipts] == ["first, top\nfirst, bottom", "second"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "receipt-0001.png", "receipt-0002.png"]
    assert reported[0] == "receipt 1: first, top"
    assert reported[2] == "receipt 2: second"


def test_a_png_is_the_profiles_paper() -> None:
    with VirtualPrinter(profile=EPSON_58MM) as printer:
        _send(printer, b"narrow\n" + CUT)
        printer.wait_for_receipts(1)
        picture = Pil.open(io.BytesIO(printer.png()))
    assert picture.width == EPSON_58MM.dots + 2 * MARGIN


def test_the_entry_point_starts_a_saving_printer_for_the_demo(tmp_path: Path) -> None:
    reported: list[str] = []
    printer = SIMULATOR.start(png_dir=tmp_path, report=reported.append, port=0)
    try:
        _send(printer, b"Demo receipt\n" + CUT)
        printer.wait_for_receipts(1, timeout=5)
        assert printer.host == "127.0.0.1"
    finally:
        printer.stop()
    assert reported == ["receipt 1: Demo receipt", f"  saved {tmp_path / 'receipt-0001.png'}"]
