"""Checkout benchmark: concurrent tills posting 3-line cash sales to ``tillflow serve``.

Creates a scratch PostgreSQL database, serves tillflow on it, seeds a store through the
API, drives it with N closed-loop clients, prints throughput, latency, errors and where
the CPU went, checks that the database holds exactly the sales that were answered, then
runs pgbench with the same row writes per transaction for the database's own limit.
Everything it created is stopped and dropped at the end, on errors and Ctrl-C too.

    .venv/bin/python bench/checkout.py [--clients 16] [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import psycopg

# Run as a script, Python puts this folder first on the path; the helpers are imported
# as the ``bench`` package, so the repository root goes there instead.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout_cpu import CpuMeter, CpuUsage
from bench.checkout_load import LoadPlan, LoadReport, ignore_interrupts, run_clients
from bench.checkout_pgbench import (
    STATEMENTS_SCRIPT,
    WRITES_SCRIPT,
    PgbenchResult,
    prepare,
    run_pgbench,
)
from bench.checkout_seed import Store, seed_store
from bench.checkout_store import (
    BenchError,
    Database,
    Server,
    free_port,
    running_server,
    scratch_database,
    tillflow,
    tillflow_env,
)
from bench.checkout_verify import check_database

DESCRIPTION = "Checkout benchmark: concurrent tills posting 3-line cash sales to tillflow."
TARGET_SALES_PER_SECOND = 300
TARGET_P99_MS = 100
SPAWN_MARGIN = 2.0  # seconds for the client processes to start before the clock runs
POLL_SECONDS = 0.25  # how often the database's backends are looked up while measuring


@dataclass(frozen=True)
class Options:
    clients: int
    seconds: int
    warmup: int
    workers: int
    client_processes: int
    products: int
    postgres: str
    port: int
    pgbench_seconds: int
    pgbench: bool


@dataclass(frozen=True)
class Outcome:
    load: LoadReport
    cpu: CpuUsage
    options: Options

    @property
    def created(self) -> int:
        return self.load.statuses["201"]


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--clients", type=int, default=16, help="concurrent tills (registers)")
    parser.add_argument("--seconds", type=int, default=30, help="measured duration")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2, help="tillflow serve --workers")
    parser.add_argument("--client-processes", type=int, default=2,
                        help="processes sharing the clients, each one asyncio loop")
    parser.add_argument("--products", type=int, default=200, help="catalog size")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432",
                        help="server URL without a database (a scratch one is created)")
    parser.add_argument("--port", type=int, default=0, help="API port (0: a free one)")
    parser.add_argument("--pgbench-seconds", type=int, default=None,
                        help="duration of each pgbench script (default: --seconds)")
    parser.add_argument("--no-pgbench", action="store_true", help="skip the pgbench baseline")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds < 1 or args.products < 3:
        parser.error("need at least 1 client, 1 second and 3 products")
    return Options(clients=args.clients, seconds=args.seconds, warmup=args.warmup,
                   workers=args.workers,
                   client_processes=max(1, min(args.client_processes, args.clients)),
                   products=args.products, postgres=args.postgres.rstrip("/"),
                   port=args.port or free_port(),
                   pgbench_seconds=args.pgbench_seconds or args.seconds,
                   pgbench=not args.no_pgbench)


def run(options: Options) -> bool:
    """The whole benchmark; returns whether the database agreed with the answers."""
    with scratch_database(server_url=options.postgres) as database, \
            tempfile.TemporaryDirectory() as home:
        env = tillflow_env(database, Path(home))
        tillflow("init", env=env)
        token = tillflow("token", "create", "--role", "admin", "--name", "bench",
                         env=env).strip()
        with running_server(env=env, workers=options.workers, port=options.port) as server:
            store = seed_store(url=server.url, token=token, products=options.products,
                               registers=options.clients)
            outcome = drive(options, server=server, store=store, token=token,
                            database=database)
        print_outcome(outcome)
        problems = check_database(database_url=database.url, created=outcome.created, env=env)
        print_consistency(outcome.created, problems)
        if options.pgbench:
            print_pgbench(outcome, baseline(options, database))
    return not problems


def drive(options: Options, *, server: Server, store: Store, token: str,
          database: Database) -> Outcome:
    start = time.time() + SPAWN_MARGIN
    measure_from = start + options.warmup
    end = measure_from + options.seconds
    shares = [store.registers[n::options.client_processes]
              for n in range(options.client_processes)]
    plans = [LoadPlan(url=server.url, token=token, location=store.location, registers=share,
                      skus=store.skus, start=start, measure_from=measure_from, end=end,
                      seed=n)
             for n, share in enumerate(shares)]
    print(f"driving {options.clients} clients in {len(plans)} processes for "
          f"{options.warmup} s warm-up + {options.seconds} s ...", flush=True)
    # Leaving the pool terminates its processes, so Ctrl-C stops the clients too.
    with psycopg.connect(database.url, autocommit=True) as monitor, \
            multiprocessing.get_context("spawn").Pool(len(plans),
                                                      initializer=ignore_interrupts) as pool:
        meter = CpuMeter(server_pid=server.pid, monitor=monitor, database=database.name)
        pending = [pool.apply_async(run_clients, (plan,)) for plan in plans]
        _sleep_until(measure_from)
        meter.start()
        while time.time() < end:
            time.sleep(min(POLL_SECONDS, max(0.0, end - time.time())))
            meter.poll()
        cpu = meter.stop()
        load = LoadReport()
        for result in pending:
            load.merge(result.get())
    return Outcome(load=load, cpu=cpu, options=options)


def baseline(options: Options, database: Database) -> list[PgbenchResult]:
    variables = prepare(database.url, clients=options.clients)
    print(f"pgbench: {options.clients} clients, {options.pgbench_seconds} s per script ...",
          flush=True)
    return [run_pgbench(database.url, name=name, script=script, variables=variables,
                        clients=options.clients, threads=min(options.clients, 2),
                        seconds=options.pgbench_seconds)
            for name, script in (("writes", WRITES_SCRIPT), ("statements", STATEMENTS_SCRIPT))]


def print_outcome(outcome: Outcome) -> None:
    options, load, cpu = outcome.options, outcome.load, outcome.cpu
    ok = load.window_statuses["201"]
    rate = ok / options.seconds
    latencies = sorted(load.window_latencies)
    p50, p90, p99 = (_percentile(latencies, q) * 1000 for q in (50, 90, 99))
    worst = latencies[-1] * 1000 if latencies else 0.0
    print(f"\ntillflow checkout: {options.clients} clients, {options.workers} server "
          f"worker(s), {options.seconds} s measured")
    print(f"  sales/s        {rate:8.1f}")
    print(f"  latency ms     p50 {p50:.1f}   p90 {p90:.1f}   p99 {p99:.1f}   max {worst:.1f}")
    answers = "   ".join(f"{status}: {count}" for status, count in
                         sorted(load.window_statuses.items()))
    print(f"  answers        {answers or 'none'}")
    seconds = options.seconds
    client = load.window_cpu_seconds
    other = cpu.machine_busy - cpu.server - cpu.database - client
    print(f"  CPU cores      server {cpu.server / seconds:.2f}   postgres backends "
          f"{cpu.database / seconds:.2f}   clients {client / seconds:.2f}   other "
          f"{other / seconds:.2f}   machine busy {cpu.machine_busy / cpu.machine_total:.0%}")
    if cpu.new_connections:
        print(f"  connections    the server opened {cpu.new_connections} new database "
              "connections while measuring (pool churn)")
    if ok:
        print(f"  CPU ms/sale    server {cpu.server / ok * 1000:.2f}   postgres backends "
              f"{cpu.database / ok * 1000:.2f}   clients {client / ok * 1000:.2f}   machine "
              f"{cpu.machine_busy / ok * 1000:.2f}")
    met = rate >= TARGET_SALES_PER_SECOND and p99 < TARGET_P99_MS
    print(f"  target         >= {TARGET_SALES_PER_SECOND} sales/s with p99 < {TARGET_P99_MS} "
          f"ms: {'met' if met else 'NOT met'}")


def print_consistency(created: int, problems: list[str]) -> None:
    if not problems:
        print(f"  consistency    {created} sales answered 201 in the whole run; the database "
              "holds exactly those (sales, keys, lines, stock movements, events, stock "
              "levels; tillflow stock verify agrees)")
        return
    print(f"  consistency    {created} sales answered 201, but:")
    for problem in problems:
        print(f"    - {problem}")


def print_pgbench(outcome: Outcome, results: list[PgbenchResult]) -> None:
    rate = outcome.load.window_statuses["201"] / outcome.options.seconds
    print(f"\npgbench, {outcome.options.clients} clients, same database and tables:")
    for result in results:
        ratio = rate / result.tps if result.tps else 0.0
        per_transaction = result.machine_cpu_seconds / max(result.transactions, 1) * 1000
        print(f"  {result.script:<11}  {result.tps:8.1f} tps   latency avg "
              f"{result.latency_ms:.1f} ms   machine CPU {per_transaction:.2f} ms/transaction   "
              f"tillflow/pgbench {ratio:.2f}")


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        consistent = run(options)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: server stopped, database dropped", file=sys.stderr)
        return 130
    return 0 if consistent else 1


if __name__ == "__main__":
    sys.exit(main())
