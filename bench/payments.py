"""Card sales per second end to end against localstripe, and what tillflow adds per payment.

    .venv/bin/python bench/payments.py [--registers 8] [--seconds 15] [--postgres URL]

Starts localstripe (the test peer, see tests/peers/localstripe), serves tillflow on a
scratch PostgreSQL database (or SQLite with ``--sqlite``) with uvicorn on loopback, and
runs N registers in closed loops posting one-line sales paid by card through a Stripe
connection (create PaymentIntent, confirm, capture: three gateway calls). Then the same
N loops call localstripe directly with the stripe library (the same three calls), and
prints both: sales/s and latency p50/p90/p99. localstripe answers one request at a time,
so under load its queue sets both figures; the overhead is therefore measured with one
register, alternating a tillflow card sale, the three calls made directly and a cash sale,
one of each in turn: the difference of the card and direct p50s is what tillflow adds to
a card payment (storing the payment before each call, recording the sale, the HTTP API);
the cash sale shows what the sale's own transaction and HTTP request cost there.
localstripe slows down as it keeps more objects (a card sale took 8 ms at first, 30 ms
after 1,000), so its data is wiped before each phase and the phases that are compared run
interleaved, each seeing the same store.
Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import stripe
import uvicorn
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the localstripe peer's helpers live with the tests

from support.peer_cache import installed  # noqa: E402
from tillflow.api.app import create_app  # noqa: E402
from tillflow.connectors import available  # noqa: E402
from tillflow.db.engine import build_engine  # noqa: E402
from tillflow.db.setup import initialise  # noqa: E402
from tillflow.db.uow import SqlStore  # noqa: E402
from tillflow.services import tokens  # noqa: E402
from tillflow.services.context import ServiceContext  # noqa: E402
from tillflow.services.payments.gateways import gateways_of  # noqa: E402

PEER = ROOT / "tests" / "peers" / "localstripe"
KEY = "sk_test_bench"
TARGET_MS = 10


@contextmanager
def localstripe() -> Iterator[str]:
    process = subprocess.Popen([str(installed("localstripe") / "bin" / "python"),
                                str(PEER / "serve.py"), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = f"http://127.0.0.1:{process.stdout.readline().split()[1]}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/v1/customers", auth=(KEY, ""), timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"tillflow_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def serving(ctx: ServiceContext) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=0,
                                           log_level="warning", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def seed(client: httpx.Client, registers: int, api_base: str) -> None:
    def post(path: str, body: object) -> None:
        client.post(f"/api/v1{path}", json=body).raise_for_status()

    post("/locations", {"code": "S1", "name": "Store"})
    post("/products", {"sku": "TEA", "name": "Tea", "price": "5.00", "tax_rate": "0.1"})
    post("/inventory/adjustments", {"sku": "TEA", "location": "S1", "delta": 1_000_000,
                                    "reason": "bench", "kind": "receipt"})
    for n in range(registers):
        post("/registers", {"code": f"R{n}", "location": "S1"})
        post(f"/registers/R{n}/shifts", {"opening_float": "100.00"})
    post("/connections", {"name": "stripe", "platform": "stripe",
                          "settings": {"api_base": api_base}, "secrets": {"api_key": KEY}})


def closed_loops(registers: int, seconds: float,
                 make: Callable[[int], Callable[[], None]]) -> list[float]:
    latencies: list[list[float]] = [[] for _ in range(registers)]
    stop = time.monotonic() + seconds

    def loop(n: int) -> None:
        once = make(n)
        while time.monotonic() < stop:
            started = time.perf_counter()
            once()
            latencies[n].append(time.perf_counter() - started)

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(registers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [x for own in latencies for x in own]


CARD = {"method": "card", "amount": "5.50", "connection": "stripe",
        "payment_method": "pm_card_visa"}
CASH = {"method": "cash", "amount": "5.50"}


def tillflow_sale(url: str, token: str,
                  tender: dict[str, str]) -> Callable[[int], Callable[[], None]]:
    def make(n: int) -> Callable[[], None]:
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
        body = {"location": "S1", "register": f"R{n}", "lines": [{"sku": "TEA", "quantity": 1}],
                "payments": [tender]}

        def once() -> None:
            reply = client.post("/api/v1/sales", json=body,
                                headers={"Idempotency-Key": uuid.uuid4().hex})
            if reply.status_code != 201:
                raise RuntimeError(reply.text)
        return once
    return make


def direct(api_base: str) -> Callable[[int], Callable[[], None]]:
    def make(_n: int) -> Callable[[], None]:
        client = stripe.StripeClient(KEY, base_addresses={"api": api_base},
                                     max_network_retries=0)

        def once() -> None:
            intent = client.v1.payment_intents.create(params={
                "amount": 550, "currency": "usd", "payment_method": "pm_card_visa",
                "capture_method": "manual"})
            client.v1.payment_intents.confirm(intent.id)
            client.v1.payment_intents.capture(intent.id, params={"amount_to_capture": 550})
        return once
    return make


def interleaved(seconds: float, makers: list[Callable[[int], Callable[[], None]]]
                ) -> list[list[float]]:
    """One register running each maker's call in turn; the latencies of each."""
    calls = [make(0) for make in makers]
    latencies: list[list[float]] = [[] for _ in makers]
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        for call, own in zip(calls, latencies, strict=True):
            started = time.perf_counter()
            call()
            own.append(time.perf_counter() - started)
    return latencies


def wipe(api_base: str) -> None:
    httpx.delete(f"{api_base}/_config/data", timeout=10).raise_for_status()


def report(name: str, latencies: list[float], seconds: float) -> float:
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    print(f"{name:<28} {len(ms) / seconds:8.1f}/s  p50 {p50:6.1f} ms  "
          f"p90 {ms[int(len(ms) * 0.9)]:6.1f} ms  p99 {ms[int(len(ms) * 0.99)]:6.1f} ms  "
          f"(n={len(ms)})")
    return p50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1/postgres")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    with localstripe() as api_base, database(None if args.sqlite else args.postgres) as url:
        engine = build_engine(url)
        ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
        token = tokens.create_token(ctx, role="admin", name="bench")
        with serving(ctx) as served:
            with httpx.Client(base_url=served,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                seed(client, args.registers, api_base)
            print(f"{args.registers} registers, {args.seconds:.0f} s each, "
                  f"{'SQLite' if args.sqlite else 'PostgreSQL'}, localstripe")
            sale = tillflow_sale(served, token, CARD)
            wipe(api_base)
            report("tillflow card sales (HTTP)",
                   closed_loops(args.registers, args.seconds, sale), args.seconds)
            wipe(api_base)
            report("localstripe direct (3 calls)",
                   closed_loops(args.registers, args.seconds, direct(api_base)), args.seconds)
            # One register at a time: localstripe serves one request at a time, so under
            # load its queue, not tillflow, sets the latency; alone, the gap is tillflow's.
            print("one register, alternating:")
            wipe(api_base)
            card, plain, cash = interleaved(args.seconds * 1.5, [
                sale, direct(api_base), tillflow_sale(served, token, CASH)])
            ours = report("  tillflow card sale (HTTP)", card, args.seconds * 1.5)
            theirs = report("  localstripe direct", plain, args.seconds * 1.5)
            own = report("  tillflow cash sale (HTTP)", cash, args.seconds * 1.5)
        print(f"added by tillflow per card sale, p50: {ours - theirs:.1f} ms "
              f"(of which the sale itself, as a cash sale: {own:.1f} ms)")
        print(f"added per payment (card sale - direct calls - cash sale), p50: "
              f"{ours - theirs - own:.1f} ms (target: under {TARGET_MS} ms)")
        gateways_of(ctx).close()
        engine.dispose()


if __name__ == "__main__":
    main()
