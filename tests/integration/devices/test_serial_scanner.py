"""A serial scanner read through pyserial's loop:// virtual port."""

import threading
from typing import cast

import serial

from tillflow.devices.scanner import ScannerPort, SerialScanner
from tillflow.domain.barcodes import GS


def _loop() -> tuple[serial.SerialBase, ScannerPort]:
    port = serial.serial_for_url("loop://", timeout=0.05)
    return port, cast(ScannerPort, port)


def test_lines_with_any_terminator_become_scans() -> None:
    port, scanner_side = _loop()
    scanner = SerialScanner(scanner_side, on_scan=lambda _code: None)
    port.write(b"5901234123457\r\n]C10109501101530003" + GS.encode() + b"10AB\r4006")
    assert scanner.poll() + scanner.poll() == ["5901234123457", f"]C10109501101530003{GS}10AB"]
    port.write(b"381333931\n")
    assert scanner.poll() == ["4006381333931"]
    port.close()


def test_scanner_thread_hands_each_scan_over() -> None:
    port, scanner_side = _loop()
    received: list[str] = []
    done = threading.Event()

    def on_scan(code: str) -> None:
        received.append(code)
        if len(received) == 2:
            done.set()

    scanner = SerialScanner(scanner_side, on_scan=on_scan)
    scanner.start()
    port.write(b"96385074\r\n2101234012758\r\n")
    assert done.wait(5)
    scanner.stop()
    assert received == ["96385074", "2101234012758"]
