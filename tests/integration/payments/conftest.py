"""localstripe, a stateful fake Stripe server, run on loopback for the payment tests."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stripe

from support.peer_cache import installed
from support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]
PEER = ROOT / "tests" / "peers" / "localstripe"
TEST_KEY = "sk_test_tillflow"


def _start() -> tuple[subprocess.Popen[str], str]:
    python = installed("localstripe", timeout=300) / "bin" / "python"
    process = subprocess.Popen(
        [str(python), str(PEER / "serve.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
    )
    assert process.stdout is not None
    announced = process.stdout.readline().split()
    if announced[:1] != ["PORT"]:
        process.kill()
        pytest.fail(f"localstripe did not start: {announced}")
    return process, f"http://127.0.0.1:{announced[1]}"


def _serving(url: str) -> bool:
    try:
        reply = httpx.get(f"{url}/v1/customers", auth=(TEST_KEY, ""), timeout=1.0)
    except httpx.TransportError:
        return False
    return reply.status_code == 200


@pytest.fixture(scope="session")
def localstripe_server() -> Iterator[str]:
    process, url = _start()
    try:
        wait_until(lambda: _serving(url), timeout=20, interval=0.05,
                   message="localstripe did not answer")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def localstripe(localstripe_server: str) -> str:
    """The server's URL, with every object from earlier tests wiped."""
    httpx.delete(f"{localstripe_server}/_config/data", timeout=5.0).raise_for_status()
    return localstripe_server


@pytest.fixture
def stripe_client(localstripe: str) -> stripe.StripeClient:
    """The official client pointed at localstripe, without retries that would hide errors."""
    return stripe.StripeClient(TEST_KEY, base_addresses={"api": localstripe}, max_network_retries=0)
