"""The catalog API with products of many variants: making them, and what a register reads.

Seeds ``--products`` products of ``--variants`` variants each (two options) through
``POST /api/v1/products`` on a scratch SQLite file (or ``--postgres URL``), in process,
then times: reading the whole catalog as a register does (``GET /products`` pages of 500,
with their products' options), a search by name, a category filter, a page of
``GET /product-groups`` and a change of one product (``PATCH /product-groups/{id}``).

    .venv/bin/python bench/catalog_variants.py [--products 2000] [--variants 10]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.uow import SqlStore
from tillflow.services import tokens
from tillflow.services.context import ServiceContext

SIZES = ["XS", "S", "M", "L", "XL"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--variants", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--simple", action="store_true",
                        help="products of one SKU each (the single-SKU body), to compare")
    parser.add_argument("--postgres", help="an empty PostgreSQL database's URL")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.postgres or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = build_engine(url)
        config = initialise(engine, currency="USD")
        ctx = ServiceContext(SqlStore(engine), config, connectors=available.registry())
        token = tokens.create_token(ctx, role="admin", name="bench")
        with TestClient(create_app(ctx, max_body_bytes=10_000_000)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            _run(client, options)
        engine.dispose()


def _run(client: TestClient, options: argparse.Namespace) -> None:
    colours = [f"C{n}" for n in range(-(-options.variants // len(SIZES)))]
    started = time.perf_counter()
    make = _simple if options.simple else _product
    ids = [make(client, n, colours, options.variants) for n in range(options.products)]
    seconds = time.perf_counter() - started
    total = options.products * (1 if options.simple else options.variants)
    print(f"{options.products} products, {total} variants: made in {seconds:.1f} s "
          f"({1000 * seconds / options.products:.1f} ms a product)")
    _report("whole catalog, pages of 500", options.repeat // 4 or 1,
            lambda: _whole_catalog(client, total))
    _report("search by name (GET /products?query=)", options.repeat,
            lambda: _ok(client.get("/api/v1/products", params={"query": "Tee 77"})))
    _report("category (GET /products?category=)", options.repeat,
            lambda: _ok(client.get("/api/v1/products", params={"category": "Clothing/Line 3",
                                                               "limit": 100})))
    if options.simple and not _ok(client.get("/api/v1/openapi.json"))["paths"].get(
            "/api/v1/product-groups"):
        return  # a tillflow without products of their own
    _report("GET /product-groups?limit=50", options.repeat,
            lambda: _ok(client.get("/api/v1/product-groups", params={"limit": 50})))
    middle = ids[len(ids) // 2]
    names = iter(itertools.cycle(["Tee classic", "Tee"]))
    _report("PATCH /product-groups/{id} (rename)", options.repeat,
            lambda: _ok(client.patch(f"/api/v1/product-groups/{middle}",
                                     json={"name": next(names)})))


def _product(client: TestClient, n: int, colours: list[str], count: int) -> int:
    combos = [(s, c) for c in colours for s in SIZES][:count]
    body = {"name": f"Tee {n}", "tax_rate": "0.08", "category": f"Clothing/Line {n % 10}",
            "options": [{"name": "Size", "values": SIZES}, {"name": "Colour", "values": colours}],
            "variants": [{"sku": f"T{n}-{s}-{c}", "price": "15.00", "cost": "6.1250",
                          "options": {"Size": s, "Colour": c}} for s, c in combos]}
    made: int = _ok(client.post("/api/v1/products", json=body))["id"]
    return made


def _simple(client: TestClient, n: int, _colours: list[str], _count: int) -> int:
    body = {"sku": f"T{n}", "name": f"Tee {n}", "price": "15.00", "tax_rate": "0.08"}
    made: int = _ok(client.post("/api/v1/products", json=body)).get("product_id", n)
    return made


def _whole_catalog(client: TestClient, expected: int) -> None:
    seen, cursor = 0, None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if cursor:
            params["cursor"] = cursor
        page = _ok(client.get("/api/v1/products", params=params))
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected, (seen, expected)


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _report(what: str, repeat: int, call: Callable[[], object]) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{what}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({repeat} runs)")


if __name__ == "__main__":
    main()
