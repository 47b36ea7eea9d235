"""Receipt data shared by the device tests."""

from datetime import UTC, datetime
from decimal import Decimal

from tillflow.receipt_layout.data import (
    AmountLine,
    ReceiptData,
    ReceiptLine,
    StoreHeader,
    TaxLine,
    TenderLine,
)

STORE = StoreHeader(name="Café Élan", address_lines=("1 Rue de la Paix",), tax_id="FR123")
ISSUED = datetime(2025, 3, 1, 10, 30, tzinfo=UTC)


def sale(*, method: str = "cash") -> ReceiptData:
    return ReceiptData(
        kind="sale",
        store=STORE,
        document_number="S-000042",
        document_id="0b6f7c1e-6d0c-4c9e-9a55-4a1f5c2b9d10",
        issued_at=ISSUED,
        currency="EUR",
        lines=(
            ReceiptLine(
                description="Crème brûlée",
                quantity=Decimal(2),
                unit_price=Decimal("4.50"),
                line_total=Decimal("9.00"),
            ),
            ReceiptLine(
                description="Tomatoes (loose)",
                quantity=Decimal("1.275"),
                unit_price=Decimal("3.20"),
                line_total=Decimal("3.58"),
                discount=Decimal("0.50"),
            ),
        ),
        taxes=(TaxLine(rate=Decimal("0.10"), base=Decimal("11.44"), tax=Decimal("1.14")),),
        subtotal=Decimal("13.08"),
        discount_total=Decimal("0.50"),
        tax_total=Decimal("1.14"),
        total=Decimal("12.58"),
        tenders=(TenderLine(method=method, amount=Decimal("20.00")),),
        change=Decimal("7.42") if method == "cash" else Decimal(0),
        register="R1",
        cashier="Zoë",
        footer=("Merci !", "£ and € welcome"),
    )


def z_report() -> ReceiptData:
    return ReceiptData(
        kind="z_report",
        store=STORE,
        document_number="Z-0007",
        document_id="shift-7",
        issued_at=ISSUED,
        currency="GBP",
        summary=(
            AmountLine(label="Cash sales", amount=Decimal("120.00")),
            AmountLine(label="Difference", amount=Decimal("-0.40")),
        ),
    )
