"""A virtual ESC/POS network printer: receipts without hardware.

It listens on TCP like a printer's port 9100, one connection at a time as a printer does,
parses what it receives into printouts (one per cut) that tests assert on, answers
``DLE EOT`` status queries, renders PNGs, and can be made to run out of paper or go
offline (unplugged). While out of paper it keeps what it receives and prints it once
paper is back.
"""

from __future__ import annotations

import signal
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from tillflow_simulators.escpos.model import Cut, DrawerKick, Printout
from tillflow_simulators.escpos.parser import EscposParser
from tillflow_simulators.escpos.profiles import EPSON_80MM, PrinterProfile
from tillflow_simulators.escpos.render import render_png
from tillflow_simulators.escpos.status import status_byte

DLE_EOT = b"\x10\x04"
ReceiptHook = Callable[[Printout], None]


class _Server(socketserver.TCPServer):
    allow_reuse_address = True
    printer: VirtualPrinter


class _Connection(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        printer = self.server.printer
        connection: socket.socket = self.request
        connection.settimeout(0.2)
        while not printer.closing.is_set():
            try:
                data = connection.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            answers = printer.receive(data)
            if answers:
                connection.sendall(answers)


class VirtualPrinter:
    """Start with ``start()`` or ``with VirtualPrinter(...) as printer:``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        profile: PrinterProfile = EPSON_80MM,
        on_receipt: ReceiptHook | None = None,
    ) -> None:
        self.host, self.port, self.profile = host, port, profile
        self.on_receipt = on_receipt
        self.receipts: list[Printout] = []
        self.paper_out = False
        self.near_end = False
        self.closing = threading.Event()
        self._parser = EscposParser(profile)
        self._held = bytearray()
        # Held while bytes are printed and their receipts handed to the hook, so receipts
        # come out whole and in the order their bytes arrived.
        self._printing = threading.RLock()
        self._changed = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        self.closing.clear()
        server = _Server((self.host, self.port), _Connection)
        server.printer = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self.closing.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def set_offline(self, offline: bool) -> None:
        """Offline is unplugged: connections are refused until it is plugged back in."""
        if offline:
            self.stop()
        elif self._server is None:
            self.start()

    def set_paper_out(self, paper_out: bool) -> None:
        with self._printing:
            self.paper_out = paper_out
            held, self._held = bytes(self._held), bytearray()
            if not paper_out and held:
                self._print(held)

    def receive(self, data: bytes) -> bytes:
        """Take bytes from a connection; return the status answers to send back."""
        with self._printing:
            if self.paper_out:
                self._held += data
                return self._answers(_status_queries(data))
            return self._answers(self._print(data))

    def _print(self, data: bytes) -> list[int]:
        queries = self._parser.feed(data)
        # A receipt counts as printed once its hook has run (e.g. its PNG is saved).
        for receipt in self._cut_receipts():
            if self.on_receipt is not None:
                self.on_receipt(receipt)
            with self._changed:
                self.receipts.append(receipt)
                self._changed.notify_all()
        return queries

    def _answers(self, queries: list[int]) -> bytes:
        return bytes(
            status_byte(query, paper_out=self.paper_out, near_end=self.near_end)
            for query in queries
        )

    def _cut_receipts(self) -> list[Printout]:
        finished: list[Printout] = []
        elements = self._parser.elements
        while cuts := [i for i, element in enumerate(elements) if isinstance(element, Cut)]:
            finished.append(Printout(elements=tuple(elements[: cuts[0] + 1])))
            del elements[: cuts[0] + 1]
        return finished

    @property
    def pending(self) -> Printout:
        """What has been printed since the last cut."""
        with self._printing:
            return Printout(elements=tuple(self._parser.elements))

    @property
    def drawer_kicks(self) -> list[DrawerKick]:
        with self._printing:
            printouts = [*self.receipts, Printout(elements=tuple(self._parser.elements))]
        return [kick for printout in printouts for kick in printout.drawer_kicks]

    def wait_for_receipts(self, count: int, *, timeout: float = 5.0) -> list[Printout]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.receipts) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.receipts)} of {count} receipts printed")
                self._changed.wait(remaining)
            return list(self.receipts)

    def png(self, index: int = -1) -> bytes:
        return render_png(self.receipts[index], profile=self.profile)


def _status_queries(data: bytes) -> list[int]:
    queries, start = [], data.find(DLE_EOT)
    while start != -1 and start + 2 < len(data):
        queries.append(data[start + 2])
        start = data.find(DLE_EOT, start + 3)
    return queries


def saving_printer(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    profile: PrinterProfile = EPSON_80MM,
    png_dir: Path | None = None,
    report: Callable[[str], None] = print,
) -> VirtualPrinter:
    """A printer (not started) that reports each receipt and saves it as a PNG if asked."""
    count = 0

    def save(receipt: Printout) -> None:
        nonlocal count
        count += 1
        first = receipt.text.strip().splitlines()[:1]
        report(f"receipt {count}: {first[0] if first else '(no text)'}")
        if png_dir is not None:
            png_dir.mkdir(parents=True, exist_ok=True)
            path = png_dir / f"receipt-{count:04d}.png"
            path.write_bytes(render_png(receipt, profile=profile))
            report(f"  saved {path}")

    return VirtualPrinter(host=host, port=port, profile=profile, on_receipt=save)


def serve(
    *,
    host: str,
    port: int,
    profile: PrinterProfile = EPSON_80MM,
    png_dir: Path | None = None,
    report: Callable[[str], None] = print,
) -> None:
    """Run a virtual printer until interrupted (Ctrl-C or SIGTERM), saving each receipt as
    a PNG if asked."""
    stopping = threading.Event()
    # Handlers of our own, set before anything is served: an interrupt then always ends
    # the wait below, whenever it comes and whatever the parent left the signal set to.
    previous = {number: signal.signal(number, lambda *_: stopping.set())
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with saving_printer(host=host, port=port, profile=profile, png_dir=png_dir,
                            report=report) as printer:
            report(f"virtual ESC/POS printer listening on {host}:{printer.port}")
            while not stopping.wait(0.2):
                pass
            report("stopped")
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
