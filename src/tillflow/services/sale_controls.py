"""Who may record which sale, and what a sale at the till needs a manager's approval for.

Checked at the server in the sale's own transaction, whatever the client sends:

- ``offline: true`` (never refused for stock) only from a paired register's session;
  a ``channel`` sale (a web shop's order, as the shop charged it) only from an
  integration or an admin; ``stock_override`` (selling what the ledger says is not
  there) only by staff.
- A line below the price the server finds (``sale_prices``) is a price override. A role
  with limits (a cashier) gives discounts and overrides up to the store's limits alone;
  beyond them, and for a stock override, the sale carries a manager's approval naming
  those acts (``staff_approvals``), used up with the sale.

Price overrides, approved discounts and stock overrides go to the audit trail with the
sale; offline lines priced at a register's outdated catalog become price discrepancies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tillflow.domain import controls
from tillflow.domain.errors import Forbidden
from tillflow.domain.money import Currency
from tillflow.domain.records import SaleRecord
from tillflow.domain.sales import PricedSale
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import PricedProduct, Register
from tillflow.services import audit, payloads
from tillflow.services.context import Actor
from tillflow.services.sale_prices import FoundPrice
from tillflow.services.staff_approvals import required, use_approval_in

POS = "pos"
CHANNEL_ROLES = frozenset({"integration", "admin"})
STAFF_ROLES = frozenset({"cashier", "manager", "admin"})
# Roles whose prices and discounts are theirs to set: no limits are read for them.
FREE_ROLES = frozenset({"manager", "admin", "integration"})


@dataclass(frozen=True)
class SaleTerms:
    """What the request asks beyond a plain sale: how it was made and what it carries."""

    channel: str = POS
    offline: bool = False
    stock_override: bool = False
    approval: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Review:
    lines: tuple[controls.PricedLine, ...]
    acts: frozenset[str]
    approved_by: str | None


def authorise(actor: Actor, terms: SaleTerms) -> None:
    """Refuse a sale this actor may not record at all (nothing read, nothing written)."""
    if terms.offline and not actor.session:
        raise Forbidden("offline: true is only for sales a paired register made offline, "
                        "sent by a staff session there", details={"field": "offline"})
    if terms.channel != POS and actor.role not in CHANNEL_ROLES:
        raise Forbidden(f"a {terms.channel!r} sale comes from an integration or an admin, "
                        f"not a {actor.role}", details={"field": "channel", "role": actor.role})
    if terms.stock_override and actor.role not in STAFF_ROLES:
        raise Forbidden("a stock override is made by staff at the till",
                        details={"field": "stock_override", "role": actor.role})


def review(uow: UnitOfWork, actor: Actor, terms: SaleTerms, *, register: str | None,
           skus: Sequence[str], found: Sequence[FoundPrice],
           priced: PricedSale) -> Review:
    """The sale's lines as found and sold, and the approval its acts need (used up here,
    in the sale's transaction, so a refused sale leaves it unused)."""
    lines = tuple(controls.PricedLine(sku=sku, found=f.price, sold=p.unit_price,
                                      source=f.source)
                  for sku, f, p in zip(skus, found, priced.lines, strict=True))
    if terms.channel != POS:
        return Review(lines=lines, acts=frozenset(), approved_by=None)
    asks = priced.discount_total > 0 or terms.stock_override or any(
        line.overridden for line in lines)
    limits = None
    if asks and actor.role not in FREE_ROLES:
        limits = controls.limits_for(actor.role, uow.limits.read())
    acts = controls.acts_needed(limits, lines, subtotal=priced.subtotal,
                                discount_total=priced.discount_total,
                                stock_override=terms.stock_override)
    approved_by = None
    if acts:
        if terms.approval is None:
            raise required(acts, "this sale")
        approved_by = use_approval_in(uow, token=terms.approval, acts=acts, register=register,
                                      key=terms.key, allow_expired=terms.offline)
    return Review(lines=lines, acts=acts, approved_by=approved_by)


def record(uow: UnitOfWork, actor: Actor, sale: SaleRecord, outcome: Review, *,
           terms: SaleTerms, found: Sequence[FoundPrice], catalog: dict[str, PricedProduct],
           register: Register | None, currency: Currency) -> None:
    """The sale's sensitive acts into the audit trail, and its price discrepancies."""
    subject, money = f"sale:{sale.id}", currency.format
    for line in outcome.lines:
        if line.overridden and terms.channel == POS:
            audit.record(uow, actor, "sale.price_override", subject=subject,
                         number=sale.number, sku=line.sku, found=money(line.found),
                         sold=money(line.sold), source=line.source,
                         approved_by=_approver(outcome, controls.PRICE))
    if controls.DISCOUNT in outcome.acts:
        audit.record(uow, actor, "sale.discount_approved", subject=subject, number=sale.number,
                     discount=money(sale.discount_total), subtotal=money(sale.subtotal),
                     approved_by=outcome.approved_by)
    if terms.stock_override:
        audit.record(uow, actor, "sale.stock_override", subject=subject, number=sale.number,
                     skus=sorted({line.sku for line in sale.lines}),
                     approved_by=_approver(outcome, controls.STOCK))
    if register is not None:
        _discrepancies(uow, sale, found, catalog, register=register, currency=currency)


def _discrepancies(uow: UnitOfWork, sale: SaleRecord, found: Sequence[FoundPrice],
                   catalog: dict[str, PricedProduct], *, register: Register,
                   currency: Currency) -> None:
    for line, price in zip(sale.lines, found, strict=True):
        if price.stale is None:
            continue
        product = catalog[line.sku]
        uow.register_prices.add_discrepancy(
            sale_id=sale.id, product_id=product.id, register_id=register.id,
            synced=price.stale, catalog_price=product.price, quantity=line.quantity,
            now=uow.now)
        uow.emit("price.discrepancy", {
            "sale_id": sale.id, "number": sale.number, "register": register.code,
            "sku": line.sku, "sold_at": currency.format(price.stale.price),
            "catalog_price": currency.format(product.price),
            "quantity": payloads.quantity(line.quantity),
            "synced_at": price.stale.synced_at.isoformat()})


def _approver(outcome: Review, act: str) -> str | None:
    return outcome.approved_by if act in outcome.acts else None


