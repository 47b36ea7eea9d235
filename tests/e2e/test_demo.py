"""`tillflow demo` from a fresh folder: a store a newcomer can use at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.live_server import free_port
from support.waiting import wait_until
from tillflow.domain.gtin import is_valid_gtin


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLFLOW_")}
    env["TILLFLOW_HOME"] = str(tmp_path / "home")
    process = subprocess.Popen(
        [sys.executable, "-m", "tillflow", "demo", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
    )
    try:
        token = _read_token(process)
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url)
        yield url, token
    finally:
        process.terminate()
        process.communicate(timeout=20)


def _read_token(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if line.startswith("admin token:"):
            return line.split(":", 1)[1].strip()
        assert time.monotonic() < deadline, "the demo took too long to start"
    raise AssertionError(f"the demo exited with {process.wait()}")


def _wait_until_serving(url: str) -> None:
    def answering() -> bool:
        try:
            httpx.get(f"{url}/api/v1/health", timeout=1)
        except httpx.TransportError:
            return False
        return True

    # Its shops are seeded before it serves: slow on a busy machine, never stuck.
    wait_until(answering, timeout=60, interval=0.1, message="the demo never answered")


def test_the_demo_store_is_ready_to_sell(demo: tuple[str, str]) -> None:
    url, token = demo
    with httpx.Client(base_url=f"{url}/api/v1",
                      headers={"Authorization": f"Bearer {token}"}) as client:
        skus, barcodes, cursor = [], [], None
        while True:
            page = client.get("/products", params={"limit": 500} | (
                {"cursor": cursor} if cursor else {})).json()
            skus += [p["sku"] for p in page["items"]]
            barcodes += [b for p in page["items"] for b in p["barcodes"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(skus) >= 500
        assert len(barcodes) >= 500
        assert all(len(b) == 13 and is_valid_gtin(b) for b in barcodes)
        kinds = sorted(loc["kind"] for loc in client.get("/locations").json()["items"])
        assert kinds == ["store", "store", "warehouse"]
        register = client.get("/registers/R1").json()
        assert register["open_shift"]
        events, after = [], 0
        while page := client.get("/events", params={"limit": 500, "after": after}).json():
            if not page["events"]:
                break
            events += page["events"]
            after = page["next_after"]
        assert any(e["type"] == "sale.completed" for e in events)
        assert any(e["type"] == "shift.closed" for e in events)
        sale = client.post("/sales", json={
            "location": "S1", "register": "R1", "lines": [{"sku": skus[0], "quantity": 1}],
            "payments": [{"method": "cash", "amount": "100.00"}]})
        assert sale.status_code == 201, sale.text
