"""Each connector reads its platform's order into the port's shop figures: lines with
their own and shared discounts and tax, shipping and fees, total, payment and refunds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tillflow.connectors.shopify.orders import order_from as shopify_order
from tillflow.connectors.vendure.catalog import Settings
from tillflow.connectors.vendure.orders import order_from as vendure_order
from tillflow.connectors.woocommerce.orders import order_from as woo_order
from tillflow.ports.commerce import FEE, SHIPPING, Charge, Payment, RefundLine, Rejected

D = Decimal


def _bag(amount: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": amount}}


def _shopify(**fields: Any) -> dict[str, Any]:
    return {
        "id": "gid://shopify/Order/1", "updatedAt": "2026-12-01T10:00:00Z",
        "cancelledAt": None, "email": None, "phone": None, "customer": None,
        "retailLocation": None, "currencyCode": "USD", "taxesIncluded": False,
        "displayFinancialStatus": "PAID", "paymentGatewayNames": ["manual"],
        "totalPriceSet": _bag("37.96"), "totalTaxSet": _bag("2.81"),
        "transactions": [{"gateway": "shopify_payments", "kind": "SALE", "status": "SUCCESS"}],
        "lineItems": {"nodes": [{
            "sku": "A1", "quantity": 2, "originalUnitPriceSet": _bag("11.00"),
            "discountAllocations": [
                {"allocatedAmountSet": _bag("1.00"),
                 "discountApplication": {"targetSelection": "EXPLICIT"}},
                {"allocatedAmountSet": _bag("2.10"),
                 "discountApplication": {"targetSelection": "ALL"}}],
            "taxLines": [{"priceSet": _bag("1.01"), "rate": D("0.05")},
                         {"priceSet": _bag("0.50"), "rate": D("0.03")}]}]},
        "shippingLines": {"nodes": [{"title": "Standard", "discountedPriceSet": _bag("5.00"),
                                     "taxLines": [{"priceSet": _bag("0.40"), "rate": 0.08}]}]},
        "refunds": [{"id": "gid://shopify/Refund/9", "totalRefundedSet": _bag("16.20"),
                     "refundLineItems": {"nodes": [{
                         "quantity": 1, "restocked": True, "lineItem": {"sku": "A1"},
                         "subtotalSet": _bag("9.45"), "totalTaxSet": _bag("0.75")}]},
                     "refundShippingLines": {"nodes": [{
                         "subtotalAmountSet": _bag("5.00"), "taxAmountSet": _bag("1.00")}]}}],
        **fields}


def test_a_shopify_order_splits_its_own_and_shared_discounts() -> None:
    order = shopify_order(_shopify())
    [line] = order.lines
    assert (line.amount, line.discount, line.order_discount, line.tax, line.tax_rate) == (
        D("22.00"), D("1.00"), D("2.10"), D("1.51"), D("0.08"))
    assert order.charges == (Charge(SHIPPING, "Standard", D("5.00"), D("0.40"), D("0.08")),)
    assert (order.currency, order.total, order.total_tax) == ("USD", D("37.96"), D("2.81"))
    assert order.payment == Payment("shopify_payments", paid=True)
    [refund] = order.refunds
    assert refund.lines == (RefundLine("A1", 1, D("10.20"), D("0.75")),)
    assert (refund.charges, refund.charges_tax, refund.total, refund.restock) == (
        D("6.00"), D("1.00"), D("16.20"), True)


@pytest.mark.parametrize(("status", "transactions", "payment"), [
    ("PENDING", [{"gateway": "Cash on Delivery (COD)", "kind": "SALE", "status": "PENDING"}],
     Payment("manual", paid=False)),
    ("AUTHORIZED", [{"gateway": "shopify_payments", "kind": "AUTHORIZATION",
                     "status": "SUCCESS"}], Payment("shopify_payments", paid=False)),
    ("PARTIALLY_REFUNDED", [], Payment("manual", paid=True)),
])
def test_a_shopify_order_is_paid_once_shopify_holds_the_money(
        status: str, transactions: list[dict[str, str]], payment: Payment) -> None:
    order = shopify_order(_shopify(displayFinancialStatus=status, transactions=transactions))
    assert order.payment == payment


def test_an_unreadable_shopify_order_is_refused_with_its_id() -> None:
    with pytest.raises(Rejected, match="Order/1 cannot be read"):
        shopify_order(_shopify(totalPriceSet={"shopMoney": {"amount": "lots"}}))


def _woo(**fields: Any) -> dict[str, Any]:
    return {
        "id": 12, "status": "processing", "date_modified_gmt": "2026-12-01T10:00:00",
        "currency": "USD", "total": "37.59", "total_tax": "2.79", "payment_method": "stripe",
        "date_paid_gmt": "2026-12-01T10:00:00", "date_completed_gmt": None,
        "billing": {"email": "cy@example.com"},
        "line_items": [{"sku": "W1", "quantity": 3, "price": 8.0, "subtotal": "24.00",
                        "total": "21.60", "total_tax": "1.73"}],
        "shipping_lines": [{"method_title": "Flat rate", "total": "4.00", "total_tax": "0.32"}],
        "fee_lines": [{"name": "Gift wrap", "total": "2.00", "total_tax": "0.16"}],
        **fields}


def test_a_woocommerce_order_is_read_from_its_strings_never_its_float_price() -> None:
    order = woo_order(_woo(), [])
    [line] = order.lines
    assert (line.amount, line.discount, line.order_discount, line.tax) == (
        D("24.00"), D(0), D("2.40"), D("1.73"))
    assert [(c.kind, c.title, c.amount, c.tax) for c in order.charges] == [
        (SHIPPING, "Flat rate", D("4.00"), D("0.32")), (FEE, "Gift wrap", D("2.00"), D("0.16"))]
    assert (order.total, order.total_tax, order.taxes_included) == (D("37.59"), D("2.79"), False)
    assert order.payment == Payment("stripe", paid=True)


@pytest.mark.parametrize(("fields", "paid"), [
    ({"payment_method": "cod"}, False),  # processing, date_paid set: no cash yet
    ({"payment_method": "cod", "status": "completed",
      "date_completed_gmt": "2026-12-02T10:00:00"}, True),
    ({"payment_method": "bacs", "status": "on-hold", "date_paid_gmt": None}, False),
    ({"payment_method": "bacs"}, True),
])
def test_cash_on_delivery_is_paid_once_completed(fields: dict[str, Any], paid: bool) -> None:
    payment = woo_order(_woo(**fields), []).payment
    assert payment is not None
    assert payment.paid is paid


def test_a_woocommerce_refund_shows_its_items_negative() -> None:
    refund = {"id": 30, "amount": "14.04", "line_items": [
        {"sku": "W1", "quantity": -1, "total": "-8.00", "total_tax": "-0.64"}],
        "shipping_lines": [{"total": "-5.00", "total_tax": "-0.40"}], "fee_lines": []}
    [read] = woo_order(_woo(refunds=[{"id": 30}]), [refund]).refunds
    assert read.lines == (RefundLine("W1", 1, D("8.64"), D("0.64")),)
    assert (read.external_id, read.charges, read.charges_tax, read.total, read.restock) == (
        "30", D("5.40"), D("0.40"), D("14.04"), True)


VENDURE = Settings.of({
    "activeChannel": {"defaultCurrencyCode": "GBP", "pricesIncludeTax": False,
                      "defaultLanguageCode": "en"},
    "globalSettings": {"outOfStockThreshold": 0, "trackInventory": True},
    "stockLocations": {"items": [{"id": "1", "name": "Default"}]}})


def _vendure(**fields: Any) -> dict[str, Any]:
    return {
        "id": "7", "code": "X", "state": "PaymentSettled", "updatedAt": "2026-12-01T10:00:00Z",
        "orderPlacedAt": "2026-12-01T10:00:00Z", "customer": None, "currencyCode": "GBP",
        "total": 2705, "totalWithTax": 3246,
        "lines": [{"id": "1", "quantity": 2, "orderPlacedQuantity": 2, "taxRate": 20,
                   "unitPrice": 1000, "unitPriceWithTax": 1200, "linePrice": 2000,
                   "linePriceWithTax": 2400, "discountedLinePrice": 1900,
                   "discountedLinePriceWithTax": 2280, "proratedLinePrice": 1710,
                   "proratedLinePriceWithTax": 2052, "proratedUnitPrice": 855,
                   "proratedUnitPriceWithTax": 1026, "productVariant": {"sku": "V1"}},
                  {"id": "2", "quantity": 1, "orderPlacedQuantity": 1, "taxRate": 20,
                   "unitPrice": 500, "unitPriceWithTax": 600, "linePrice": 500,
                   "linePriceWithTax": 600, "discountedLinePrice": 500,
                   "discountedLinePriceWithTax": 600, "proratedLinePrice": 495,
                   "proratedLinePriceWithTax": 594, "proratedUnitPrice": 495,
                   "proratedUnitPriceWithTax": 594, "productVariant": {"sku": "V2"}}],
        "shippingLines": [{"discountedPrice": 500, "discountedPriceWithTax": 600,
                           "shippingMethod": {"code": "standard", "name": "Standard"}}],
        "surcharges": [],
        "payments": [
            {"method": "card-gw", "state": "Declined", "refunds": []},
            {"method": "pay-later", "state": "Settled", "refunds": [
                {"id": "4", "state": "Settled", "total": 1830, "items": 1230, "shipping": 600,
                 "adjustment": 0, "lines": [{"orderLineId": "2", "quantity": 1}]},
                {"id": "5", "state": "Pending", "total": 100, "items": 0, "shipping": 0,
                 "adjustment": 100, "lines": []}]}],
        **fields}


def test_a_vendure_order_is_read_at_its_prorated_prices() -> None:
    order = vendure_order(_vendure(), VENDURE)
    assert [(x.sku, x.amount, x.discount, x.order_discount, x.tax, x.tax_rate)
            for x in order.lines] == [
        ("V1", D("20.00"), D("1.00"), D("1.90"), D("3.42"), D("0.2")),
        ("V2", D("5.00"), D("0.00"), D("0.05"), D("0.99"), D("0.2"))]
    assert [(c.kind, c.amount, c.tax) for c in order.charges] == [
        (SHIPPING, D("5.00"), D("1.00"))]
    assert (order.total, order.total_tax) == (D("32.46"), D("5.41"))
    assert order.payment == Payment("pay-later", paid=True)
    [refund] = order.refunds  # the pending one has sent no money back yet
    assert refund.lines == (RefundLine("V2", 1, D("5.94"), D("0.99")),)
    assert (refund.charges, refund.charges_tax, refund.total) == (D("6.00"), D("1.00"),
                                                                  D("18.30"))


def test_an_authorised_vendure_payment_is_not_paid_yet() -> None:
    order = vendure_order(_vendure(payments=[
        {"method": "pay-later", "state": "Authorized", "refunds": []}]), VENDURE)
    assert order.payment == Payment("pay-later", paid=False)
