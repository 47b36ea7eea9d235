"""Sales, returns and Z reports of the core become receipts with the store's header."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from tillflow.domain.records import (
    ChargeRecord,
    PaymentRecord,
    ReturnLineRecord,
    ReturnRecord,
    SaleLineRecord,
    SaleRecord,
)
from tillflow.receipt_layout.data import StoreHeader, TaxLine
from tillflow.receipt_layout.document import QrCode
from tillflow.receipt_layout.from_records import return_receipt, sale_receipt, z_report_receipt
from tillflow.receipt_layout.profiles import EPSON_80MM
from tillflow.receipt_layout.render import render_receipt

STORE = StoreHeader(name="Café Élan", address_lines=("1 Rue de la Paix", "75002 Paris"))
WHEN = datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
D = Decimal


def _line(line_no: int, name: str, quantity: str, price: str, rate: str, *, discount: str = "0",
          order_discount: str = "0") -> SaleLineRecord:
    gross = D(quantity) * D(price)
    net = gross - D(discount) - D(order_discount)
    tax = (net * D(rate)).quantize(D("0.01"))
    return SaleLineRecord(line_no=line_no, sku=f"SKU-{line_no}", name=name,
                          quantity=D(quantity), unit_price=D(price), tax_rate=D(rate),
                          gross=gross, line_discount=D(discount),
                          order_discount=D(order_discount), net=net, tax=tax,
                          total=net + tax, returned_quantity=D(0))


LINES = (
    _line(1, "Crème brûlée", "2", "4.50", "0.10", discount="1.00"),
    _line(2, "Espresso", "1", "2.00", "0.10", order_discount="0.20"),
    _line(3, "Guidebook", "1", "12.00", "0.055"),
)
SALE = SaleRecord(
    id="5f0c7e4e-2d1b-4a53-9c33-0a3f6f1e9b21", number="R1-000042", status="completed",
    location="S1", register="R1", shift_id="shift-1", customer_id=None, lines=LINES,
    subtotal=D("23.00"), order_discount=D("0.20"), discount_total=D("1.20"),
    tax_total=sum((line.tax for line in LINES), D(0)),
    total=sum((line.total for line in LINES), D(0)),
    payments=(PaymentRecord(method="cash", amount=D("30.00"), reference=None),),
    tendered=D("30.00"), change_due=D("6.56"), tax_inclusive=False, created_at=WHEN,
    created_by="Zoë",
)


def test_a_sale_prints_its_lines_taxes_tenders_and_a_qr_of_its_id() -> None:
    data = sale_receipt(SALE, store=STORE, currency="EUR")
    assert (data.kind, data.document_number, data.document_id) == ("sale", "R1-000042", SALE.id)
    assert [(line.description, line.line_total, line.discount) for line in data.lines] == [
        ("Crème brûlée", D("9.00"), D("1.00")), ("Espresso", D("2.00"), D(0)),
        ("Guidebook", D("12.00"), D(0)),
    ]
    assert data.taxes == (
        TaxLine(rate=D("0.055"), base=D("12.00"), tax=D("0.66")),
        TaxLine(rate=D("0.10"), base=D("9.80"), tax=D("0.98")),
    )
    assert (data.discount_total, data.change, data.cashier) == (D("1.20"), D("6.56"), "Zoë")
    document = render_receipt(data, profile=EPSON_80MM)
    assert document.of_type(QrCode) == [QrCode(data=SALE.id)]
    text = document.text
    for expected in ("Café Élan", "75002 Paris", "R1-000042", "Crème brûlée", "€23.44",
                     "5.5%", "Change", "Register R1"):
        assert expected in text


def test_a_web_orders_shipping_prints_as_a_line_with_its_tax() -> None:
    shipping = ChargeRecord(kind="shipping", title="Standard", tax_rate=D("0.10"),
                            net=D("5.00"), tax=D("0.50"), total=D("5.50"))
    web = replace(SALE, register=None, charges=(shipping,), total=SALE.total + D("5.50"),
                  tax_total=SALE.tax_total + D("0.50"))
    data = sale_receipt(web, store=STORE, currency="EUR")
    assert [(line.description, line.line_total) for line in data.lines][-1] == (
        "Standard", D("5.00"))
    assert data.subtotal == D("28.00")
    assert TaxLine(rate=D("0.10"), base=D("14.80"), tax=D("1.48")) in data.taxes
    assert "€28.94" in render_receipt(data, profile=EPSON_80MM).text


def test_a_return_takes_names_and_prices_from_its_sale() -> None:
    first = LINES[0]
    refund = ReturnRecord(
        id="ret-1", number="R1-R000003", sale_id=SALE.id, location="S1", register="R1",
        restock=True,
        lines=(ReturnLineRecord(line_no=1, sku=first.sku, quantity=D(1), net=D("4.00"),
                                tax=D("0.40"), total=D("4.40")),),
        net_total=D("4.00"), tax_total=D("0.40"), total=D("4.40"),
        refunds=(PaymentRecord(method="card", amount=D("4.40"), reference="ch_1"),),
        created_at=WHEN, created_by="Zoë",
    )
    data = return_receipt(refund, sale=SALE, store=STORE, currency="EUR")
    assert data.kind == "return"
    assert [(line.description, line.unit_price, line.line_total) for line in data.lines] == [
        ("Crème brûlée", D("4.50"), D("4.00"))]
    assert data.taxes == (TaxLine(rate=D("0.10"), base=D("4.00"), tax=D("0.40")),)
    text = render_receipt(data, profile=EPSON_80MM).text
    assert "REFUND" in text
    assert "€4.40" in text
    assert "Returned against sale R1-000042" in text


def test_a_z_report_lists_the_shift_figures() -> None:
    document = {
        "shift_id": "9d3a1c2e-0000-4000-8000-000000000001", "register": "R1",
        "opened_at": "2026-03-01T08:00:00+00:00", "closed_at": "2026-03-01T18:00:00+00:00",
        "currency": "GBP", "opening_float": "100.00",
        "sales": {"count": 3, "total": "60.00", "tax": "10.00", "discounts": "1.00"},
        "returns": {"count": 1, "total": "5.00", "tax": "0.83"},
        "tax_total": "9.17", "net_sales": "55.00",
        "tenders": [{"method": "cash", "taken": "40.00", "refunded": "5.00", "net": "35.00"},
                    {"method": "card", "taken": "20.00", "refunded": "0.00", "net": "20.00"}],
        "cash_in": "0.00", "cash_out": "20.00", "expected_cash": "115.00",
        "counted_cash": "114.50", "over_short": "-0.50",
    }
    data = z_report_receipt(document, store=STORE, issued_at=WHEN)
    assert (data.kind, data.document_number, data.currency) == ("z_report", "Z-9d3a1c2e", "GBP")
    assert data.issued_at == datetime(2026, 3, 1, 18, tzinfo=UTC)
    labels = {line.label: line.amount for line in data.summary}
    assert labels["Sales (3)"] == D("60.00")
    assert labels["Card net"] == D("20.00")
    assert labels["Over/short (short)"] == D("-0.50")
    assert labels["Net tax"] == D("9.17")
    open_shift = {**document, "closed_at": None, "counted_cash": None, "over_short": None}
    x_report = z_report_receipt(open_shift, store=STORE, issued_at=WHEN)
    assert x_report.document_number == "X (shift open)"
    assert x_report.issued_at == WHEN
    assert "Counted cash" not in {line.label for line in x_report.summary}
    assert "Over/short (short)" in render_receipt(data, profile=EPSON_80MM).text
    over = z_report_receipt({**document, "over_short": "276.08"}, store=STORE, issued_at=WHEN)
    [printed] = [text for text in render_receipt(over, profile=EPSON_80MM).text.splitlines()
                 if text.startswith("Over/short")]
    assert printed.split() == ["Over/short", "(over)", "+276.08"]
