"""The store the checkout benchmark sells from, built through the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from bench.checkout_store import BenchError

LOCATION = "BENCH"
INITIAL_STOCK = 1_000_000
# Covers three lines at the highest price with tax, so every sale gives change.
CASH_TENDERED = "100.00"


@dataclass(frozen=True)
class Store:
    location: str
    skus: tuple[str, ...]
    registers: tuple[str, ...]


def seed_store(*, url: str, token: str, products: int, registers: int) -> Store:
    """A store with ``products`` well-stocked products and that many registers, shifts open."""
    skus = tuple(f"BENCH-{n:04d}" for n in range(products))
    codes = tuple(f"B{n:03d}" for n in range(registers))
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30.0,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        _post(api, "/locations", {"code": LOCATION, "name": "Benchmark store", "kind": "store"})
        for n, sku in enumerate(skus):
            _post(api, "/products", {"sku": sku, "name": f"Product {n}", "price": _price(n),
                                     "tax_rate": "0.08"})
            _post(api, "/inventory/adjustments", {"sku": sku, "location": LOCATION,
                                                  "delta": INITIAL_STOCK, "kind": "receipt",
                                                  "reason": "benchmark stock"})
        for code in codes:
            _post(api, "/registers", {"code": code, "location": LOCATION})
            _post(api, f"/registers/{code}/shifts", {"opening_float": "100.00"})
    return Store(location=LOCATION, skus=skus, registers=codes)


def _price(n: int) -> str:
    """Prices from 1.00 to 19.99, spread so that sales have varied totals."""
    return f"{1 + n % 19}.{n * 37 % 100:02d}"


def _post(api: httpx.Client, path: str, body: dict[str, Any]) -> None:
    response = api.post(path, json=body)
    if response.status_code != 201:
        raise BenchError(f"seeding POST {path} answered {response.status_code}: {response.text}")
