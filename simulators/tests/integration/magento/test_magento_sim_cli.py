"""``tillflow simulate magento`` serves the store in the foreground; the demo's starter
serves one in the background."""

from __future__ import annotations

import socket
import subprocess
import sys

import httpx

from sim_support.waiting import wait_until
from tillflow_simulators.magento.entry import SIMULATOR

SCRIPT = (
    "import typer; from tillflow_simulators.magento.cli import simulate_magento; "
    "typer.run(simulate_magento)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_command_serves_with_the_given_bearer_token() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "--port", str(port), "--access-token", "tok", "--seed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/rest/V1/products"

        def answer() -> httpx.Response | None:
            try:
                return httpx.get(
                    url, params={"searchCriteria": ""}, headers={"Authorization": "Bearer tok"}
                )
            except httpx.TransportError:
                return None

        response = wait_until(
            answer, timeout=20, interval=0.1, message="the simulator never answered"
        )
        assert response.status_code == 200
        assert response.json()["total_count"] == 2
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert "consumer key tillflowsimulatorconsumerkey0001" in out


def test_background_starter_for_the_demo() -> None:
    sim = SIMULATOR.start()
    try:
        answer = httpx.get(
            f"{sim.url}/rest/all/V1/store/websites",
            headers={"Authorization": f"Bearer {sim.access_token}"},
        )
        assert answer.status_code == 200
    finally:
        sim.stop()
