"""Customers both ways, one person once.

Matching, on both sides: the normalised email first, then the phone (E.164). Field
ownership: tillflow owns name, email and phone once it has a value for them (the till
finds people by them), and pushes those it has; the shop fills the ones tillflow lacks
and keeps every field tillflow does not have (addresses, consent, notes, tags). So a
customer pushed and announced back changes nothing, and the two never overwrite each
other in a loop.
"""

from __future__ import annotations

import uuid

import structlog

from tillflow.db.uow import connection_of
from tillflow.domain.catalog import validate_name
from tillflow.domain.customers import Customer, normalise_email
from tillflow.domain.errors import DomainError
from tillflow.ports.commerce import Buyer, CommerceChannel, Rejected, RemoteCustomer
from tillflow.services import payloads
from tillflow.services.context import ServiceContext
from tillflow.services.customers import fill_customer, match_customer, normalise_phone
from tillflow.sync import idmap
from tillflow.sync.channels import Shop

log = structlog.get_logger("tillflow.sync")


def buyer_of(customer: Customer) -> Buyer:
    """A tillflow customer in the shop's terms: the first word of the name is the first
    name, the rest the last name."""
    first, _, last = (customer.name or "").strip().partition(" ")
    return Buyer(email=customer.email, phone=customer.phone, first_name=first or None,
                 last_name=last.strip() or None)


def push_customer(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                  customer_id: str) -> None:
    with ctx.uow(read_only=True) as uow:
        customer = uow.customers.get(customer_id)
        known = idmap.by_local(connection_of(uow), shop.name, idmap.CUSTOMER, customer_id)
    if customer is None:
        raise Rejected(f"tillflow has no customer {customer_id!r}")
    try:
        result = channel.upsert_customer(buyer_of(customer),
                                         None if known is None else known.external_id)
    except Rejected as exc:  # a customer the shop cannot hold is not a sync failure
        log.warning("customer not pushed", connection=shop.name, customer=customer_id,
                    reason=str(exc))
        return
    with ctx.uow() as uow:
        idmap.put(connection_of(uow), shop.name, idmap.CUSTOMER,
                  idmap.Mapping(customer_id, result.external_id,
                                None if known is None else known.version, {}), now=uow.now)
        uow.commit()


def merge_customer(ctx: ServiceContext, shop: Shop, remote: RemoteCustomer) -> str:
    """Apply a shop's customer; returns "created", "merged", "unchanged", "stale" or
    "no contact"."""
    email, phone = _email(remote.email), _phone(ctx, remote.phone)
    name = _name(remote)
    with ctx.uow() as uow:
        known = idmap.by_external(connection_of(uow), shop.name, idmap.CUSTOMER,
                                  remote.external_id, lock=True)
        if known is not None and known.version and remote.updated_at < known.version:
            return "stale"
        local = uow.customers.get(known.local_id) if known is not None else None
        local = local or match_customer(uow, email, phone)
        if local is None and email is None and phone is None:
            log.info("shop customer without usable contact details", connection=shop.name,
                     customer=remote.external_id)
            return "no contact"
        if local is None:
            local = Customer(id=str(uuid.uuid4()), name=name, email=email, phone=phone)
            uow.customers.add(local, uow.now)
            uow.emit("customer.created", payloads.customer(local))
            outcome = "created"
        else:
            changed = fill_customer(uow, local, name=name, email=email, phone=phone)
            outcome = "merged" if changed else "unchanged"
        version = max((known.version or "") if known else "", remote.updated_at)
        idmap.put(connection_of(uow), shop.name, idmap.CUSTOMER,
                  idmap.Mapping(local.id, remote.external_id, version, {}), now=uow.now)
        uow.commit()
    return outcome


def _email(raw: str | None) -> str | None:
    try:
        return normalise_email(raw) if raw else None
    except DomainError:
        return None


def _phone(ctx: ServiceContext, raw: str | None) -> str | None:
    try:
        return normalise_phone(raw, ctx.config.phone_region) if raw else None
    except DomainError:
        return None


def _name(remote: RemoteCustomer) -> str | None:
    joined = " ".join(p.strip() for p in (remote.first_name, remote.last_name)
                      if p and p.strip())
    try:
        return validate_name(joined) if joined else None
    except DomainError:
        return None
