"""Checkout: record a sale in one transaction, exactly once per idempotency key."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tillflow.domain.errors import Conflict, IdempotencyConflict, InvalidInput, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.records import PaymentRecord, SaleLineRecord, SaleRecord
from tillflow.domain.sales import (
    ZERO,
    LineInput,
    PricedSale,
    Settlement,
    TenderInput,
    price_sale,
    settle,
    validate_quantity,
)
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.ports.records import Location, PricedProduct, RecordedMovement, Register
from tillflow.services import payloads, sale_controls, sale_prices
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity, record_movements, record_shortfalls

COMPLETED = "completed"
IDEMPOTENCY_SCOPE = "sales"
POS = sale_controls.POS


@dataclass(frozen=True)
class SaleLineRequest:
    sku: str
    quantity: object
    # Only to override the price the server finds (``sale_prices``).
    unit_price: object | None = None
    discount: object | None = None
    # The scanned code of a line whose price is printed in its barcode.
    barcode: str | None = None


@dataclass(frozen=True)
class TenderRequest:
    method: str
    amount: object
    reference: str | None = None
    # A card paid through a payments connection (``services.payments.checkout``).
    connection: str | None = None
    payment_method: str | None = None
    terminal: str | None = None


@dataclass(frozen=True)
class SaleRequest:
    location: str
    lines: Sequence[SaleLineRequest]
    payments: Sequence[TenderRequest] = ()
    register: str | None = None
    customer: str | None = None
    discount: object | None = None
    offline: bool = False
    # The number the register printed on an offline sale's receipt ("OFFLINE-R1-…").
    offline_number: str | None = None
    # Sell past the stock the ledger shows (a manager's act, recorded).
    stock_override: bool = False
    # A manager's approval token naming the acts this sale needs approved.
    approval: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where a sale comes from: the till (``pos``) or a channel such as a web shop.

    A channel sale carries the platform's order id; the same id is recorded once.
    """

    channel: str = POS
    external_id: str | None = None


@dataclass(frozen=True)
class _ParsedLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal | None
    discount: Decimal
    barcode: str | None


def record_sale(
    ctx: ServiceContext,
    actor: Actor,
    request: SaleRequest,
    *,
    idempotency_key: str | None = None,
    request_hash: str = "",
    origin: Origin = Origin(),
) -> tuple[SaleRecord, bool]:
    """Record a sale; returns it and whether it was created now (False on a replay).

    Refused with nothing written when the actor may not make it or it needs a manager's
    approval it does not carry (``sale_controls``). A channel sale is idempotent on its
    platform order id as well: a web order seen through a webhook, a poll and a retry is
    one sale.
    """
    terms = _terms(request, origin, idempotency_key)
    sale_controls.authorise(actor, terms)
    actor.check_register(request.register)
    lines = _parse_lines(ctx, request.lines)
    tenders = parse_tenders(ctx, request.payments, field="payments")
    order_discount = _money(ctx, request.discount, "discount")
    sale_id = str(uuid.uuid4())
    claims = _claims(origin, idempotency_key, request_hash)
    try:
        with ctx.uow() as uow:
            for scope, key, digest in claims:
                _claim(uow, scope, key, digest, sale_id)
            record = _record(ctx, uow, actor, request, sale_id=sale_id, lines=lines,
                             tenders=tenders, order_discount=order_discount, origin=origin,
                             terms=terms)
            uow.commit()
            return record, True
    except _Replay as replay:
        return _replay(ctx, replay.scope, replay.key, replay.request_hash), False


def check_sale(ctx: ServiceContext, actor: Actor, request: SaleRequest, *,
               idempotency_key: str | None, origin: Origin = Origin()) -> None:
    """Refuse now, writing nothing, a sale its actor may not make or whose approval does
    not stand: for a sale about to charge a card, before the card is charged."""
    terms = _terms(request, origin, idempotency_key)
    sale_controls.authorise(actor, terms)
    actor.check_register(request.register)
    lines = _parse_lines(ctx, request.lines)
    order_discount = _money(ctx, request.discount, "discount")
    with ctx.uow() as uow:  # never committed: the approval is only looked at
        if idempotency_key is not None and uow.keys.find(
                scope=IDEMPOTENCY_SCOPE, key=idempotency_key) is not None:
            return  # recorded already: a replay answers with it
        _location, register, _shift = _where(uow, request)
        catalog = _products(uow, lines)
        _priced(ctx, uow, actor, request, lines=lines, catalog=catalog,
                order_discount=order_discount, register=register, terms=terms)


def _terms(request: SaleRequest, origin: Origin, key: str | None) -> sale_controls.SaleTerms:
    return sale_controls.SaleTerms(channel=origin.channel, offline=request.offline,
                                   stock_override=request.stock_override,
                                   approval=request.approval, key=key)


def _claims(origin: Origin, key: str | None,
            request_hash: str) -> list[tuple[str, str, str]]:
    claims = []
    if origin.external_id is not None:
        # A platform may resend an order with other details: its id alone decides.
        claims.append((f"channel:{origin.channel}", origin.external_id, ""))
    if key is not None:
        claims.append((IDEMPOTENCY_SCOPE, key, request_hash))
    return claims


class _Replay(Exception):
    def __init__(self, scope: str, key: str, request_hash: str) -> None:
        super().__init__(key)
        self.scope, self.key, self.request_hash = scope, key, request_hash


def _claim(uow: UnitOfWork, scope: str, key: str, request_hash: str, sale_id: str) -> None:
    try:
        uow.keys.claim(scope=scope, key=key, request_hash=request_hash,
                  resource_id=sale_id, now=uow.now)
    except DuplicateRecord:
        raise _Replay(scope, key, request_hash) from None


def _replay(ctx: ServiceContext, scope: str, key: str, request_hash: str) -> SaleRecord:
    with ctx.uow(read_only=True) as uow:
        stored = uow.keys.find(scope=scope, key=key)
        if stored is None:  # the first attempt rolled back between our insert and this read
            raise Conflict("a request with this Idempotency-Key was in flight; retry it",
                           details={"idempotency_key": key})
        if stored.request_hash != request_hash:
            raise IdempotencyConflict(
                "this Idempotency-Key was used with a different request body",
                details={"idempotency_key": key},
            )
        record = uow.sales.get(stored.resource_id)
    assert record is not None
    return record


def _record(
    ctx: ServiceContext,
    uow: UnitOfWork,
    actor: Actor,
    request: SaleRequest,
    *,
    sale_id: str,
    lines: Sequence[_ParsedLine],
    tenders: Sequence[TenderInput],
    order_discount: Decimal,
    origin: Origin,
    terms: sale_controls.SaleTerms,
) -> SaleRecord:
    location, register, shift_id = _where(uow, request)
    if request.customer is not None and uow.customers.get(request.customer) is None:
        raise InvalidInput(f"unknown customer {request.customer!r}",
                           details={"field": "customer"})
    catalog = _products(uow, lines)
    found, priced, review = _priced(ctx, uow, actor, request, lines=lines, catalog=catalog,
                                    order_discount=order_discount, register=register,
                                    terms=terms)
    settlement = settle(priced.total, tenders)
    # Goods already handed over (offline at the till, paid in a web shop, or in the
    # customer's hands with a manager's word) are recorded whatever the ledger says; a
    # shortfall becomes a discrepancy for a person to check.
    enforce = not request.offline and origin.channel == POS and not request.stock_override
    taken = _take_stock(uow, actor, location, catalog=catalog, priced=priced, sale_id=sale_id,
                        enforce=enforce, kind=MovementKind.SALE if origin.channel == POS
                        else MovementKind.CHANNEL_ORDER)
    record = _sale_record(
        sale_id=sale_id, number=document_number(uow, "sale", register, location),
        location=location, register=register, shift_id=shift_id, customer=request.customer,
        priced=priced, catalog=catalog, settlement=settlement, order_discount=order_discount,
        tax_inclusive=ctx.config.tax_inclusive, uow=uow, actor=actor, origin=origin,
        offline=request.offline, offline_number=request.offline_number,
    )
    _add_sale(uow, record, location=location, register=register, catalog=catalog)
    if not enforce and not location.allow_negative_stock:
        record_shortfalls(uow, taken, location, sale_id=sale_id,
                          skus={p.id: p.sku for p in catalog.values()})
    sale_controls.record(uow, actor, record, review, terms=terms, found=found,
                         catalog=catalog, register=register, currency=ctx.currency)
    uow.emit("sale.completed", payloads.sale(record, ctx.currency))
    return record


def _add_sale(uow: UnitOfWork, record: SaleRecord, *, location: Location,
              register: Register | None, catalog: dict[str, PricedProduct]) -> None:
    try:
        uow.sales.add(record, location_id=location.id,
                      register_id=register.id if register else None,
                      product_ids=[catalog[line.sku].id for line in record.lines])
    except DuplicateRecord:
        # The sale's own id and number are new, so only the printed offline number clashes.
        if record.offline_number is None:
            raise
        raise Conflict(f"another sale already printed the number {record.offline_number!r}",
                       details={"field": "offline_number"}) from None


def _priced(ctx: ServiceContext, uow: UnitOfWork, actor: Actor, request: SaleRequest, *,
            lines: Sequence[_ParsedLine], catalog: dict[str, PricedProduct],
            order_discount: Decimal, register: Register | None,
            terms: sale_controls.SaleTerms,
            ) -> tuple[list[sale_prices.FoundPrice], PricedSale, sale_controls.Review]:
    """The lines at the prices the server finds (or the override sent), priced, and what
    the sale needs approved (used up now)."""
    found = sale_prices.found_prices(
        uow, [sale_prices.LineToPrice(line.sku, line.quantity, line.barcode) for line in lines],
        catalog, synced_at=register if request.offline and actor.session else None)
    priced = price_sale(
        [
            LineInput(sku=line.sku, quantity=line.quantity,
                      unit_price=price.price if line.unit_price is None else line.unit_price,
                      discount=line.discount, tax_rate=catalog[line.sku].tax_rate)
            for line, price in zip(lines, found, strict=True)
        ],
        order_discount=order_discount,
        tax_inclusive=ctx.config.tax_inclusive,
        currency=ctx.currency,
    )
    review = sale_controls.review(uow, actor, terms, register=request.register,
                                  skus=[line.sku for line in lines], found=found,
                                  priced=priced)
    return found, priced, review


def document_number(uow: UnitOfWork, kind: str, register: Register | None,
                    location: Location) -> str:
    """Gap-free numbers per register ("R1-000042"), or per location without one ("S1/000042").

    Returns carry an R before the number ("R1-R000003"). Taken last in the transaction so
    the counter row stays locked only briefly.
    """
    marker = "R" if kind == "return" else ""
    if register is not None:
        number = uow.numbers.next(f"{kind}:register:{register.code}")
        return f"{register.code}-{marker}{number:06d}"
    number = uow.numbers.next(f"{kind}:location:{location.code}")
    return f"{location.code}/{marker}{number:06d}"


def _take_stock(uow: UnitOfWork, actor: Actor, location: Location, *,
                catalog: dict[str, PricedProduct], priced: PricedSale, sale_id: str,
                enforce: bool, kind: MovementKind) -> list[RecordedMovement]:
    wanted: dict[str, Decimal] = {}
    for line in priced.lines:
        wanted[line.sku] = wanted.get(line.sku, ZERO) + line.quantity
    return record_movements(
        uow, actor, {p.id: p.sku for p in catalog.values()}, [location],
        [Movement(catalog[sku].id, location.id, kind, -quantity,
                  reference=f"sale:{sale_id}") for sku, quantity in wanted.items()],
        guard=enforce,
    )


def _sale_record(*, sale_id: str, number: str, location: Location, register: Register | None,
                 shift_id: str | None, customer: str | None, priced: PricedSale,
                 catalog: dict[str, PricedProduct], settlement: Settlement,
                 order_discount: Decimal, tax_inclusive: bool, uow: UnitOfWork,
                 actor: Actor, origin: Origin, offline: bool,
                 offline_number: str | None) -> SaleRecord:
    return SaleRecord(
        id=sale_id, number=number, status=COMPLETED, location=location.code,
        register=register.code if register else None, shift_id=shift_id, customer_id=customer,
        lines=tuple(
            SaleLineRecord(
                line_no=n, sku=line.sku, name=catalog[line.sku].name, quantity=line.quantity,
                unit_price=line.unit_price, tax_rate=line.tax_rate, gross=line.gross,
                line_discount=line.line_discount, order_discount=line.order_discount,
                net=line.net, tax=line.tax, total=line.total, returned_quantity=ZERO,
            )
            for n, line in enumerate(priced.lines, start=1)
        ),
        subtotal=priced.subtotal, order_discount=order_discount,
        discount_total=priced.discount_total, tax_total=priced.tax_total, total=priced.total,
        payments=tuple(PaymentRecord(t.method, t.amount, t.reference)
                       for t in settlement.tenders),
        tendered=settlement.tendered, change_due=settlement.change_due,
        tax_inclusive=tax_inclusive, created_at=uow.now, created_by=actor.name,
        channel=origin.channel, external_id=origin.external_id, offline=offline,
        offline_number=offline_number,
    )


def _location(uow: UnitOfWork, code: str) -> Location:
    location = uow.locations.get(code)
    if location is None:
        raise InvalidInput(f"unknown location {code!r}", details={"field": "location"})
    return location


def _where(uow: UnitOfWork,
           request: SaleRequest) -> tuple[Location, Register | None, str | None]:
    """The sale's location, register and open shift; the usual till sale takes one query."""
    if request.register is not None:
        till = uow.registers.till(request.register)
        if till is not None and till[1].code == request.location:
            return till[1], till[0], till[2]
    location = _location(uow, request.location)
    return (location, *_register_and_shift(uow, request.register, location,
                                           offline=request.offline))


def _register_and_shift(uow: UnitOfWork, code: str | None, location: Location, *,
                        offline: bool) -> tuple[Register | None, str | None]:
    if code is None:
        return None, None
    register = uow.registers.get(code)
    if register is None:
        raise InvalidInput(f"unknown register {code!r}", details={"field": "register"})
    if register.location_id != location.id:
        raise InvalidInput(f"register {code!r} is not at location {location.code!r}",
                           details={"field": "register"})
    shift_id = uow.shifts.open_shift_of(register.id)
    # An offline sale happened already; if its shift was closed meanwhile it stands alone.
    if shift_id is None and not offline:
        raise Conflict(f"register {code!r} has no open shift; open one first",
                       details={"register": code})
    return register, shift_id


def _products(uow: UnitOfWork, lines: Sequence[_ParsedLine]) -> dict[str, PricedProduct]:
    catalog = uow.products.for_checkout(line.sku for line in lines)
    for index, line in enumerate(lines):
        product = catalog.get(line.sku)
        if product is None:
            raise InvalidInput(f"line {index + 1}: unknown SKU {line.sku!r}",
                               details={"field": f"lines[{index}].sku", "sku": line.sku})
        if not product.active:
            raise InvalidInput(f"line {index + 1}: product {line.sku!r} is not for sale",
                               details={"field": f"lines[{index}].sku", "sku": line.sku})
    return catalog


def _parse_lines(ctx: ServiceContext, lines: Sequence[SaleLineRequest]) -> list[_ParsedLine]:
    if not lines:
        raise InvalidInput("a sale needs at least one line", details={"field": "lines"})
    parsed = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        quantity = validate_quantity(parse_quantity(line.quantity, field=f"{field}.quantity"),
                                     field=f"{field}.quantity")
        unit_price = None
        if line.unit_price is not None:
            unit_price = ctx.currency.parse(line.unit_price, field=f"{field}.unit_price")
            if unit_price < 0:
                raise InvalidInput("unit_price must not be negative",
                                   details={"field": f"{field}.unit_price"})
        parsed.append(_ParsedLine(sku=line.sku, quantity=quantity, unit_price=unit_price,
                                  discount=_money(ctx, line.discount, f"{field}.discount"),
                                  barcode=line.barcode))
    return parsed


def parse_tenders(ctx: ServiceContext, tenders: Sequence[TenderRequest], *,
                   field: str) -> list[TenderInput]:
    return [
        TenderInput(method=t.method,
                    amount=ctx.currency.parse(t.amount, field=f"{field}[{i}].amount"),
                    reference=t.reference)
        for i, t in enumerate(tenders)
    ]


def _money(ctx: ServiceContext, raw: object | None, field: str) -> Decimal:
    return ZERO if raw is None else ctx.currency.parse(raw, field=field)


def get_sale(ctx: ServiceContext, sale_id: str) -> SaleRecord:
    with ctx.uow(read_only=True) as uow:
        record = uow.sales.get(sale_id)
    if record is None:
        raise NotFound(f"no sale {sale_id!r}", details={"id": sale_id})
    return record


def list_sales(ctx: ServiceContext, *, channel: str | None, location: str | None,
               number: str | None = None, after: tuple[datetime, str] | None,
               limit: int) -> tuple[list[SaleRecord], tuple[datetime, str] | None]:
    """A page of sales in recording order, and the cursor of the next page (if any)."""
    with ctx.uow(read_only=True) as uow:
        location_id = None
        if location is not None:
            found = uow.locations.get(location)
            if found is None:
                raise InvalidInput(f"unknown location {location!r}",
                                   details={"field": "location"})
            location_id = found.id
        positions = uow.sales.list_ids(channel=channel, location_id=location_id, number=number,
                                       after=after, limit=limit + 1)
        records = [uow.sales.get(sale_id) for _, sale_id in positions[:limit]]
    more = len(positions) > limit
    return [r for r in records if r is not None], positions[limit - 1] if more else None
