"""A job accepted by an agent that is killed before printing is printed after restart, once."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from support.agent_harness import AUTH, TOKEN, running_agent
from tillflow.devices.agent.settings import AgentSettings
from tillflow.devices.transports import NetworkTransport
from tillflow_simulators.escpos.printer import VirtualPrinter

RECEIPT = {
    "kind": "sale",
    "store": {"name": "Kiosk"},
    "document_number": "S-9",
    "document_id": "sale-9",
    "issued_at": "2025-03-01T10:30:00+00:00",
    "currency": "EUR",
    "total": "1.00",
}
LAUNCH = "from tillflow.cli import app; app()"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for_agent(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "agent exited early"
        try:
            if httpx.get(f"{url}/status", headers=AUTH, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError("agent did not start")


def test_killed_agent_prints_the_accepted_job_after_restart(tmp_path: Path) -> None:
    queue_path = tmp_path / "agent.sqlite3"
    with VirtualPrinter() as printer:
        printer.set_offline(True)
        agent_port = _free_port()
        arguments = {
            "--register": "R1",
            "--token": TOKEN,
            "--printer": f"tcp://127.0.0.1:{printer.port}",
            "--port": str(agent_port),
            "--queue": str(queue_path),
        }
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "devices", "serve",
             *(part for pair in arguments.items() for part in pair)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{agent_port}"
            _wait_for_agent(url, process)
            headers = AUTH | {"Idempotency-Key": "sale-9-receipt"}
            accepted = httpx.post(f"{url}/print", json={"receipt": RECEIPT}, headers=headers)
            assert accepted.status_code == 202
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(10)

        printer.set_offline(False)
        settings = AgentSettings(
            register="R1",
            token=TOKEN,
            queue_path=queue_path,
            transport=NetworkTransport(host="127.0.0.1", port=printer.port, timeout=1),
            retry_seconds=0.05,
        )
        with running_agent(settings) as client:
            [printed] = printer.wait_for_receipts(1)
            assert "Kiosk" in printed.text
            retried = client.post("/print", json={"receipt": RECEIPT}, headers=headers)
            assert retried.status_code == 200
            assert retried.json()["id"] == accepted.json()["id"]
            time.sleep(0.2)
        assert len(printer.receipts) == 1
