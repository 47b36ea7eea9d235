"""Web orders at the shop's figures: pricing, the tender map, refunds and cancellations,
and the journal entries they make (balanced, and equal to the shop's figures)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillflow.domain.accounting.chart import Chart
from tillflow.domain.accounting.entries import Document, TaxedCharge, TaxedLine, Tender
from tillflow.domain.accounting.rules import return_entry, sale_entry, settlement_entry
from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.returns import SoldLine
from tillflow.domain.sales import TenderInput
from tillflow.domain.web_orders import (
    FEE,
    SHIPPING,
    ShopCharge,
    ShopLine,
    ShopOrder,
    WebSale,
    price_web_order,
    tender_method,
    validate_tenders,
    web_tenders,
)
from tillflow.domain.web_refunds import (
    ShopRefund,
    ShopRefundLine,
    SoldCharge,
    price_cancellation,
    price_shop_refund,
    refund_tenders,
)

USD = Currency.of("USD")
D = Decimal
NOON = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _line(sku: str, quantity: int, amount: str, *, discount: str = "0", shared: str = "0",
          tax: str = "0", rate: str | None = None) -> ShopLine:
    return ShopLine(sku=sku, quantity=D(quantity), amount=D(amount), discount=D(discount),
                    order_discount=D(shared), tax=D(tax),
                    tax_rate=None if rate is None else D(rate))


def _order(lines: list[ShopLine], total: str, *, charges: tuple[ShopCharge, ...] = (),
           total_tax: str | None = None, included: bool = False,
           currency: str = "USD") -> ShopOrder:
    return ShopOrder(currency=currency, taxes_included=included, lines=tuple(lines),
                     charges=charges, total=D(total),
                     total_tax=None if total_tax is None else D(total_tax))


def _price(order: ShopOrder) -> WebSale:
    return price_web_order(order, currency=USD, rates={"A": D("0.08"), "B": D("0.2")})


def test_lines_discounts_shipping_and_tax_are_the_shops() -> None:
    sale = _price(_order(
        [_line("A", 2, "22.00", discount="1.00", shared="2.10", tax="1.51"),
         _line("B", 1, "12.50", shared="1.25", tax="0.90")], "37.96",
        charges=(ShopCharge(SHIPPING, "Standard", D("5.00"), D("0.40"), None),),
        total_tax="2.81"))
    assert [(x.unit_price, x.net, x.tax, x.total, x.tax_rate) for x in sale.lines] == [
        (D("11.00"), D("18.90"), D("1.51"), D("20.41"), D("0.08")),
        (D("12.50"), D("11.25"), D("0.90"), D("12.15"), D("0.2"))]
    [shipping] = sale.charges
    assert (shipping.net, shipping.tax, shipping.total) == (D("5.00"), D("0.40"), D("5.40"))
    assert shipping.tax_rate == D("0.08")  # what its amounts say: the lines disagree
    assert (sale.subtotal, sale.discount_total, sale.tax_total, sale.total) == (
        D("34.50"), D("4.35"), D("2.81"), D("37.96"))


def test_prices_with_tax_in_them_keep_the_total_and_take_the_tax_out() -> None:
    sale = _price(_order([_line("A", 3, "10.00", tax="1.67", rate="0.2")], "10.00",
                         included=True, total_tax="1.67"))
    [line] = sale.lines
    assert (line.unit_price, line.net, line.tax, line.total) == (
        D("3.33"), D("8.33"), D("1.67"), D("10.00"))


def test_an_order_tax_rounded_once_is_taken_on_the_largest_taxed_line() -> None:
    lines = [_line("A", 1, "0.10", tax="0.01"), _line("A", 1, "0.10", tax="0.01"),
             _line("A", 1, "0.30", tax="0.02")]
    sale = _price(_order(lines, "0.54", total_tax="0.04"))
    assert [x.tax for x in sale.lines] == [D("0.01"), D("0.01"), D("0.02")]
    sale = _price(_order(lines, "0.53", total_tax="0.03"))
    assert [x.tax for x in sale.lines] == [D("0.01"), D("0.01"), D("0.01")]
    assert sale.total == D("0.53")


@pytest.mark.parametrize(("order", "wording"), [
    (_order([_line("A", 1, "5.00")], "5.00", currency="EUR"), "in EUR, the store books USD"),
    (_order([], "0.00"), "has no lines"),
    (_order([_line("A", -1, "-5.00")], "-5.00"), "greater than zero"),
    (_order([_line("A", 1, "5.00", discount="6.00")], "-1.00"), "not the figures of a sale"),
    (_order([_line("A", 1, "5.00", tax="-0.10")], "4.90"), "not the figures of a sale"),
    (_order([_line("A", 1, "5.00", tax="6.00")], "5.00", included=True), "exceeds its amount"),
    (_order([_line("A", 1, "5.00")], "9.00"), "not what its lines"),
    (_order([_line("A", 1, "5.00", tax="0.40")], "5.40", total_tax="1.40"), "not the sum"),
    (_order([_line("A", 1, "5.00")], "3.00",
            charges=(ShopCharge(SHIPPING, "Free", D("-2.00"), D(0), None),)), "not a charge"),
    (_order([_line("A", 1, "5.00")], "5.00", total_tax="0.00",
            charges=(ShopCharge("tip", "Tip", D(0), D(0), None),)), "unknown charge"),
])
def test_figures_that_are_not_a_sale_are_refused(order: ShopOrder, wording: str) -> None:
    with pytest.raises(InvalidInput, match=wording):
        _price(order)


def test_a_negative_fee_with_its_negative_tax_takes_money_off() -> None:
    sale = _price(_order([_line("A", 1, "10.00", tax="0.80")], "8.64", charges=(
        ShopCharge(FEE, "Loyalty", D("-2.00"), D("-0.16"), D("0.08")),)))
    assert [(c.net, c.tax, c.total) for c in sale.charges] == [(D("-2.00"), D("-0.16"),
                                                                D("-2.16"))]


def test_more_digits_than_the_currency_has_are_rounded_each_on_its_own() -> None:
    sale = _price(_order([_line("A", 3, "9.999", tax="0.7999")], "10.80"))
    assert (sale.lines[0].gross, sale.lines[0].tax, sale.total) == (
        D("10.00"), D("0.80"), D("10.80"))


@pytest.mark.parametrize(("gateway", "overrides", "method"), [
    ("shopify_payments", {}, "card"), ("Stripe", {}, "card"), ("cod", {}, "pay_later"),
    ("Cash on Delivery (COD)", {}, "pay_later"), ("bacs", {}, "pay_later"),
    ("cheque", {}, "pay_later"), ("dummy-payment", {}, "other"), (None, {}, "other"),
    ("COD", {"cod": "cash"}, "cash"), ("my_terminal", {" My_Terminal ": "card"}, "card"),
])
def test_a_gateway_maps_to_a_tender(gateway: str | None, overrides: dict[str, str],
                                    method: str) -> None:
    assert tender_method(gateway, overrides) == method


def test_an_unpaid_order_is_owed_and_a_paid_later_method_is_other_once_paid() -> None:
    assert web_tenders(D("9.00"), method="card", paid=False, reference="r") == (
        TenderInput("pay_later", D("9.00"), "r"),)
    assert web_tenders(D("9.00"), method="pay_later", paid=True, reference="r") == (
        TenderInput("other", D("9.00"), "r"),)
    assert web_tenders(D("0.00"), method="card", paid=True, reference="r") == ()


@pytest.mark.parametrize("mapping", [["cod"], {"cod": "cheque"}, {"": "card"}, {"x": 1}])
def test_a_tender_map_names_known_methods_only(mapping: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_tenders(mapping)
    assert refused.value.details == {"field": "tenders"}


SOLD = [SoldLine(line_no=1, sku="A", quantity=D(2), net=D("20.00"), tax=D("1.60"),
                 total=D("21.60"), returned_quantity=D(0), refunded_net=D(0),
                 refunded_tax=D(0)),
        SoldLine(line_no=2, sku="A", quantity=D(1), net=D("10.00"), tax=D("0.80"),
                 total=D("10.80"), returned_quantity=D(0), refunded_net=D(0),
                 refunded_tax=D(0))]
SHIPPED = [SoldCharge(SHIPPING, D("0.08"), D("5.00"), D("0.40"))]


def test_a_shop_refund_carries_the_shops_amounts_over_the_sales_lines() -> None:
    priced = price_shop_refund(SOLD, SHIPPED, ShopRefund(
        lines=(ShopRefundLine("A", D(3), D("30.00"), D("2.22")),), charges=D("5.40"),
        charges_tax=D("0.40"), total=D("35.40")), currency=USD)
    assert [(x.line_no, x.quantity, x.net, x.tax) for x in priced.lines] == [
        (1, D(2), D("18.52"), D("1.48")), (2, D(1), D("9.26"), D("0.74"))]
    assert [(c.kind, c.net, c.tax) for c in priced.charges] == [
        (SHIPPING, D("5.00"), D("0.40"))]
    assert priced.total == D("35.40")


def test_money_refunded_beyond_its_lines_is_a_fee_adjustment() -> None:
    priced = price_shop_refund(SOLD, SHIPPED, ShopRefund(
        lines=(ShopRefundLine("A", D(0), D("1.08"), D("0.08")),), charges=D(0),
        charges_tax=D(0), total=D("3.00")), currency=USD)
    assert [(x.line_no, x.quantity, x.total) for x in priced.lines] == [(1, D(0), D("1.08"))]
    assert [(c.kind, c.title, c.total) for c in priced.charges] == [
        (FEE, "refund adjustment", D("1.92"))]


@pytest.mark.parametrize(("refund", "wording"), [
    (ShopRefund((ShopRefundLine("A", D(4), D("40"), D(0)),), D(0), D(0), D("40")), "left"),
    (ShopRefund((ShopRefundLine("Z", D(1), D("1"), D(0)),), D(0), D(0), D("1")), "does not"),
    (ShopRefund((ShopRefundLine("A", D(1), D("1"), D(2)),), D(0), D(0), D("1")), "not a"),
    (ShopRefund((), D(0), D(0), D("-1")), "refunded -1"),
])
def test_a_refund_the_sale_cannot_hold_is_refused(refund: ShopRefund, wording: str) -> None:
    with pytest.raises(InvalidInput, match=wording):
        price_shop_refund(SOLD, SHIPPED, refund, currency=USD)


def test_a_cancellation_gives_back_what_refunds_left() -> None:
    after = [SoldLine(line_no=1, sku="A", quantity=D(2), net=D("20.00"), tax=D("1.60"),
                      total=D("21.60"), returned_quantity=D(1), refunded_net=D("10.00"),
                      refunded_tax=D("0.80")), SOLD[1]]
    returned = [SoldCharge(FEE, D(0), D("1.00"), D(0))]
    priced = price_cancellation(after, SHIPPED, returned)
    assert priced is not None
    assert [(x.line_no, x.quantity, x.net) for x in priced.lines] == [
        (1, D(1), D("10.00")), (2, D(1), D("10.00"))]
    assert [(c.kind, c.net) for c in priced.charges] == [(SHIPPING, D("5.00")),
                                                         (FEE, D("-1.00"))]
    gone = [SoldLine(line_no=1, sku="A", quantity=D(1), net=D(1), tax=D(0), total=D(1),
                     returned_quantity=D(1), refunded_net=D(1), refunded_tax=D(0))]
    assert price_cancellation(gone, [], []) is None


def test_refunds_cancel_what_is_owed_first() -> None:
    assert refund_tenders(D("10.00"), outstanding=D("4.00"), method="card", reference="r") == (
        TenderInput("pay_later", D("4.00"), "r"), TenderInput("card", D("6.00"), "r"))
    assert refund_tenders(D("3.00"), outstanding=D("4.00"), method="card", reference="r") == (
        TenderInput("pay_later", D("3.00"), "r"),)


def _document(sale: WebSale, tenders: tuple[Tender, ...]) -> Document:
    return Document(
        number="S1/000001", occurred_at=NOON,
        lines=tuple(TaxedLine(x.sku, x.quantity, x.tax_rate, x.net, x.tax) for x in sale.lines),
        tenders=tenders,
        charges=tuple(TaxedCharge(c.kind, c.tax_rate, c.net, c.tax) for c in sale.charges))


cents = st.integers(0, 50_00).map(lambda n: Decimal(n).scaleb(-2))
web_lines = st.lists(st.tuples(st.integers(1, 5), cents, st.integers(0, 30), cents),
                     min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(lines=web_lines, shipping=cents, shipping_tax=cents, paid=st.booleans())
def test_a_web_sale_books_the_shops_figures_and_balances(
        lines: list[tuple[int, Decimal, int, Decimal]], shipping: Decimal,
        shipping_tax: Decimal, paid: bool) -> None:
    shipping_tax = shipping_tax if shipping else D(0)  # no tax on free shipping
    shop_lines = []
    for quantity, amount, discount_pct, tax in lines:
        shared = USD.round(amount * discount_pct / 100)
        shop_lines.append(ShopLine("A", D(quantity), amount, D(0), shared, tax, D("0.08")))
    total = (sum((x.amount - x.order_discount + x.tax for x in shop_lines), D(0))
             + shipping + shipping_tax)
    sale = _price(_order(shop_lines, str(total), charges=(
        ShopCharge(SHIPPING, "Ship", shipping, shipping_tax, None),)))
    tenders = tuple(Tender(t.method, t.amount) for t in web_tenders(
        sale.total, method="card", paid=paid, reference="r"))
    entry = sale_entry(_document(sale, tenders), chart=Chart(), costs={}, currency=USD)
    by_role: dict[str, Decimal] = {}
    for item in entry.lines:
        base = item.role.split(":")[0]
        by_role[base] = by_role.get(base, D(0)) + item.balance
    assert sum(by_role.values(), D(0)) == 0
    assert -by_role.get("tax", D(0)) == sale.tax_total
    assert -by_role.get("shipping", D(0)) == shipping
    assert by_role.get("receivable" if not paid else "tender", D(0)) == sale.total
    back = return_entry(_document(sale, tenders), chart=Chart(), costs={}, currency=USD)
    assert sum((x.balance for x in back.lines), D(0)) == 0


def test_a_settlement_moves_the_receivable_to_the_tender_that_paid() -> None:
    entry = settlement_entry(number="S1/000001", reference="settlement:S1/000001-1",
                             method="other", amount=D("12.00"), occurred_at=NOON,
                             chart=Chart())
    assert [(x.role, x.account, x.debit, x.credit) for x in entry.lines] == [
        ("tender:other", "1100", D("12.00"), D(0)), ("receivable", "1200", D(0), D("12.00"))]
