"""Serial barcode scanners: one scan per line, terminated by CR, LF or CR LF."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, cast

import serial

ScanHandler = Callable[[str], None]
TERMINATORS = (b"\r", b"\n")


class ScannerPort(Protocol):
    """What a scanner needs of a pyserial port."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


def open_port(url: str, *, baudrate: int = 9600, timeout: float = 0.2) -> ScannerPort:
    """A port by device path or pyserial URL (``/dev/ttyACM0``, ``loop://``, ``socket://``)."""
    # Every concrete pyserial port has in_waiting; the stubs leave it off the base class.
    return cast(ScannerPort, serial.serial_for_url(url, baudrate=baudrate, timeout=timeout))


class SerialScanner:
    """Reads lines from ``port`` and hands each non-empty one to ``on_scan``.

    Bytes are decoded as Latin-1 so every byte maps to one character: GS1 codes keep
    their GS (0x1D) separators for ``parse_scan``.
    """

    def __init__(
        self,
        port: ScannerPort,
        *,
        on_scan: ScanHandler,
        reopen: Callable[[], ScannerPort] | None = None,
        retry_seconds: float = 1.0,
    ) -> None:
        self.port = port
        self.on_scan = on_scan
        self.reopen = reopen
        self.retry_seconds = retry_seconds
        self.connected = True
        self.last_error: str | None = None
        self._buffer = b""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> list[str]:
        """Read what is waiting (up to the port's timeout) and return the complete scans."""
        self._buffer += self.port.read(max(self.port.in_waiting, 1))
        normalised = self._buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *lines, self._buffer = normalised.split(b"\n")
        return [line.decode("latin-1") for line in lines if line]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.port.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                scans = self.poll()
            except serial.SerialException as exc:
                self._lost(exc)
                continue
            for scan in scans:
                self.on_scan(scan)

    def _lost(self, exc: serial.SerialException) -> None:
        """An unplugged scanner: say so, then try to open it again until stopped."""
        self.connected, self.last_error, self._buffer = False, str(exc), b""
        self.port.close()
        while not self._stop.wait(self.retry_seconds):
            if self.reopen is None:
                continue
            try:
                self.port = self.reopen()
            except serial.SerialException as again:
                self.last_error = str(again)
                continue
            self.connected, self.last_error = True, None
            return
