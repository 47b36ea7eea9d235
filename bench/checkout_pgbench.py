"""The database's own limit: ``pgbench`` replaying what one 3-line cash sale writes.

Two custom scripts run against the benchmark's database, on its real tables and indexes:

- ``writes``: one transaction with exactly the row writes of a sale (idempotency key,
  3 guarded stock updates, 3 ledger movements, document counter, sale, 3 lines,
  1 payment, 4 outbox events of the sizes tillflow writes), as few statements as can be.
- ``statements``: every statement tillflow sends for one ``POST /sales``, in order and
  one round trip each (the pool's ping, the token lookup in its own transaction, the
  reads of location, register, open shift and products), so the gap to ``writes`` is
  the cost of the conversation and the gap to tillflow the cost of the Python side.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.checkout_cpu import machine
from bench.checkout_store import BenchError

FALLBACK = Path("/usr/lib/postgresql/15/bin/pgbench")
SEQUENCE_PREFIX = "pgbench:"

_PICK = r"""\set p1 random(:p_lo, :p_a)
\set p2 random(:p_a + 1, :p_b)
\set p3 random(:p_b + 1, :p_hi)
\set reg :reg_lo + :client_id % :reg_n
"""

_CLAIM = """INSERT INTO idempotency_keys (scope, key, request_hash, resource_id, created_at)
  VALUES ('pgbench', gen_random_uuid()::text, :request_hash, gen_random_uuid()::text, now())
  RETURNING resource_id AS sale_id \\gset
"""

_WRITES = "".join(
    f"""UPDATE stock_levels SET on_hand = on_hand - 1000, updated_at = now()
  WHERE product_id = :p{n} AND location_id = :loc AND on_hand >= 1000
  RETURNING on_hand AS b{n} \\gset
""" for n in (1, 2, 3)
) + f"""INSERT INTO stock_movements (product_id, location_id, kind, quantity, balance_after,
  reason, reference, actor, occurred_at) VALUES
  (:p1, :loc, 'sale', -1000, :b1, NULL, 'sale:' || :sale_id, 'bench', now()),
  (:p2, :loc, 'sale', -1000, :b2, NULL, 'sale:' || :sale_id, 'bench', now()),
  (:p3, :loc, 'sale', -1000, :b3, NULL, 'sale:' || :sale_id, 'bench', now());
UPDATE document_sequences SET last_value = last_value + 1
  WHERE key = '{SEQUENCE_PREFIX}' || :client_id RETURNING last_value AS number \\gset
INSERT INTO sales (id, number, status, location_id, register_id, shift_id, customer_id,
  subtotal, order_discount, discount_total, tax_total, total, tendered, change_due,
  tax_inclusive, version, created_at, created_by)
  VALUES (:sale_id, 'PGB' || :client_id || '-' || :number, 'completed', :loc, :reg, NULL,
  NULL, 3000, 0, 0, 240, 3240, 10000, 6760, false, 1, now(), 'bench');
INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, quantity, unit_price,
  tax_rate, gross, line_discount, order_discount, net, tax, total) VALUES
  (:sale_id, 1, :p1, 'BENCH-0001', 'Product 1', 1000, 1000, 80000, 1000, 0, 0, 1000, 80, 1080),
  (:sale_id, 2, :p2, 'BENCH-0002', 'Product 2', 1000, 1000, 80000, 1000, 0, 0, 1000, 80, 1080),
  (:sale_id, 3, :p3, 'BENCH-0003', 'Product 3', 1000, 1000, 80000, 1000, 0, 0, 1000, 80, 1080);
INSERT INTO sale_payments (sale_id, seq, method, amount, reference)
  VALUES (:sale_id, 1, 'cash', 10000, NULL);
INSERT INTO events (type, occurred_at, data) VALUES
  ('stock.changed', now(), :stock_event), ('stock.changed', now(), :stock_event),
  ('stock.changed', now(), :stock_event), ('sale.completed', now(), :sale_event);
"""

WRITES_SCRIPT = _PICK + "BEGIN;\n" + _CLAIM + _WRITES + "COMMIT;\n"

STATEMENTS_SCRIPT = _PICK + """SELECT 1;
BEGIN;
SELECT api_tokens.id, api_tokens.name, api_tokens.role, registers.code,
  api_tokens.created_at, api_tokens.expires_at, api_tokens.last_used_at
  FROM api_tokens LEFT OUTER JOIN registers ON registers.id = api_tokens.register_id
  WHERE token_hash = :token_hash AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > now());
ROLLBACK;
SELECT 1;
BEGIN;
""" + _CLAIM + """SELECT id, code, name, kind, allow_negative_stock, created_at FROM locations
  WHERE id = :loc;
SELECT registers.id, registers.code, registers.location_id, locations.code
  FROM registers JOIN locations ON locations.id = registers.location_id
  WHERE registers.id = :reg;
SELECT id FROM shifts WHERE register_id = :reg AND status = 'open' FOR SHARE;
SELECT id, sku, name, price, tax_rate, active FROM products WHERE id IN (:p1, :p2, :p3);
""" + _WRITES + "COMMIT;\n"


@dataclass(frozen=True)
class PgbenchResult:
    script: str
    tps: float
    latency_ms: float
    transactions: int
    machine_cpu_seconds: float


def prepare(database_url: str, *, clients: int) -> dict[str, str]:
    """The scripts' variables, taken from the seeded store; creates the document counters."""
    with psycopg.connect(database_url) as connection:
        def row(query: str) -> tuple[Any, ...]:
            found = connection.execute(query).fetchone()
            if found is None:
                raise BenchError(f"pgbench needs data the run did not leave: {query}")
            return tuple(found)

        p_lo, p_hi, products = (int(v) for v in row(
            "SELECT min(id), max(id), count(*) FROM products"))
        reg_lo, reg_hi, registers = (int(v) for v in row(
            "SELECT min(id), max(id), count(*) FROM registers"))
        if p_hi - p_lo + 1 != products or reg_hi - reg_lo + 1 != registers:
            raise BenchError("pgbench expects contiguous product and register ids")
        variables = {
            "loc": str(row("SELECT id FROM locations")[0]),
            "stock_event": row("SELECT data::text FROM events WHERE type = 'stock.changed' "
                               "ORDER BY id DESC LIMIT 1")[0],
            "sale_event": row("SELECT data::text FROM events WHERE type = 'sale.completed' "
                              "ORDER BY id DESC LIMIT 1")[0],
            "token_hash": row("SELECT token_hash FROM api_tokens LIMIT 1")[0],
        }
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO document_sequences (key, last_value) VALUES (%s, 0)",
                               [(f"{SEQUENCE_PREFIX}{n}",) for n in range(clients)])
    third = (p_hi - p_lo + 1) // 3
    # Three disjoint id ranges, so each transaction locks stock rows in ascending order
    # as tillflow does, and two of them never deadlock.
    return {**variables, "p_lo": str(p_lo), "p_a": str(p_lo + third - 1),
            "p_b": str(p_lo + 2 * third - 1), "p_hi": str(p_hi), "reg_lo": str(reg_lo),
            "reg_n": str(registers), "request_hash": "0" * 64}


def run_pgbench(database_url: str, *, name: str, script: str, variables: dict[str, str],
                clients: int, threads: int, seconds: int) -> PgbenchResult:
    executable = shutil.which("pgbench") or str(FALLBACK)
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as file:
        file.write(script)
        file.flush()
        command = [executable, "--no-vacuum", "--protocol=prepared", f"--client={clients}",
                   f"--jobs={threads}", f"--time={seconds}", f"--file={file.name}",
                   *(f"--define={key}={value}" for key, value in variables.items()),
                   database_url]
        busy_before, _ = machine()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        busy_after, _ = machine()
    if done.returncode != 0:
        raise BenchError(f"pgbench ({name}) failed:\n{done.stdout}{done.stderr}")
    return PgbenchResult(script=name, tps=_figure(done.stdout, r"tps = ([\d.]+)"),
                         latency_ms=_figure(done.stdout, r"latency average = ([\d.]+) ms"),
                         transactions=int(_figure(
                             done.stdout, r"number of transactions actually processed: (\d+)")),
                         machine_cpu_seconds=busy_after - busy_before)


def _figure(output: str, pattern: str) -> float:
    found = re.search(pattern, output)
    if found is None:
        raise BenchError(f"no {pattern!r} in the pgbench output:\n{output}")
    return float(found.group(1))
