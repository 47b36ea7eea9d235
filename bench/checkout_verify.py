"""After the run: the database must hold exactly the sales the clients were told about."""

from __future__ import annotations

import subprocess

import psycopg

from bench.checkout_load import LINES_PER_SALE
from bench.checkout_store import TILLFLOW


def check_database(*, database_url: str, created: int, env: dict[str, str]) -> list[str]:
    """Every disagreement found, as a sentence; an empty list means all is consistent."""
    problems = []
    with psycopg.connect(database_url) as connection:
        def count(query: str) -> int:
            row = connection.execute(query).fetchone()
            return int(row[0]) if row else 0

        lines = created * LINES_PER_SALE
        figures = {
            "sales": (count("SELECT count(*) FROM sales"), created),
            "idempotency keys": (count(
                "SELECT count(*) FROM idempotency_keys WHERE scope = 'sales'"), created),
            "sale.completed events": (count(
                "SELECT count(*) FROM events WHERE type = 'sale.completed'"), created),
            "sale lines": (count("SELECT count(*) FROM sale_lines"), lines),
            "sale stock movements": (count(
                "SELECT count(*) FROM stock_movements WHERE kind = 'sale'"), lines),
        }
        problems += [f"{name}: {found} in the database, {expected} expected from {created} "
                     "sales answered 201"
                     for name, (found, expected) in figures.items() if found != expected]
        # On hand must be what was received less what the sale lines took (both columns
        # hold the same scaled units, so no conversion is needed).
        off = count("""
            SELECT count(*) FROM stock_levels l
            LEFT JOIN (SELECT product_id, location_id, sum(quantity) AS received
                       FROM stock_movements WHERE kind = 'receipt'
                       GROUP BY product_id, location_id) r
              ON r.product_id = l.product_id AND r.location_id = l.location_id
            LEFT JOIN (SELECT product_id, sum(quantity) AS sold FROM sale_lines
                       GROUP BY product_id) s ON s.product_id = l.product_id
            WHERE l.on_hand <> coalesce(r.received, 0) - coalesce(s.sold, 0)""")
        if off:
            problems.append(f"{off} stock levels differ from received stock minus sold lines")
    verified = subprocess.run([str(TILLFLOW), "stock", "verify"], env=env, capture_output=True,
                              text=True, check=False)
    if verified.returncode != 0:
        problems.append(f"tillflow stock verify: {verified.stdout.strip()}")
    return problems
