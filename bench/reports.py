"""Sales reports on a million sales: every ``group_by`` over 30 days and over a year.

Run: ``.venv/bin/python bench/reports.py`` (``--sales N``, ``--days D`` of history,
``--runs R``, ``--postgres URL``). It creates a scratch PostgreSQL database, migrates it,
loads the history with COPY (sales, lines, web orders' shipping, returns), asks the
reports service for each grouping over the last 30 days and the last 365 days, prints
p50/p99 of each, checks that the year's rows agree with the sales to the cent, and
prints the plans (EXPLAIN ANALYZE) of the slowest report's queries. The scratch
database is dropped at the end, whatever happened.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout_store import BenchError, scratch_database
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.store_details import write_store_details
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.reports import GROUPINGS
from tillflow.domain.store import StoreConfig
from tillflow.services import reports
from tillflow.services.context import ServiceContext

RATES = (0, 50_000, 80_000, 200_000)  # scaled by 10^6 as stored: 0 %, 5 %, 8 %, 20 %
PRODUCTS = 2_000
REGISTERS = ("R1", "R2", "R3", "R4")
STAFF = ("Ana", "Bo", "Cleo", "Dev", "Eli", "Fay")
TIMEZONE = "America/New_York"
WEB_SHARE, RETURN_SHARE, OFFLINE_SHARE = 0.05, 0.03, 0.02
COPY_BATCH = 50_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730, help="days of history")
    parser.add_argument("--runs", type=int, default=11, help="runs of each report")
    parser.add_argument("--seed", type=int, default=16)
    options = parser.parse_args()
    try:
        with scratch_database(server_url=options.postgres) as database:
            run(database.url, options)
    except BenchError as exc:
        print(f"reports bench: {exc}", file=sys.stderr)
        return 1
    return 0


def run(url: str, options: argparse.Namespace) -> None:
    engine = build_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        initialise(engine, currency="USD")
        with engine.begin() as connection:
            write_store_details(connection, timezone=TIMEZONE)
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        started = time.perf_counter()
        counts = load_history(url, random.Random(options.seed), sales=options.sales,
                              days=options.days, end=end)
        print(f"history: {counts} in {time.perf_counter() - started:.0f} s "
              f"({options.days} days to {end.date()}, store in {TIMEZONE})")
        ctx = ServiceContext(SqlStore(engine), StoreConfig(currency=Currency.of("USD")))
        measure(ctx, engine, end=end, runs=options.runs)
        check_agreement(ctx, engine, end=end)
    finally:
        engine.dispose()


# Loading the history


def load_history(url: str, rng: random.Random, *, sales: int, days: int,
                 end: datetime) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        location, registers, staff, products = seed(connection, rng)
        rows = History(rng, location=location, registers=registers, staff=staff,
                       products=products, days=days, sales=sales, end=end)
        for start in range(0, sales, COPY_BATCH):
            rows.make(range(start, min(sales, start + COPY_BATCH)))
            rows.copy_into(connection)
        connection.commit()
        # What autovacuum does to a live store: statistics, and the visibility map that
        # lets the reports read their indexes alone.
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        return {table: int(connection.execute(
                    f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
                for table in ("sales", "sale_lines", "sale_charges", "returns")}


def seed(connection: psycopg.Connection[Any], rng: random.Random,
         ) -> tuple[int, list[int], list[tuple[int, str]], list[tuple[int, str, int, int]]]:
    now = datetime.now(UTC)
    location = connection.execute(
        "INSERT INTO locations (code, name, kind, allow_negative_stock, created_at) "
        "VALUES ('S1', 'Store', 'store', true, %s) RETURNING id", (now,)).fetchone()[0]  # type: ignore[index]
    registers = [connection.execute(
        "INSERT INTO registers (code, location_id, created_at) VALUES (%s, %s, %s) "
        "RETURNING id", (code, location, now)).fetchone()[0]  # type: ignore[index]
        for code in REGISTERS]
    staff = [(connection.execute(
        "INSERT INTO staff_members (name, role, pin_hash, created_at) "
        "VALUES (%s, 'cashier', 'x', %s) RETURNING id", (name, now)).fetchone()[0], name)  # type: ignore[index]
        for name in STAFF]
    products = []
    for n in range(PRODUCTS):
        price, rate = rng.randrange(100, 10_000), rng.choice(RATES)
        product_id = connection.execute(
            "INSERT INTO products (sku, name, price, tax_rate, active, version, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, true, 1, %s, %s) RETURNING id",
            (f"SKU-{n:05d}", f"Product {n}", price, rate, now, now)).fetchone()[0]  # type: ignore[index]
        products.append((product_id, f"SKU-{n:05d}", price, rate))
    return location, registers, staff, products


class History:
    """Sales as COPY text, one batch at a time: 1-4 lines, a tenth of the lines
    discounted, web orders with shipping, offline sales made before they were recorded,
    and returns of a unit a few days later."""

    def __init__(self, rng: random.Random, *, location: int, registers: list[int],
                 staff: list[tuple[int, str]], products: list[tuple[int, str, int, int]],
                 days: int, sales: int, end: datetime) -> None:
        self.rng, self.location, self.registers = rng, location, registers
        self.staff, self.products, self.end = staff, products, end
        self.days, self.sales = days, sales
        self.first_day = end - timedelta(days=days)
        self.buffers: dict[str, io.StringIO] = {}

    def make(self, numbers: range) -> None:
        self.buffers = {name: io.StringIO() for name in
                        ("sales", "sale_lines", "sale_charges", "returns", "return_lines")}
        for n in numbers:
            self.sale(n)

    def sale(self, n: int) -> None:
        rng = self.rng
        sale_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        # In the order they were made, as a store records them, during New York's
        # opening hours (13:00-02:00 UTC); the same number each day.
        day, nth = divmod(n * self.days, self.sales)
        sold = self.first_day + timedelta(
            days=day, hours=13, seconds=nth * 13 * 3600 // self.sales + rng.randrange(60))
        web = rng.random() < WEB_SHARE
        offline = not web and rng.random() < OFFLINE_SHARE
        created = sold + timedelta(hours=rng.randrange(1, 48)) if offline else sold
        lines = self.lines(sale_id, sold)
        net, tax = sum(line.net for line in lines), sum(line.tax for line in lines)
        units = sum(line.quantity for line in lines)
        register = staff_id = created_by = external_id = None
        channel = "pos"
        if web:
            channel, external_id = "shopify", f"order-{n}"
            shipping = rng.choice((0, 499, 999))
            if shipping:
                self.write("sale_charges", sale_id, 1, "shipping", "Standard", 0, shipping, 0,
                           sold, 1, int(all(line.rate != 0 for line in lines)))
                net += shipping
        else:
            register = rng.choice(self.registers)
            staff_id, created_by = rng.choice(self.staff)
        total = net + tax
        self.write("sales", sale_id, f"B{n:08d}", "completed", self.location, register, net,
                   tax, total, channel, external_id, offline, created, created_by, sold,
                   staff_id, units * 1000, 0, 0, total, 0, False, 1)
        if rng.random() < RETURN_SHARE:
            self.returned(sale_id, n, lines[0], sold, register, staff_id, channel)

    def lines(self, sale_id: str, sold: datetime) -> list[Line]:
        rng, found, rates = self.rng, [], set()
        for line_no, (product_id, sku, price, rate) in enumerate(
                rng.sample(self.products, rng.choice((1, 2, 2, 3, 3, 4))), start=1):
            quantity = rng.choice((1, 1, 1, 2, 3))
            gross = price * quantity
            discount = gross // 10 if rng.random() < 0.1 else 0
            net = gross - discount
            tax = (net * rate + 500_000) // 1_000_000
            # Each SKU once a sale, so every line counts its sale for its SKU.
            self.write("sale_lines", sale_id, line_no, product_id, sku, f"Product {sku}",
                       quantity * 1000, price, rate, gross, discount, 0, net, tax, net + tax,
                       sold, 1, int(rate not in rates))
            rates.add(rate)
            found.append(Line(sku, rate, quantity, net, tax))
        return found

    def returned(self, sale_id: str, n: int, line: Line, sold: datetime,
                 register: int | None, staff_id: int | None, channel: str) -> None:
        net, tax = line.net // line.quantity, line.tax // line.quantity
        return_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        when = min(sold + timedelta(days=self.rng.randrange(1, 10)), self.end)
        self.write("returns", return_id, f"RB{n:08d}", sale_id, self.location, register,
                   net, tax, net + tax, when, staff_id, False, channel)
        self.write("return_lines", return_id, 1, line.sku, 1000, net, tax, line.rate)

    def write(self, table: str, *values: object) -> None:
        self.buffers[table].write("\t".join(_copy_text(v) for v in values) + "\n")

    def copy_into(self, connection: psycopg.Connection[Any]) -> None:
        for table, columns in COPY_COLUMNS.items():
            with connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(self.buffers[table].getvalue())


@dataclass(frozen=True)
class Line:
    sku: str
    rate: int
    quantity: int
    net: int
    tax: int


COPY_COLUMNS = {
    "sales": "id, number, status, location_id, register_id, subtotal, tax_total, total, "
             "channel, external_id, offline, created_at, created_by, sold_at, staff_id, units, "
             "order_discount, discount_total, tendered, change_due, tax_inclusive, version",
    "sale_lines": "sale_id, line_no, product_id, sku, name, quantity, unit_price, tax_rate, "
                  "gross, line_discount, order_discount, net, tax, total, sold_at, "
                  "counts_sale_for_sku, counts_sale_for_rate",
    "sale_charges": "sale_id, seq, kind, title, tax_rate, net, tax, sold_at, "
                    "counts_sale_for_kind, counts_sale_for_rate",
    "returns": "id, number, sale_id, location_id, register_id, net_total, tax_total, total, "
               "created_at, staff_id, restock, channel",
    "return_lines": "return_id, line_no, sku, quantity, net, tax, tax_rate",
}


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


# Measuring


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and their parameters) the engine runs meanwhile."""
    found: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def measure(ctx: ServiceContext, engine: Engine, *, end: datetime, runs: int) -> None:
    windows = {"30 days": 30, "365 days": 365}
    slowest: tuple[float, str, str] = (0.0, "", "")
    print(f"\n{'group_by':<10} {'period':<9} {'rows':>6} {'p50 ms':>8} {'p99 ms':>8}  target")
    for label, days in windows.items():
        start = (end - timedelta(days=days)).date().isoformat()
        for group_by in GROUPINGS:
            timings, rows = [], 0
            for _ in range(runs):
                began = time.perf_counter()
                rows = len(reports.sales_report(ctx, group_by=group_by, start=start,
                                                end=end.date().isoformat()))
                timings.append((time.perf_counter() - began) * 1000)
            p50, p99 = statistics.median(timings), _p99(timings)
            target = 300 if days == 30 else 2000
            print(f"{group_by:<10} {label:<9} {rows:>6} {p50:>8.1f} {p99:>8.1f}  "
                  f"{'ok' if p99 < target else 'OVER'} (< {target} ms)")
            slowest = max(slowest, (p99, group_by, start))
    explain(ctx, engine, group_by=slowest[1], start=slowest[2], end=end)


def _p99(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def explain(ctx: ServiceContext, engine: Engine, *, group_by: str, start: str,
            end: datetime) -> None:
    with captured(engine) as statements:
        reports.sales_report(ctx, group_by=group_by, start=start, end=end.date().isoformat())
    print(f"\nThe slowest report, group_by={group_by} from {start}: its queries' plans")
    with engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT") or "store_settings" in statement:
                continue
            raw = connection.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(row[0] for row in cursor.fetchall()))
            print()


def check_agreement(ctx: ServiceContext, engine: Engine, *, end: datetime) -> None:
    start = end - timedelta(days=365)
    rows = reports.sales_report(ctx, group_by="product", start=start.date().isoformat(),
                                end=end.date().isoformat())
    with engine.connect() as connection:
        period = {"start": _local_midnight(start), "end": _local_midnight(end)}
        sold = connection.execute(text(
            "SELECT coalesce(sum(total), 0) FROM sales WHERE sold_at >= :start "
            "AND sold_at < :end"), period).scalar_one()
        returned = connection.execute(text(
            "SELECT coalesce(sum(total), 0) FROM returns WHERE created_at >= :start "
            "AND created_at < :end"), period).scalar_one()
    reported = sum(Decimal(r["total"]) for r in rows)
    expected = Decimal(int(sold) - int(returned)).scaleb(-2)
    verdict = "agree" if reported == expected else "DISAGREE"
    print(f"the year by product totals {reported}; the sales less returns {expected}: {verdict}")
    if reported != expected:
        raise BenchError("the report disagrees with the sales")


def _local_midnight(moment: datetime) -> datetime:
    local = datetime.combine(moment.date(), datetime.min.time(), tzinfo=ZoneInfo(TIMEZONE))
    return local.astimezone(UTC)


if __name__ == "__main__":
    sys.exit(main())
