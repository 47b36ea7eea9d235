"""Orders and refunds, with WooCommerce's stock and tax rules.

Stock is reduced once, when an order first reaches processing, completed or on-hold
(``wc_maybe_reduce_stock_levels``), unless the order is flagged as reduced already
(``_order_stock_reduced``, which the REST API sets from order meta); each line it reduces
records the units taken as ``_reduced_stock``, and a line posted with that figure is
taken as reduced and skipped. Going to cancelled or pending puts back what each line
records (``wc_increase_stock_levels``), and only that, if the shop restocks on cancel.
Nothing moves while the shop's stock management is off. The REST API never refuses an
order for want of stock; only a storefront checkout does, which is what ``check_stock``
stands for.

A created order's taxes are calculated afresh (``calculate_totals``): the shop's rate on
each line's total, unless the order carries ``is_vat_exempt``. A line whose product is not
found is kept, empty, as WooCommerce keeps it. Refund refusals are answered as WordPress
answers a bare-status WP_Error: HTTP 500. Callers hold ``state.lock``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tillflow_simulators.woocommerce import shapes
from tillflow_simulators.woocommerce.catalog import apply_meta, change_stock, lenient_int
from tillflow_simulators.woocommerce.errors import WooError, bare_error, invalid_id
from tillflow_simulators.woocommerce.models import (
    BILLING_FIELDS,
    SHIPPING_FIELDS,
    LineItem,
    Order,
    Product,
    Refund,
    RefundLine,
    ShippingLine,
    Variation,
)
from tillflow_simulators.woocommerce.params import as_bool
from tillflow_simulators.woocommerce.state import ShopEvent, ShopState
from tillflow_simulators.woocommerce.totals import TAX_RATE_ID, cents
from tillflow_simulators.woocommerce.wcformat import parse_amount

REDUCING_STATUSES = ("processing", "completed", "on-hold")
RESTORING_STATUSES = ("cancelled", "pending")
AWAITING_PAYMENT = ("pending", "on-hold", "failed", "cancelled")
# Line-item meta ``wc_reduce_stock_levels`` reads: an item carrying it is not reduced again.
REDUCED_STOCK_META = "_reduced_stock"
# Order meta the REST API turns into the order's "stock reduced" flag (an internal prop).
STOCK_REDUCED_META = "_order_stock_reduced"
TAX_EXEMPT_META = "is_vat_exempt"


class OutOfStockError(WooError):
    """A checkout asked for more than a product has (REST orders are never refused)."""


def get_order(state: ShopState, order_id: int, *, status: int = 404) -> Order:
    record = state.orders.get(order_id)
    if record is None:
        raise invalid_id("shop_order", status=status)
    return record


def create_order(
    state: ShopState,
    body: Mapping[str, Any],
    *,
    created_via: str = "rest-api",
    check_stock: bool = False,
    price: Callable[[Order], None] | None = None,
) -> Order:
    """``price`` sets a checkout's totals (taxes, coupons, fees) before it is placed."""
    if body.get("id"):
        raise WooError(
            "woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.", 400
        )
    now = state.now()
    record = Order(
        id=state.next_post_id(),
        order_key=f"wc_order_{secrets.token_hex(6)}",
        status="pending",
        currency=str(body.get("currency") or state.settings.currency),
        created_via=created_via,
        date_created=now,
        date_modified=now,
    )
    _apply_details(state, record, body)
    record.line_items = [_line_item(state, raw) for raw in body.get("line_items") or []]
    record.shipping_lines = [_shipping_line(state, raw) for raw in body.get("shipping_lines") or []]
    if price is not None:
        price(record)
    if check_stock:
        _require_stock(state, record)
    _calculate_taxes(state, record)
    state.orders[record.id] = record
    target = _target_status(record, body, default="pending")
    _move_to(state, record, target)
    state.emit(ShopEvent("order", "created", record.id, shapes.order(state, record)))
    if as_bool(body.get("set_paid", False)):
        state.emit(ShopEvent("order", "updated", record.id, shapes.order(state, record)))
    return record


def update_order(state: ShopState, order_id: int, body: Mapping[str, Any]) -> Order:
    record = get_order(state, order_id, status=400)
    if body.get("line_items"):
        raise WooError(
            "tillflow_simulator_unsupported",
            "The simulator does not change the line items of an existing order.",
            400,
        )
    _apply_details(state, record, body)
    _move_to(state, record, _target_status(record, body, default=record.status))
    record.date_modified = state.now()
    state.emit(ShopEvent("order", "updated", record.id, shapes.order(state, record)))
    return record


def delete_order(state: ShopState, order_id: int, *, force: bool) -> dict[str, Any]:
    record = get_order(state, order_id)
    if force:
        shown = shapes.order(state, record)
        del state.orders[order_id]
        return shown
    if record.status == "trash":
        raise WooError(
            "woocommerce_rest_already_trashed", "The shop_order has already been deleted.", 410
        )
    record.previous_status, record.status = record.status, "trash"
    record.date_modified = state.now()
    state.emit(ShopEvent("order", "deleted", record.id, {"id": record.id}))
    return shapes.order(state, record)


def create_refund(state: ShopState, order_id: int, body: Mapping[str, Any]) -> Refund:
    record = state.orders.get(order_id)
    if record is None:
        raise bare_error("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
    lines = [line for raw in body.get("line_items") or []
             if (line := _refund_line(state, record, raw)) is not None]
    amount = (
        parse_amount(body["amount"], param="amount")
        if body.get("amount") not in (None, "")
        else sum((line.total + line.total_tax for line in lines), Decimal(0))
    )
    if amount < 0:
        raise bare_error(
            "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400
        )
    if amount > record.total - record.refunded:
        raise bare_error(
            "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500
        )
    refund = Refund(
        id=state.next_post_id(),
        amount=amount,
        reason=str(body.get("reason") or ""),
        refunded_payment=as_bool(body.get("api_refund", True)),
        date_created=state.now(),
        line_items=lines,
    )
    if isinstance(body.get("meta_data"), list):
        apply_meta(state, refund.meta_data, body["meta_data"])
    record.refunds.append(refund)
    if as_bool(body.get("api_restock", True)):
        _restock_refunded(state, record, [line for line in lines if not line.shipping])
    if record.refunded >= record.total:
        _move_to(state, record, "refunded")
    record.date_modified = state.now()
    state.emit(ShopEvent("order", "updated", record.id, shapes.order(state, record)))
    return refund


def delete_refund(
    state: ShopState, record: Order, refund_id: int, *, force: bool
) -> dict[str, Any]:
    refund = next((r for r in record.refunds if r.id == refund_id), None)
    if refund is None:
        raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
    if not force:
        raise WooError(
            "woocommerce_rest_trash_not_supported", "Refunds do not support trashing.", 501
        )
    shown = shapes.refund(state, record, refund)
    record.refunds.remove(refund)
    record.date_modified = state.now()
    return shown


def _target_status(record: Order, body: Mapping[str, Any], *, default: str) -> str:
    """The posted status, then ``payment_complete()`` for ``set_paid``, which moves only an
    order that is not paid yet (pending, on-hold, failed, cancelled) on: to processing
    when something in it needs shipping, else (no lines, or only virtual downloads)
    straight to completed."""
    status = str(body.get("status") or default)
    if as_bool(body.get("set_paid", False)) and status in AWAITING_PAYMENT:
        needs = any(item.needs_processing for item in record.line_items)
        return "processing" if needs else "completed"
    return status


def _calculate_taxes(state: ShopState, record: Order) -> None:
    """Tax an order made through the REST API as ``calculate_totals`` does: the shop's
    standard rate on every line with a product, and on shipping, unless the order is
    marked tax-exempt."""
    percent = state.settings.tax_percent
    exempt = any(m.key == TAX_EXEMPT_META and m.value == "yes" for m in record.meta_data)
    taxed = bool(percent) and not exempt
    record.tax_rate = (TAX_RATE_ID, percent) if taxed else None
    rate = percent / 100 if taxed else Decimal(0)
    for item in record.line_items:
        line_rate = rate if item.product_id != 0 else Decimal(0)
        item.subtotal_tax = cents(item.subtotal * line_rate)
        item.total_tax = cents(item.total * line_rate)
    for shipping in record.shipping_lines:
        shipping.total_tax = cents(shipping.total * rate)


def _move_to(state: ShopState, record: Order, status: str) -> None:
    previous = record.status
    record.status = status
    if status in ("processing", "completed") and record.date_paid is None:
        record.date_paid = state.now()
    if status == "completed" and record.date_completed is None:
        record.date_completed = state.now()
    if status == previous:
        return
    record.previous_status = previous
    if not state.settings.manage_stock:
        return  # ``wc_reduce_stock_levels`` and its opposite do nothing then
    if status in REDUCING_STATUSES and not record.stock_reduced:
        _reduce_stock(state, record)
    elif status in RESTORING_STATUSES and record.stock_reduced and state.settings.restock_on_cancel:
        _restore_stock(state, record)


def _reduce_stock(state: ShopState, record: Order) -> None:
    for item in record.line_items:
        stocked = _item_record(state, item)
        if stocked is None or item.reduced_stock:  # ``_reduced_stock``: reduced already
            continue
        if change_stock(state, stocked, -item.quantity) is not None:
            item.reduced_stock = item.quantity
        parent = state.products.get(item.product_id)
        if parent is not None:
            parent.total_sales += item.quantity
    record.stock_reduced = True


def _restore_stock(state: ShopState, record: Order) -> None:
    for item in record.line_items:
        stocked = _item_record(state, item)
        if stocked is not None and item.reduced_stock:
            change_stock(state, stocked, item.reduced_stock)
        item.reduced_stock = 0
    record.stock_reduced = False


def _restock_refunded(state: ShopState, record: Order, lines: list[RefundLine]) -> None:
    items = {item.id: item for item in record.line_items}
    for line in lines:
        item = items[line.refunded_item_id]
        stocked = _item_record(state, item)
        quantity = min(line.quantity, item.reduced_stock)
        if stocked is not None and quantity > 0:
            change_stock(state, stocked, quantity)
            item.reduced_stock -= quantity


def _require_stock(state: ShopState, record: Order) -> None:
    wanted: dict[int, int] = {}
    for item in record.line_items:
        key = item.variation_id or item.product_id
        wanted[key] = wanted.get(key, 0) + item.quantity
    for key, quantity in wanted.items():
        stocked = state.variations.get(key) or state.products.get(key)
        if stocked is None:
            continue
        short = (stocked.stock_quantity or 0) < quantity
        if stocked.manage_stock and stocked.backorders == "no" and short:
            raise OutOfStockError(
                "woocommerce_rest_product_out_of_stock",
                f"Not enough units of {stocked.sku or stocked.id} are available in stock.",
                409,
            )


def _item_record(state: ShopState, item: LineItem) -> Product | Variation | None:
    if item.variation_id:
        return state.variations.get(item.variation_id)
    return state.products.get(item.product_id)


def _resolve_product(state: ShopState, raw: Mapping[str, Any]) -> Product | Variation | None:
    """``get_product_id``: by SKU, else product id, else variation id; None when nothing
    is found (WooCommerce then keeps the line without a product)."""
    if raw.get("sku"):
        return state.stocked_by_sku(str(raw["sku"]))
    if raw.get("product_id") and not raw.get("variation_id"):
        return state.products.get(lenient_int(raw["product_id"]) or 0)
    if raw.get("variation_id"):
        return state.variations.get(lenient_int(raw["variation_id"]) or 0)
    raise WooError(
        "woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400
    )


def _line_item(state: ShopState, raw: Any) -> LineItem:
    if not isinstance(raw, dict):
        raise WooError("rest_invalid_param", "Invalid parameter(s): line_items", 400)
    stocked = _resolve_product(state, raw)
    quantity = lenient_int(raw.get("quantity", 1)) or 0
    # WooCommerce prices a found product at its price, a missing one at nothing.
    price = Decimal(stocked.price or 0) if stocked is not None else Decimal(0)
    subtotal = (
        parse_amount(raw["subtotal"], param="subtotal")
        if raw.get("subtotal")
        else (price * quantity)
    )
    total = parse_amount(raw["total"], param="total") if raw.get("total") else subtotal
    # WooCommerce never keeps a line's subtotal below its total: it raises it to the total
    # (WC_Order_Item_Product::set_total, "Subtotal cannot be less than total").
    subtotal = max(subtotal, total)
    item = LineItem(
        id=state.next_id("order_item"),
        name=str(raw.get("name") or ""),
        product_id=0,
        variation_id=0,
        quantity=quantity,
        subtotal=subtotal,
        total=total,
        sku=None,
    )
    if stocked is not None:
        _describe(state, item, stocked, named=bool(raw.get("name")))
    if isinstance(raw.get("meta_data"), list):
        apply_meta(state, item.meta_data, raw["meta_data"])
    marked = next((m for m in item.meta_data if m.key == REDUCED_STOCK_META), None)
    if marked is not None:  # kept as the item's own figure, as the simulator models it
        item.meta_data.remove(marked)
        item.reduced_stock = max(0, lenient_int(marked.value) or 0)
    return item


def _describe(
    state: ShopState, item: LineItem, stocked: Product | Variation, *, named: bool
) -> None:
    if isinstance(stocked, Variation):
        parent = state.products.get(stocked.parent_id)
        parent_name = parent.name if parent else ""
        name = " - ".join([parent_name, *(str(a["option"]) for a in stocked.attributes)])
        item.product_id, item.variation_id, item.parent_name = (
            stocked.parent_id, stocked.id, parent_name)
    else:
        name = stocked.name
        item.product_id = stocked.id
    item.name = item.name if named else name
    item.sku = stocked.sku
    item.needs_processing = stocked.needs_processing


def _shipping_line(state: ShopState, raw: Any) -> ShippingLine:
    source = raw if isinstance(raw, dict) else {}
    return ShippingLine(
        id=state.next_id("order_item"),
        method_id=str(source.get("method_id", "")),
        method_title=str(source.get("method_title", "")),
        total=parse_amount(source.get("total"), param="total"),
    )


def _refund_line(state: ShopState, record: Order, raw: Any) -> RefundLine | None:
    """A refunded item: a product line or a shipping line, its ``refund_total`` without tax
    and its ``refund_tax`` entries (per tax rate id). One naming no item of the order is
    passed over, as ``wc_create_refund`` does."""
    source = raw if isinstance(raw, dict) else {}
    wanted = lenient_int(source.get("id"))
    item = next((i for i in record.line_items if i.id == wanted), None)
    shipping = next((i for i in record.shipping_lines if i.id == wanted), None)
    if item is None and shipping is None:
        return None
    posted = source.get("refund_tax")
    taxes: list[Any] = posted if isinstance(posted, list) else []
    return RefundLine(
        id=state.next_id("order_item"),
        refunded_item_id=item.id if item is not None else wanted or 0,
        quantity=(lenient_int(source.get("quantity")) or 0) if item is not None else 0,
        total=parse_amount(source.get("refund_total"), param="refund_total"),
        total_tax=sum((parse_amount(t.get("refund_total"), param="refund_tax")
                       for t in taxes if isinstance(t, dict)), Decimal(0)),
        shipping=item is None,
    )


def _apply_details(state: ShopState, record: Order, body: Mapping[str, Any]) -> None:
    if "customer_id" in body:
        customer_id = lenient_int(body["customer_id"]) or 0
        if customer_id and customer_id not in state.customers:
            raise WooError("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400)
        record.customer_id = customer_id
    for name, fields in (("billing", BILLING_FIELDS), ("shipping", SHIPPING_FIELDS)):
        posted = body.get(name)
        if isinstance(posted, dict):
            target = getattr(record, name)
            target.update({k: str(v) for k, v in posted.items() if k in fields})
    for name in ("payment_method", "payment_method_title", "transaction_id", "customer_note"):
        if body.get(name) is not None:
            setattr(record, name, str(body[name]))
    if isinstance(body.get("meta_data"), list):
        posted = [m for m in body["meta_data"] if isinstance(m, dict)]
        # An internal prop set through meta (``update_meta_data`` calls its setter).
        flags = [m for m in posted if m.get("key") == STOCK_REDUCED_META]
        if flags:
            record.stock_reduced = str(flags[-1].get("value")).lower() in ("yes", "1", "true")
        apply_meta(state, record.meta_data, [m for m in posted if m not in flags])
