"""A demo store: a generated catalog, stock in two stores and a warehouse, and some history."""

from __future__ import annotations

import random
from decimal import Decimal

from tillflow.domain.gtin import with_check_digit
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.services import catalog, locations, returns, sales, shifts
from tillflow.services.context import SYSTEM, Actor, ServiceContext
from tillflow.services.inventory import record_movements

PRODUCT_COUNT = 520
ADJECTIVES = ("Organic", "Classic", "Smoked", "Fresh", "Roasted", "Spicy", "Golden", "Wild",
              "Sparkling", "Dark", "Creamy", "Crunchy", "Salted", "Sweet", "Alpine")
NOUNS = ("Coffee Beans", "Green Tea", "Olive Oil", "Sourdough", "Cheddar", "Almonds",
         "Honey", "Chocolate", "Lemonade", "Pasta", "Granola", "Salsa", "Mustard", "Cider",
         "Jam", "Crackers", "Yogurt", "Rice", "Peanut Butter", "Apple Juice")
SIZES = ("250 g", "500 g", "1 kg", "330 ml", "750 ml", "1 l", "6 pack", "12 pack")
TAX_RATES = ("0.08", "0.08", "0.08", "0.05", "0")
LOCATIONS = (("S1", "Main Street store", "store"), ("S2", "Harbour store", "store"),
             ("WH", "Central warehouse", "warehouse"))
REGISTERS = (("R1", "S1"), ("R2", "S2"))
CASHIER = Actor(name="demo cashier", role="cashier")


def demo_barcode(n: int) -> str:
    # A fictitious GS1 company prefix outside the in-store (20-29) range.
    return with_check_digit(f"4006381{n:05d}")


def seed(ctx: ServiceContext, *, products: int = PRODUCT_COUNT,
         seed_value: int = 7) -> list[str]:
    """Build the store; returns the ids of the sales, return and shift it recorded."""
    rng = random.Random(seed_value)
    for code, name, kind in LOCATIONS:
        locations.create_location(ctx, code=code, name=name, kind=kind)
    for code, location in REGISTERS:
        locations.create_register(ctx, code=code, location_code=location)
    skus = _catalog(ctx, rng, products)
    _stock(ctx, rng, skus)
    return _history(ctx, rng, skus)


def _catalog(ctx: ServiceContext, rng: random.Random, count: int) -> list[str]:
    skus = []
    for n in range(1, count + 1):
        name = (f"{ADJECTIVES[n % len(ADJECTIVES)]} {NOUNS[(n // len(ADJECTIVES)) % len(NOUNS)]}"
                f" {SIZES[n % len(SIZES)]}")
        price = Decimal(rng.randrange(99, 4999)) / 100
        sku = f"SKU-{n:05d}"
        catalog.create_product(ctx, catalog.ProductInput(
            sku=sku, name=name, price=str(price), tax_rate=rng.choice(TAX_RATES),
            barcodes=[demo_barcode(n)],
        ))
        skus.append(sku)
    return skus


def _stock(ctx: ServiceContext, rng: random.Random, skus: list[str]) -> None:
    with ctx.uow() as uow:
        sites = uow.locations.all()
        ids = {sku: p.id for sku, p in uow.products.for_checkout(skus).items()}
        movements = [
            Movement(ids[sku], site.id, MovementKind.RECEIPT,
                     Decimal(rng.randrange(5, 200 if site.kind == "warehouse" else 40)),
                     reason="opening stock")
            for sku in skus for site in sites
        ]
        record_movements(uow, SYSTEM, {i: s for s, i in ids.items()}, sites, movements)
        uow.commit()


def _history(ctx: ServiceContext, rng: random.Random, skus: list[str]) -> list[str]:
    shift = shifts.open_shift(ctx, CASHIER, "R1", "150.00")
    sold = []
    for _ in range(12):
        lines = [sales.SaleLineRequest(sku=rng.choice(skus), quantity=rng.randrange(1, 4))
                 for _ in range(rng.randrange(1, 5))]
        draft, _created = sales.record_sale(ctx, CASHIER, sales.SaleRequest(
            location="S1", register="R1", lines=lines,
            payments=[sales.TenderRequest(method="cash", amount="1000.00")],
        ))
        sold.append(draft)
    first = sold[0]
    refund = returns.record_return(ctx, CASHIER, first.id, returns.ReturnRequest(
        lines=[returns.ReturnLineRequest(sku=first.lines[0].sku, quantity=1)], register="R1",
    ))
    shifts.move_cash(ctx, CASHIER, shift.id, amount="-100.00", reason="safe drop")
    report = shifts.current_report(ctx, shift.id)
    shifts.close_shift(ctx, CASHIER, shift.id, report["expected_cash"])
    for register, _location in REGISTERS:
        shifts.open_shift(ctx, CASHIER, register, "150.00")
    return [*(sale.id for sale in sold), refund.id, shift.id]
