"""``tillflow simulate quickbooks --port``: prints what a connector connects with."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx

from sim_support.waiting import wait_until

LAUNCH = ("import typer\n"
          "from tillflow_simulators.quickbooks.cli import simulate_quickbooks\n"
          "typer.run(simulate_quickbooks)\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_printed_refresh_token_reads_the_printed_realm() -> None:
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
                httpx.post(f"{base}/oauth2/v1/tokens/bearer", timeout=0.5)
            except httpx.TransportError:
                return False
            return True

        wait_until(answering, timeout=20, interval=0.1, message="the simulator never answered")
        tokens = httpx.post(f"{base}/oauth2/v1/tokens/bearer", data={
            "grant_type": "refresh_token", "refresh_token": lines["refresh token"]},
            auth=(lines["client id"], lines["client secret"])).json()
        info = httpx.get(f"{base}/v3/company/{lines['realm id']}/companyinfo/1",
                         params={"minorversion": "75"},
                         headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert info.json()["CompanyInfo"]["CompanyName"] == "Corner Shop Ltd"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0
