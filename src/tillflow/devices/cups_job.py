"""Printing through a CUPS raw queue with pycups (the ``cups`` extra).

python-escpos's CUPS printer spools to a file and submits it when closed, ignoring the
answer, and its status query is itself sent as a print job. Here one ``_raw`` call is one
job, submitted at once; only a job id back from CUPS counts as queued. The status comes
from the queue's state, and nothing is printed to ask for it.
"""

from __future__ import annotations

import importlib
import tempfile
from typing import Any, Protocol

from escpos import constants

from tillflow.devices.errors import PrinterUnavailableError

# IPP printer-state values (RFC 8011 5.4.11).
STOPPED = 5
RAW = "application/vnd.cups-raw"


class CupsConnection(Protocol):
    """The part of ``cups.Connection`` used here."""

    def getPrinters(self) -> dict[str, dict[str, Any]]: ...  # noqa: N802 (pycups' name)

    def printFile(  # noqa: N802 (pycups' name)
        self, printer: str, filename: str, title: str, options: dict[str, str]
    ) -> int: ...


class CupsJob:
    """Quacks like the python-escpos printers ``transports`` drives: ``_raw``, status, close."""

    def __init__(self, connection: CupsConnection, queue: str, *,
                 title: str = "tillflow receipt") -> None:
        self._connection = connection
        self.queue = queue
        self.title = title
        self.job_ids: list[int] = []

    def _raw(self, data: bytes) -> None:
        with tempfile.NamedTemporaryFile(prefix="tillflow-", suffix=".prn") as spool:
            spool.write(data)
            spool.flush()
            try:
                job_id = self._connection.printFile(self.queue, spool.name, self.title,
                                                    {"document-format": RAW})
            except Exception as exc:  # pycups' IPPError/HTTPError share no narrower base
                raise PrinterUnavailableError(f"CUPS refused the job: {exc}") from exc
        if not job_id:
            raise PrinterUnavailableError("CUPS gave no job id: the job was not queued")
        self.job_ids.append(job_id)

    def query_status(self, request: bytes) -> bytes:
        """An online status byte from the queue's state; paper is not known to CUPS."""
        if request != constants.RT_STATUS_ONLINE:
            raise NotImplementedError("CUPS does not report the paper sensor")
        attributes = self._connection.getPrinters().get(self.queue)
        if attributes is None:
            raise PrinterUnavailableError(f"CUPS has no queue {self.queue!r}")
        stopped = attributes.get("printer-state") == STOPPED
        return bytes([constants.RT_MASK_ONLINE if stopped else 0])

    def close(self) -> None:
        """Nothing to release: each job was submitted in full by ``_raw``."""


def open_cups(queue: str) -> CupsJob:
    """A job on ``queue`` of the local CUPS server; ``PrinterUnavailableError`` if none."""
    try:
        cups = importlib.import_module("cups")
    except ImportError:
        raise PrinterUnavailableError(
            "this transport needs: pip install 'tillflow[cups]'") from None
    try:
        connection: CupsConnection = cups.Connection()
        known = connection.getPrinters()
    except Exception as exc:  # RuntimeError when cupsd is down, pycups' IPPError otherwise
        raise PrinterUnavailableError(f"CUPS is not reachable: {exc}") from exc
    if queue not in known:
        raise PrinterUnavailableError(f"CUPS has no queue {queue!r}")
    return CupsJob(connection, queue)
