"""A store with a Stripe connection (pointed at localstripe) for the card payment tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from support.api import Api
from tillflow.services.payments.gateways import gateways_of

TEST_KEY = "sk_test_tillflow"
WEBHOOK_SECRET = "whsec_tillflow_test"


@dataclass
class CardShop:
    api: Api
    connection: str = "stripe"
    sku: str = "TEA"
    location: str = "S1"
    register: str = "R1"

    def sale_body(self, *payments: dict[str, Any], quantity: int = 1) -> dict[str, Any]:
        return {"location": self.location, "register": self.register,
                "lines": [{"sku": self.sku, "quantity": quantity}],
                "payments": list(payments)}

    def card(self, amount: str, payment_method: str = "pm_card_visa") -> dict[str, Any]:
        return {"method": "card", "amount": amount, "connection": self.connection,
                "payment_method": payment_method}

    def sell(self, *payments: dict[str, Any], key: str | None = None,
             quantity: int = 1) -> httpx.Response:
        return self.api.post("/sales", self.sale_body(*payments, quantity=quantity),
                             role="cashier",
                             headers={"Idempotency-Key": key or uuid.uuid4().hex})


@contextmanager
def card_shop(api: Api, api_base: str, *, price: str = "5.00",
              settings: dict[str, Any] | None = None) -> Iterator[CardShop]:
    """TEA at ``price`` (tax 10%), stock 50 at S1, register R1 with a shift, a connection."""
    shop = CardShop(api)
    api.location(shop.location)
    api.product(shop.sku, price, tax_rate="0.1")
    api.stock(shop.sku, shop.location, 50)
    api.register_with_shift(shop.register, shop.location)
    api.ok(api.post("/connections", {
        "name": shop.connection, "platform": "stripe",
        "settings": {"api_base": api_base, **(settings or {})},
        "secrets": {"api_key": TEST_KEY, "webhook_secret": WEBHOOK_SECRET}}), 201)
    try:
        yield shop
    finally:
        gateways_of(api.ctx).close()
