"""``tillflow simulate xero --port``: prints what a connector connects with, and serves."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx

from sim_support.waiting import wait_until

LAUNCH = ("import typer\n"
          "from tillflow_simulators.xero.cli import simulate_xero\n"
          "typer.run(simulate_xero)\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_printed_credentials_refresh_into_a_token_that_reads_the_organisation() -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: dict[str, str] = {}
    try:
        assert process.stdout is not None
        for _ in range(6):
            label, _, value = process.stdout.readline().partition(":")
            lines[label.strip()] = value.strip()
        base = f"http://127.0.0.1:{port}"

        def answering() -> bool:
            assert process.poll() is None
            try:
                httpx.get(f"{base}/connections", timeout=0.5)
            except httpx.TransportError:
                return False
            return True

        wait_until(answering, timeout=20, interval=0.1, message="the simulator never answered")
        tokens = httpx.post(f"{base}/connect/token", data={
            "grant_type": "refresh_token", "refresh_token": lines["refresh token"]},
            auth=(lines["client id"], lines["client secret"])).json()
        organisation = httpx.get(f"{base}/api.xro/2.0/Organisation", headers={
            "Authorization": f"Bearer {tokens['access_token']}",
            "xero-tenant-id": lines["tenant id"]})
        assert organisation.json()["Organisations"][0]["OrganisationID"] == lines["tenant id"]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0
