"""The emailed receipt is the printed one: the store's tax id and footer, and lines at
their full amount with each discount under them, adding up to the subtotal."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from tillflow.receipt_layout.data import ReceiptData, ReceiptLine, StoreHeader
from tillflow.receipts.mail import receipt_html


def test_the_emailed_lines_add_up_to_the_subtotal() -> None:
    data = ReceiptData(
        kind="sale", store=StoreHeader(name="Corner Tea House", address_lines=("1 Main St",),
                                       tax_id="GB123456789"),
        document_number="R1-000013", document_id="id", currency="USD",
        issued_at=datetime(2026, 1, 1, 12, tzinfo=UTC),
        lines=(ReceiptLine(description="Tea", quantity=Decimal(2), unit_price=Decimal("3.35"),
                           line_total=Decimal("6.70"), discount=Decimal("0.50")),
               ReceiptLine(description="Mug", quantity=Decimal(1), unit_price=Decimal("7.99"),
                           line_total=Decimal("7.99"))),
        subtotal=Decimal("14.69"), discount_total=Decimal("0.50"), tax_total=Decimal("1.13"),
        total=Decimal("15.32"),
        footer=("Thank you for visiting",),
    )
    html = receipt_html(data)
    assert "Tax ID GB123456789" in html
    assert "<p>Thank you for visiting</p>" in html
    amounts = re.findall(r"<td>(?:Tea|Mug)</td><td align=\"right\">\d+</td>"
                         r"<td align=\"right\">\$([\d.]+)</td>", html)
    assert sum(Decimal(a) for a in amounts) == data.subtotal
    assert "Discount</td><td align=\"right\">-$0.50" in html
