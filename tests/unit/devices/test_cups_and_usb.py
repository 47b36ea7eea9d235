"""USB endpoints from the printer URL; a CUPS job counts as sent only once CUPS queued it.

pycups needs a running CUPS server, which tests cannot start here; ``CupsRecorder`` keeps
what a queue is given and answers like ``cups.Connection`` (a job id, or an IPP error).
"""

from pathlib import Path
from typing import Any

import pytest

from tillflow.devices.agent.settings import parse_printer_url
from tillflow.devices.cups_job import RAW, CupsJob
from tillflow.devices.transports import (
    PrinterUnavailableError,
    UsbTransport,
    connected,
    read_status,
    send,
)


class IPPError(Exception):
    """pycups' error type: not an OSError."""


class CupsRecorder:
    def __init__(self, *, state: int = 3, refuse: bool = False, job_id: int = 7) -> None:
        self.state, self.refuse, self.job_id = state, refuse, job_id
        self.jobs: list[tuple[str, bytes, dict[str, str]]] = []

    def getPrinters(self) -> dict[str, dict[str, Any]]:
        return {"TM-T20": {"printer-state": self.state}}

    def printFile(
        self, printer: str, filename: str, title: str, options: dict[str, str]
    ) -> int:
        if self.refuse:
            raise IPPError(1030, "client-error-not-found")
        if self.job_id:  # CUPS answers 0 when it did not create the job
            self.jobs.append((printer, Path(filename).read_bytes(), options))
        return self.job_id


class CupsQueue:
    """A ``Transport`` whose ``open`` hands out jobs on the recorder's queue."""

    def __init__(self, connection: CupsRecorder) -> None:
        self.connection = connection

    def open(self) -> CupsJob:
        return CupsJob(self.connection, "TM-T20")


def test_usb_urls_carry_the_bulk_endpoints() -> None:
    assert parse_printer_url("usb://0fe6:811e?out_ep=0x02&in_ep=0x81") == UsbTransport(
        vendor_id=0x0FE6, product_id=0x811E, in_ep=0x81, out_ep=0x02
    )
    assert parse_printer_url("usb://04b8:0202") == UsbTransport(
        vendor_id=0x04B8, product_id=0x0202, in_ep=0x82, out_ep=0x01
    )


def test_a_queued_cups_job_is_one_raw_job() -> None:
    recorder = CupsRecorder()
    send(CupsQueue(recorder), b"\x1b@receipt")  # type: ignore[arg-type]
    assert recorder.jobs == [("TM-T20", b"\x1b@receipt", {"document-format": RAW})]


@pytest.mark.parametrize("recorder", [CupsRecorder(refuse=True), CupsRecorder(job_id=0)])
def test_a_cups_job_that_was_not_queued_is_not_printed(recorder: CupsRecorder) -> None:
    with pytest.raises(PrinterUnavailableError, match="CUPS"):
        send(CupsQueue(recorder), b"receipt")  # type: ignore[arg-type]
    assert recorder.jobs == []


def test_cups_status_comes_from_the_queue_without_printing_anything() -> None:
    idle, stopped = CupsRecorder(state=3), CupsRecorder(state=5)
    status = read_status(CupsQueue(idle))  # type: ignore[arg-type]
    assert (status.reachable, status.online, status.paper) == (True, True, "unknown")
    assert read_status(CupsQueue(stopped)).online is False  # type: ignore[arg-type]
    assert not read_status(CupsQueue(stopped)).ready  # type: ignore[arg-type]
    assert idle.jobs == stopped.jobs == []


def test_a_failure_inside_the_job_still_closes_the_printer() -> None:
    closed: list[bool] = []

    class Printer:
        def close(self) -> None:
            closed.append(True)

    class Opens:
        def open(self) -> Printer:
            return Printer()

    with pytest.raises(PrinterUnavailableError, match="stopped responding"), \
            connected(Opens()):  # type: ignore[arg-type]
        raise OSError("cable pulled")
    assert closed == [True]
