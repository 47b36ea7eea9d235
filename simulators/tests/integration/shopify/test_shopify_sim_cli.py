"""``simulate shopify`` in the foreground: serves until interrupted, seeded, token-checked."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx

from sim_support.waiting import wait_until

LAUNCH = (
    "import typer\n"
    "from tillflow_simulators.shopify.cli import simulate_shopify\n"
    "typer.run(simulate_shopify)\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    def answering() -> bool:
        assert process.poll() is None, process.communicate()
        try:
            httpx.post(url, timeout=0.5)
        except httpx.TransportError:
            return False
        return True

    wait_until(answering, timeout=15, interval=0.1, message="the simulator never answered")


def test_foreground_simulator_serves_seeded_shop_until_interrupted() -> None:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        LAUNCH,
        "--port",
        str(port),
        "--seed",
        "3",
        "--access-token",
        "shpat_cli",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/admin/api/2026-10/graphql.json"
    try:
        wait_until_up(url, process)
        query = {"query": "{ productsCount { count } }"}
        denied = httpx.post(url, json=query, headers={"X-Shopify-Access-Token": "nope"})
        assert denied.status_code == 401
        allowed = httpx.post(url, json=query, headers={"X-Shopify-Access-Token": "shpat_cli"})
        assert allowed.json()["data"]["productsCount"]["count"] == 3
    finally:
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert b"graphql.json" in stdout
