"""The register's totals (money.js, run in Chromium) equal the server's pricing to the cent,
so what the cashier shows and what an offline receipt prints is what gets recorded."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from playwright.sync_api import Page

from support.register_store import Store
from tillflow.domain.money import Currency
from tillflow.domain.sales import LineInput, price_sale

USD = Currency.of("USD")
RATES = ("0", "0.05", "0.08", "0.0825", "0.19", "0.2")
CARTS = 300

PRICE_IN_BROWSER = """async (carts) => {
  const { priceSale } = await import("/register/js/money.js");
  return carts.map((cart) => {
    const priced = priceSale(cart.lines, cart);
    return [priced.lines.map((l) => [l.tax, l.total]), priced.taxTotal, priced.total];
  });
}"""


def _cart(rng: random.Random) -> tuple[dict[str, Any], list[LineInput], Decimal, bool]:
    lines, inputs = [], []
    for n in range(rng.randint(1, 6)):
        thousandths = rng.choice([1000, 2000, 3000, rng.randint(1, 5000)])
        price = rng.randint(1, 20000)
        gross = USD.round(Decimal(thousandths) / 1000 * Decimal(price) / 100)
        discount = rng.choice([0, 0, rng.randint(0, int(gross * 100))])
        rate = rng.choice(RATES)
        lines.append({"quantity": thousandths, "unitPrice": price, "discount": discount,
                      "taxRate": rate})
        inputs.append(LineInput(sku=f"S{n}", quantity=Decimal(thousandths) / 1000,
                                unit_price=Decimal(price) / 100,
                                discount=Decimal(discount) / 100, tax_rate=Decimal(rate)))
    left = sum(int(USD.round(i.quantity * i.unit_price) * 100) - int(i.discount * 100)
               for i in inputs)
    order = rng.choice([0, rng.randint(0, max(left, 0))])
    inclusive = rng.random() < 0.3
    cart = {"lines": lines, "orderDiscount": order, "taxInclusive": inclusive}
    return cart, inputs, Decimal(order) / 100, inclusive


def test_register_totals_match_the_server_to_the_cent(page: Page, store: Store) -> None:
    rng = random.Random(20261126)
    carts = [_cart(rng) for _ in range(CARTS)]
    page.goto(f"{store.url}/register/")
    in_browser = page.evaluate(PRICE_IN_BROWSER, [c[0] for c in carts])
    for (_, inputs, order, inclusive), (lines, tax_total, total) in zip(
            carts, in_browser, strict=True):
        server = price_sale(inputs, order_discount=order, tax_inclusive=inclusive, currency=USD)
        assert [[int(line.tax * 100), int(line.total * 100)] for line in server.lines] == lines
        assert (int(server.tax_total * 100), int(server.total * 100)) == (tax_total, total)
