"""Where the bytes go: network (TCP 9100), USB, serial, a file or device path, CUPS.

Each is a python-escpos printer class used only to open, send bytes and close; encoding
stays in ``escpos_encoder``. CUPS goes through pycups directly (``cups_job``): a job is
submitted and its id checked while sending, so a refused job is never taken as printed.
USB and CUPS need the ``usb`` / ``cups`` extras.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from escpos import constants
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Serial, Usb

from tillflow.devices.cups_job import CupsJob, open_cups
from tillflow.devices.errors import PrinterUnavailableError

__all__ = [
    "CupsTransport",
    "FileTransport",
    "NetworkTransport",
    "PrinterStatus",
    "PrinterUnavailableError",
    "SerialTransport",
    "Transport",
    "UsbTransport",
    "connected",
    "read_status",
    "send",
]

PaperState = Literal["ok", "near_end", "out", "unknown"]


@dataclass(frozen=True, kw_only=True)
class PrinterStatus:
    reachable: bool
    online: bool | None = None
    paper: PaperState = "unknown"
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.reachable and self.online is not False and self.paper != "out"


@dataclass(frozen=True, kw_only=True)
class NetworkTransport:
    host: str
    port: int = 9100
    timeout: float = 5.0

    def open(self) -> Any:
        # Connecting here rather than in Network.open, which leaks the socket on failure.
        printer = Network(self.host, port=self.port, timeout=self.timeout)
        printer.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        return printer


@dataclass(frozen=True, kw_only=True)
class UsbTransport:
    """``in_ep`` / ``out_ep``: the bulk endpoints; Epson uses 0x82/0x01, others differ
    (``lsusb -v`` lists them as ``bEndpointAddress``)."""

    vendor_id: int
    product_id: int
    in_ep: int = 0x82
    out_ep: int = 0x01
    timeout: int = 0

    def open(self) -> Any:
        _require(Usb, "usb")
        printer = Usb(self.vendor_id, self.product_id, timeout=self.timeout,
                      in_ep=self.in_ep, out_ep=self.out_ep)
        printer.open()
        return printer


@dataclass(frozen=True, kw_only=True)
class SerialTransport:
    device: str
    baudrate: int = 9600
    timeout: float = 1.0

    def open(self) -> Any:
        _require(Serial, "serial")
        printer = Serial(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)
        printer.open()
        return printer


@dataclass(frozen=True, kw_only=True)
class FileTransport:
    path: str

    def open(self) -> Any:
        printer = File(devfile=self.path)
        printer.open()
        return printer


@dataclass(frozen=True, kw_only=True)
class CupsTransport:
    queue: str

    def open(self) -> CupsJob:
        return open_cups(self.queue)


def _require(printer_class: Any, extra: str) -> None:
    """Fail before construction: python-escpos raises from ``__del__`` without its driver."""
    if not printer_class.is_usable():
        raise PrinterUnavailableError(f"this transport needs: pip install 'tillflow[{extra}]'")


Transport = NetworkTransport | UsbTransport | SerialTransport | FileTransport | CupsTransport


@contextmanager
def connected(transport: Transport) -> Iterator[Any]:
    """An open python-escpos printer; any failure to reach it is ``PrinterUnavailableError``."""
    try:
        printer = transport.open()
    except (EscposError, OSError) as exc:
        raise PrinterUnavailableError(f"printer not reachable: {exc}") from exc
    try:
        yield printer
    except (EscposError, OSError) as exc:
        _close_quietly(printer)
        raise PrinterUnavailableError(f"printer stopped responding: {exc}") from exc
    except BaseException:
        _close_quietly(printer)
        raise
    try:
        printer.close()
    except (EscposError, OSError) as exc:
        # A file or device flushes on close: until it has, the job is not printed.
        raise PrinterUnavailableError(f"printer did not finish the job: {exc}") from exc


def _close_quietly(printer: Any) -> None:
    """Close after a failure; the failure is what the caller must see, not this one."""
    try:
        printer.close()
    except (EscposError, OSError, PrinterUnavailableError):
        return


def send(transport: Transport, data: bytes) -> None:
    """Send ``data`` in one connection; raise ``PrinterUnavailableError`` if it cannot."""
    with connected(transport) as printer:
        # _raw is the one byte-moving method every python-escpos transport implements.
        printer._raw(data)


def read_status(transport: Transport) -> PrinterStatus:
    """Ask the printer with ``DLE EOT``; transports that cannot read answer 'unknown'."""
    try:
        with connected(transport) as printer:
            online = _query(printer, constants.RT_STATUS_ONLINE)
            paper = _query(printer, constants.RT_STATUS_PAPER)
    except PrinterUnavailableError as exc:
        return PrinterStatus(reachable=False, detail=str(exc))
    return PrinterStatus(
        reachable=True,
        online=None if online is None else not online & constants.RT_MASK_ONLINE,
        paper="unknown" if paper is None else _paper(paper),
    )


def _query(printer: Any, request: bytes) -> int | None:
    try:
        answer: bytes = printer.query_status(request)
    except (NotImplementedError, TimeoutError):
        return None
    return answer[0] if answer else None


def _paper(status: int) -> PaperState:
    if status & constants.RT_MASK_NOPAPER == constants.RT_MASK_NOPAPER:
        return "out"
    if status & constants.RT_MASK_LOWPAPER == constants.RT_MASK_LOWPAPER:
        return "near_end"
    return "ok"
