"""``tillflow simulate woocommerce`` runs in the foreground and serves the API over HTTPS."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx

from sim_support.waiting import wait_until

SCRIPT = (
    "import typer; from tillflow_simulators.woocommerce.cli import woocommerce; "
    "typer.run(woocommerce)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_command_serves_seeded_shop_over_https_with_given_credentials(tmp_path: Path) -> None:
    port, http_port = _free_port(), _free_port()
    certificate = tmp_path / "shop.pem"
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "--port", str(port), "--http-port", str(http_port),
         "--certificate", str(certificate), "--consumer-key", "ck_a",
         "--consumer-secret", "cs_b", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"https://127.0.0.1:{port}/wp-json/wc/v3/products"

        def answer() -> httpx.Response | None:
            if not certificate.exists():
                return None
            try:
                trust = ssl.create_default_context(cafile=str(certificate))
                return httpx.get(url, auth=("ck_a", "cs_b"), verify=trust)
            except httpx.TransportError:
                return None

        response = wait_until(
            answer, timeout=15, interval=0.1, message="the simulator never answered"
        )
        assert response.status_code == 200
        assert len(response.json()) == 3
        plain = f"http://127.0.0.1:{http_port}/wp-json/wc/v3/products"
        assert httpx.get(plain, auth=("ck_a", "cs_b")).status_code == 401
    finally:
        process.terminate()
        process.communicate(timeout=10)
