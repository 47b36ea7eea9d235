"""A small HTTP client for tests: one token per role, JSON in and out."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx

from tillflow.services import tokens
from tillflow.services.context import ServiceContext

ROLES = ("admin", "manager", "cashier", "integration")


class Api:
    def __init__(self, client: httpx.Client, ctx: ServiceContext) -> None:
        self.client = client
        self.ctx = ctx
        self.tokens = {role: tokens.create_token(ctx, role=role, name=f"test {role}")
                       for role in ROLES}

    def headers(self, role: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return headers

    def get(self, path: str, *, role: str | None = "admin", **params: Any) -> httpx.Response:
        return self.client.get(f"/api/v1{path}", params=params or None,
                               headers=self.headers(role))

    def post(self, path: str, body: Any = None, *, role: str | None = "admin",
             headers: dict[str, str] | None = None) -> httpx.Response:
        return self.client.post(f"/api/v1{path}", json=body,
                                headers=self.headers(role, headers))

    def patch(self, path: str, body: Any, *, role: str | None = "admin") -> httpx.Response:
        return self.client.patch(f"/api/v1{path}", json=body, headers=self.headers(role))

    def ok(self, response: httpx.Response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    # Shortcuts that build the usual store, each asserting success.
    def location(self, code: str, *, kind: str = "store",
                 allow_negative_stock: bool = False) -> Any:
        return self.ok(self.post("/locations", {"code": code, "name": f"Location {code}",
                                                "kind": kind,
                                                "allow_negative_stock": allow_negative_stock}),
                       201)

    def product(self, sku: str, price: str = "10.00", *, tax_rate: str = "0.08",
                barcodes: list[str] | None = None) -> Any:
        return self.ok(self.post("/products", {"sku": sku, "name": f"Product {sku}",
                                               "price": price, "tax_rate": tax_rate,
                                               "barcodes": barcodes or []}), 201)

    def stock(self, sku: str, location: str, delta: int | str) -> Any:
        return self.ok(self.post("/inventory/adjustments", {
            "sku": sku, "location": location, "delta": delta, "reason": "test stock"}), 201)

    def register_with_shift(self, code: str, location: str, opening_float: str = "100.00") -> str:
        self.ok(self.post("/registers", {"code": code, "location": location}), 201)
        shift = self.ok(self.post(f"/registers/{code}/shifts",
                                  {"opening_float": opening_float}, role="cashier"), 201)
        return str(shift["id"])

    def session(self, register: str, *, name: str = "Ana", role: str = "cashier",
                pin: str = "1234") -> dict[str, str]:
        """The headers of ``name`` signed in with a PIN at ``register``, paired just now
        (the member is added first if new)."""
        added = self.post("/staff", {"name": name, "role": role, "pin": pin})
        assert added.status_code in (201, 409), added.text
        pairing = self.ok(self.post(f"/registers/{register}/pairings"), 201)["token"]
        signed_in = self.ok(self.client.post(
            "/api/v1/staff/sessions", json={"name": name, "pin": pin},
            headers={"Authorization": f"Bearer {pairing}"}), 201)
        return {"Authorization": f"Bearer {signed_in['token']}"}

    def on_hand(self, sku: str, location: str) -> int | str:
        levels = self.ok(self.get(f"/inventory/{sku}"))["levels"]
        found = [lvl["on_hand"] for lvl in levels if lvl["location"] == location]
        return found[0] if found else 0
