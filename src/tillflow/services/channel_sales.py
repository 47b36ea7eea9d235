"""Web orders as channel sales: recorded as the shop charged them, settled when the shop
is paid, and given back as the shop refunded or cancelled them.

Each command is one transaction. A web order is recorded once per platform order id
(a webhook, a poll and a retry make one sale); its units leave the mapped location as
``channel_order`` movements, never refused for stock; its buyer becomes the sale's
customer, matched by email then phone or created. An order that cannot be recorded (an
unknown or withdrawn SKU, figures that do not add up, another currency, unreadable
contact details) raises ``InvalidInput`` and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tillflow.domain.catalog import validate_name
from tillflow.domain.customers import Customer, normalise_email
from tillflow.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.records import (
    ChargeRecord,
    PaymentRecord,
    ReturnLineRecord,
    ReturnRecord,
    SaleLineRecord,
    SaleRecord,
    SettlementRecord,
)
from tillflow.domain.sales import ZERO, TenderInput
from tillflow.domain.web_orders import (
    PAY_LATER,
    PricedCharge,
    ShopOrder,
    WebSale,
    paid_method,
    price_web_order,
    web_tenders,
)
from tillflow.domain.web_refunds import (
    ShopRefund,
    SoldCharge,
    WebReturn,
    price_cancellation,
    price_shop_refund,
    refund_tenders,
)
from tillflow.ports.commerce import Buyer
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.ports.records import Location, PricedProduct, RecordedMovement
from tillflow.services import payloads
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.customers import fill_customer, match_customer, normalise_phone
from tillflow.services.inventory import record_movements, record_shortfalls
from tillflow.services.returns import sold_lines
from tillflow.services.sales import COMPLETED, document_number


@dataclass(frozen=True)
class WebOrder:
    """A shop's order to record: ``method`` is the tender its gateway maps to, ``paid``
    whether the shop holds the money."""

    channel: str
    external_id: str
    location: str
    order: ShopOrder
    method: str
    paid: bool
    buyer: Buyer | None = None


def record_web_sale(ctx: ServiceContext, web: WebOrder) -> tuple[SaleRecord, bool]:
    """The order's sale, and whether it was recorded now (False: recorded before)."""
    sale_id = str(uuid.uuid4())
    try:
        return _record(ctx, web, sale_id), True
    except _Recorded:
        return _recorded(ctx, web), False


class _Recorded(Exception):
    """The key was claimed before: the document exists (its transaction is undone)."""


def _claim(uow: UnitOfWork, scope: str, key: str, resource_id: str) -> None:
    try:
        uow.keys.claim(scope=scope, key=key, request_hash="", resource_id=resource_id,
                       now=uow.now)
    except DuplicateRecord:
        raise _Recorded(key) from None


def _record(ctx: ServiceContext, web: WebOrder, sale_id: str) -> SaleRecord:
    with ctx.uow() as uow:
        _claim(uow, f"channel:{web.channel}", web.external_id, sale_id)
        location = _location(uow, web.location)
        catalog = _products(uow, web.order)
        priced = price_web_order(web.order, currency=ctx.currency,
                                 rates={sku: p.tax_rate for sku, p in catalog.items()})
        customer = _customer(ctx, uow, web.buyer)
        tenders = web_tenders(priced.total, method=web.method, paid=web.paid,
                              reference=f"{web.channel}:{web.external_id}")
        taken = _take_stock(uow, location, catalog, priced, sale_id)
        record = _sale_record(uow, web, sale_id, location=location, catalog=catalog,
                              priced=priced, customer=customer, tenders=tenders)
        uow.sales.add(record, location_id=location.id, register_id=None,
                      product_ids=[catalog[line.sku].id for line in record.lines])
        if not location.allow_negative_stock:  # the sale exists now: its shortfalls name it
            record_shortfalls(uow, taken, location, sale_id=sale_id,
                              skus={p.id: p.sku for p in catalog.values()})
        uow.emit("sale.completed", payloads.sale(record, ctx.currency))
        uow.commit()
    return record


def settle_web_sale(ctx: ServiceContext, sale_id: str, *, method: str,
                    reference: str) -> SettlementRecord | None:
    """The shop was paid for a sale still owed (``pay_later``): what is owed is settled
    by ``method`` (a ``sale.settled`` event). None when nothing is owed (settled before,
    refunded, never owed)."""
    with ctx.uow() as uow:
        sale = _locked(uow, sale_id)
        owed = outstanding(uow, sale)
        if owed <= 0:
            return None
        settlement = SettlementRecord(method=paid_method(method), amount=owed,
                                      reference=reference, settled_at=uow.now)
        uow.sales.add_settlement(sale_id, settlement)
        uow.emit("sale.settled", {
            "sale_id": sale.id, "number": sale.number, "seq": len(sale.settlements) + 1,
            "method": settlement.method, "amount": ctx.currency.format(owed),
            "reference": reference, "settled_at": uow.now.isoformat()})
        uow.commit()
    return settlement


def record_web_return(ctx: ServiceContext, sale_id: str, *, channel: str, key: str,
                      refund: ShopRefund | None, restock: bool,
                      reference: str) -> ReturnRecord | None:
    """A shop's refund (``refund``) or the cancellation of its order (None: whatever is
    left of the sale) as a return with the shop's figures, once per ``key``. None when a
    cancellation finds nothing left, or ``key`` was recorded before."""
    try:
        return _return(ctx, sale_id, channel=channel, key=key, refund=refund,
                       restock=restock, reference=reference)
    except _Recorded:
        return None


def _return(ctx: ServiceContext, sale_id: str, *, channel: str, key: str,
            refund: ShopRefund | None, restock: bool, reference: str) -> ReturnRecord | None:
    with ctx.uow() as uow:
        _claim(uow, f"web-return:{channel}", key, sale_id)
        sale = _locked(uow, sale_id)
        priced = _price_return(ctx, uow, sale, refund)
        if priced is None:
            return None
        location = _location(uow, sale.location)
        tenders = refund_tenders(priced.total, outstanding=outstanding(uow, sale),
                                 method=_paid_by(sale), reference=reference)
        record = _return_record(uow, sale, location, priced, tenders, restock=restock)
        uow.sales.add_return(record, location_id=location.id, register_id=None,
                             shift_id=None)
        uow.emit("return.completed", payloads.sale_return(record, ctx.currency))
        uow.commit()
    return record


def outstanding(uow: UnitOfWork, sale: SaleRecord) -> Decimal:
    """What the buyer of a ``pay_later`` sale still owes: less what was settled and what
    refunds cancelled."""
    owed = sum((p.amount for p in sale.payments if p.method == PAY_LATER), ZERO)
    owed -= sum((s.amount for s in sale.settlements), ZERO)
    for done in uow.sales.returns_of(sale.id):
        owed -= sum((r.amount for r in done.refunds if r.method == PAY_LATER), ZERO)
    return owed


def _recorded(ctx: ServiceContext, web: WebOrder) -> SaleRecord:
    with ctx.uow(read_only=True) as uow:
        found = uow.keys.find(scope=f"channel:{web.channel}", key=web.external_id)
        record = uow.sales.get(found.resource_id) if found is not None else None
    if record is None:  # the first attempt rolled back between its claim and our read
        raise Conflict(f"the sale of {web.channel} order {web.external_id} was in flight; "
                       "retry it")
    return record


def _locked(uow: UnitOfWork, sale_id: str) -> SaleRecord:
    if not uow.sales.lock(sale_id):
        raise NotFound(f"no sale {sale_id!r}", details={"id": sale_id})
    sale = uow.sales.get(sale_id)
    assert sale is not None
    return sale


def _location(uow: UnitOfWork, code: str) -> Location:
    location = uow.locations.get(code)
    if location is None:
        raise InvalidInput(f"tillflow has no location {code!r}", details={"field": "location"})
    return location


def _products(uow: UnitOfWork, order: ShopOrder) -> dict[str, PricedProduct]:
    catalog = uow.products.for_checkout(line.sku for line in order.lines)
    for index, line in enumerate(order.lines):
        product = catalog.get(line.sku)
        if not line.sku.strip():
            raise InvalidInput(f"line {index + 1} has no SKU",
                               details={"field": f"lines[{index}].sku"})
        if product is None:
            raise InvalidInput(f"line {index + 1}: tillflow has no SKU {line.sku!r}",
                               details={"field": f"lines[{index}].sku", "sku": line.sku})
        if not product.active:
            raise InvalidInput(f"line {index + 1}: product {line.sku!r} is not for sale",
                               details={"field": f"lines[{index}].sku", "sku": line.sku})
    return catalog


def _customer(ctx: ServiceContext, uow: UnitOfWork, buyer: Buyer | None) -> str | None:
    """The buyer as a customer: matched by email, then phone, filling what tillflow lacks,
    or created. A detail that cannot be read is left out when another one can; a buyer
    none of whose details can be read is refused."""
    if buyer is None or not (buyer.email or buyer.phone):
        return None
    problems: list[str] = []
    email = _readable(problems, lambda: normalise_email(buyer.email) if buyer.email else None)
    phone = _readable(problems, lambda: normalise_phone(buyer.phone, ctx.config.phone_region)
                      if buyer.phone else None)
    if email is None and phone is None:
        raise InvalidInput(f"the buyer's contact details cannot be read: {'; '.join(problems)}",
                           details={"field": "buyer"})
    name = _name(buyer)
    found = match_customer(uow, email, phone)
    if found is not None:
        fill_customer(uow, found, name=name, email=email, phone=phone)
        return found.id
    customer = Customer(id=str(uuid.uuid4()), name=name, email=email, phone=phone)
    uow.customers.add(customer, uow.now)
    uow.emit("customer.created", payloads.customer(customer))
    return customer.id


def _readable(problems: list[str], read: Callable[[], str | None]) -> str | None:
    try:
        value: str | None = read()
    except DomainError as exc:
        problems.append(exc.message)
        return None
    return value


def _name(buyer: Buyer) -> str | None:
    joined = " ".join(p.strip() for p in (buyer.first_name, buyer.last_name) if p and p.strip())
    try:
        return validate_name(joined) if joined else None
    except DomainError:
        return None


def _take_stock(uow: UnitOfWork, location: Location, catalog: dict[str, PricedProduct],
                priced: WebSale, sale_id: str) -> list[RecordedMovement]:
    """The units leave the mapped location whatever the ledger says (the shop sold them);
    a shortfall becomes a discrepancy for a person to check."""
    wanted: dict[str, Decimal] = {}
    for line in priced.lines:
        wanted[line.sku] = wanted.get(line.sku, ZERO) + line.quantity
    return record_movements(
        uow, SYSTEM, {p.id: p.sku for p in catalog.values()}, [location],
        [Movement(catalog[sku].id, location.id, MovementKind.CHANNEL_ORDER, -quantity,
                  reference=f"sale:{sale_id}") for sku, quantity in wanted.items()],
        guard=False)


def _charges(charges: Sequence[PricedCharge]) -> tuple[ChargeRecord, ...]:
    return tuple(ChargeRecord(kind=c.kind, title=c.title, tax_rate=c.tax_rate, net=c.net,
                              tax=c.tax, total=c.total) for c in charges)


def _sale_record(uow: UnitOfWork, web: WebOrder, sale_id: str, *, location: Location,
                 catalog: dict[str, PricedProduct], priced: WebSale, customer: str | None,
                 tenders: Sequence[TenderInput]) -> SaleRecord:
    tendered = sum((t.amount for t in tenders), ZERO)
    return SaleRecord(
        id=sale_id, number=document_number(uow, "sale", None, location), status=COMPLETED,
        location=location.code, register=None, shift_id=None, customer_id=customer,
        lines=tuple(
            SaleLineRecord(
                line_no=n, sku=line.sku, name=catalog[line.sku].name, quantity=line.quantity,
                unit_price=line.unit_price, tax_rate=line.tax_rate, gross=line.gross,
                line_discount=line.line_discount, order_discount=line.order_discount,
                net=line.net, tax=line.tax, total=line.total, returned_quantity=ZERO)
            for n, line in enumerate(priced.lines, start=1)),
        subtotal=priced.subtotal,
        order_discount=sum((line.order_discount for line in priced.lines), ZERO),
        discount_total=priced.discount_total, tax_total=priced.tax_total, total=priced.total,
        payments=tuple(PaymentRecord(t.method, t.amount, t.reference) for t in tenders),
        tendered=tendered, change_due=ZERO, tax_inclusive=web.order.taxes_included,
        created_at=uow.now, created_by=SYSTEM.name, channel=web.channel,
        external_id=web.external_id, charges=_charges(priced.charges),
    )


def _price_return(ctx: ServiceContext, uow: UnitOfWork, sale: SaleRecord,
                  refund: ShopRefund | None) -> WebReturn | None:
    sold = sold_lines(uow, sale)
    charges = [SoldCharge(c.kind, c.tax_rate, c.net, c.tax) for c in sale.charges]
    if refund is not None:
        return price_shop_refund(sold, charges, refund, currency=ctx.currency)
    returned = [SoldCharge(c.kind, c.tax_rate, c.net, c.tax)
                for c in uow.sales.returned_charges(sale.id)]
    return price_cancellation(sold, charges, returned)


def _paid_by(sale: SaleRecord) -> str:
    """How the buyer paid: the sale's tender, or what settled its ``pay_later``."""
    methods = [p.method for p in sale.payments if p.method != PAY_LATER]
    methods += [s.method for s in sale.settlements]
    return methods[0] if methods else paid_method(PAY_LATER)


def _return_record(uow: UnitOfWork, sale: SaleRecord, location: Location, priced: WebReturn,
                   tenders: Sequence[TenderInput], *, restock: bool) -> ReturnRecord:
    return ReturnRecord(
        id=str(uuid.uuid4()), number=document_number(uow, "return", None, location),
        sale_id=sale.id, location=location.code, register=None, restock=restock,
        lines=tuple(ReturnLineRecord(line_no=x.line_no, sku=x.sku, quantity=x.quantity,
                                     net=x.net, tax=x.tax, total=x.total)
                    for x in priced.lines),
        net_total=priced.net_total, tax_total=priced.tax_total, total=priced.total,
        refunds=tuple(PaymentRecord(t.method, t.amount, t.reference) for t in tenders),
        created_at=uow.now, created_by=SYSTEM.name, charges=_charges(priced.charges),
    )
