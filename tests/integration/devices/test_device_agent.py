"""The device agent end to end: HTTP in, bytes to the virtual printer out."""

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.agent_harness import AUTH, TOKEN, running_agent
from support.waiting import wait_until
from tillflow.devices.agent.print_jobs import JobQueue
from tillflow.devices.agent.settings import AgentSettings
from tillflow.devices.transports import NetworkTransport
from tillflow_simulators.escpos.model import DrawerKick
from tillflow_simulators.escpos.printer import VirtualPrinter

RECEIPT: dict[str, Any] = {
    "kind": "sale",
    "store": {"name": "Café Élan"},
    "document_number": "S-000042",
    "document_id": "sale-42",
    "issued_at": "2025-03-01T10:30:00+00:00",
    "currency": "EUR",
    "lines": [
        {"description": "Crème", "quantity": "2", "unit_price": "4.50", "line_total": "9.00"}
    ],
    "total": "9.00",
    "tenders": [{"method": "card", "amount": "9.00"}],
}


@pytest.fixture
def printer() -> Iterator[VirtualPrinter]:
    with VirtualPrinter() as virtual:
        yield virtual


def _settings(tmp_path: Path, printer: VirtualPrinter, **changes: Any) -> AgentSettings:
    options: dict[str, Any] = {
        "register": "R1",
        "token": TOKEN,
        "queue_path": tmp_path / "queue.sqlite3",
        "transport": NetworkTransport(host="127.0.0.1", port=printer.port, timeout=1),
        "retry_seconds": 0.05,
    } | changes
    return AgentSettings(**options)


def _print(client: httpx.Client, key: str, receipt: dict[str, Any] = RECEIPT) -> httpx.Response:
    return client.post("/print", json={"receipt": receipt}, headers=AUTH | {"Idempotency-Key": key})


def test_print_reaches_the_printer_once_even_when_retried(
    tmp_path: Path, printer: VirtualPrinter
) -> None:
    with running_agent(_settings(tmp_path, printer)) as client:
        first = _print(client, "sale-42-receipt")
        assert first.status_code == 202
        [printed] = printer.wait_for_receipts(1)
        assert "Crème" in printed.text
        again = _print(client, "sale-42-receipt")
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["duplicate"] is True
        job_url = f"/print/{first.json()['id']}"
        wait_until(lambda: client.get(job_url, headers=AUTH).json()["status"] == "printed",
                   timeout=5, message="the job was never marked printed")
        assert client.get("/status", headers=AUTH).json()["queue"] == {"pending": 0, "printed": 1}
    assert len(printer.receipts) == 1


def test_same_key_with_another_receipt_is_a_conflict(
    tmp_path: Path, printer: VirtualPrinter
) -> None:
    with running_agent(_settings(tmp_path, printer)) as client:
        assert _print(client, "k1").status_code == 202
        other = _print(client, "k1", RECEIPT | {"total": "10.00"})
        assert other.status_code == 409
        assert other.json()["error"]["code"] == "idempotency_conflict"


def test_requests_need_the_register_token(tmp_path: Path, printer: VirtualPrinter) -> None:
    with running_agent(_settings(tmp_path, printer)) as client:
        for headers in ({}, {"Authorization": "Bearer wrong-token-000000000"}):
            response = client.get("/status", headers=headers)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"


def test_malformed_receipt_is_a_validation_error(tmp_path: Path, printer: VirtualPrinter) -> None:
    with running_agent(_settings(tmp_path, printer)) as client:
        response = _print(client, "bad", RECEIPT | {"issued_at": "2025-03-01T10:30:00"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"


def test_offline_printer_makes_jobs_wait_and_status_say_so(
    tmp_path: Path, printer: VirtualPrinter
) -> None:
    printer.set_paper_out(True)
    with running_agent(_settings(tmp_path, printer)) as client:
        job = _print(client, "waits").json()
        job_url = f"/print/{job['id']}"
        wait_until(lambda: client.get(job_url, headers=AUTH).json()["last_error"] is not None,
                   timeout=5, message="the failed attempt was never recorded on the job")
        detail = client.get(job_url, headers=AUTH).json()
        assert (detail["status"], detail["last_error"]) == ("pending", "printer is out of paper")
        status = client.get("/status", headers=AUTH).json()
        assert status["printer"]["paper"] == "out"
        assert status["printer"]["ready"] is False
        assert status["queue"]["pending"] == 1
        assert printer.receipts == []
        printer.set_paper_out(False)
        printer.wait_for_receipts(1)
        wait_until(lambda: client.get("/status", headers=AUTH).json()["printer"]["ready"],
                   timeout=5, message="the printer was never reported ready")


def test_no_sale_drawer_open_is_kicked_and_logged(tmp_path: Path, printer: VirtualPrinter) -> None:
    settings = _settings(tmp_path, printer)
    with running_agent(settings) as client:
        body = {"user": "zoe", "reason": "change for a customer"}
        response = client.post("/drawer/open", json=body, headers=AUTH)
        assert response.status_code == 202
        wait_until(lambda: printer.drawer_kicks == [DrawerKick(pin=2, on_ms=100, off_ms=100)],
                   timeout=5, message="the drawer was never kicked")
        missing_reason = client.post(
            "/drawer/open", json={"user": "zoe", "reason": ""}, headers=AUTH
        )
        assert missing_reason.status_code == 422
        [opening] = JobQueue(settings.queue_path).drawer_openings()
        assert (opening.user, opening.reason) == ("zoe", "change for a customer")


def test_scans_stream_as_server_sent_events(tmp_path: Path, printer: VirtualPrinter) -> None:
    # The scanner is a serial link tunnelled over TCP (pyserial's socket:// port), the way
    # a ser2net box exposes one; this end plays the scanner.
    with socket.create_server(("127.0.0.1", 0)) as scanner_end:
        url = f"socket://127.0.0.1:{scanner_end.getsockname()[1]}"
        with running_agent(_settings(tmp_path, printer, scanner_url=url)) as client:
            scanner, _ = scanner_end.accept()
            with scanner, client.stream("GET", "/scans", headers=AUTH) as stream:
                lines = stream.iter_lines()
                assert next(lines) == ": connected"
                scanner.sendall(b"2101234012758\r\n59012341234\r\n")
                events = [_next_event(lines), _next_event(lines)]
    assert events[0]["quantity"] == "1.275"
    assert events[0]["lookup_gtin14"] == "02101234000007"
    assert events[1] == {"code": "59012341234", "error": events[1]["error"]}
    assert "EAN/UPC" in events[1]["error"]


def _next_event(lines: Iterator[str]) -> dict[str, Any]:
    fields: dict[str, str] = {}
    for line in lines:
        if not line and fields:
            break
        key, _, value = line.partition(": ")
        if line:
            fields[key] = value
    assert fields["event"] == "scan"
    data: dict[str, Any] = json.loads(fields["data"])
    return data
