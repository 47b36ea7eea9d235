"""A job accepted by an agent that is killed before printing is printed after restart, once."""

import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from support.agent_harness import AUTH, TOKEN, running_agent
from support.waiting import wait_until
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
    def answering() -> bool:
        assert process.poll() is None, "agent exited early"
        try:
            return httpx.get(f"{url}/status", headers=AUTH, timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(answering, timeout=20, interval=0.05, message="the agent did not start")


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
            # The job is marked printed and nothing is left to print: a second copy could
            # only come from a job still queued.
            wait_until(lambda: client.get("/status", headers=AUTH).json()["queue"] == {
                "pending": 0, "printed": 1}, timeout=5,
                message="the job was never marked printed")
        assert len(printer.receipts) == 1
