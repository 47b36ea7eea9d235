"""Customers: normalised contact details, one record per email."""

from __future__ import annotations

import uuid
from dataclasses import replace

import phonenumbers

from tillflow.domain.catalog import validate_name
from tillflow.domain.customers import Customer, normalise_email
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.services import payloads
from tillflow.services.context import ServiceContext


def normalise_phone(raw: str, region: str) -> str:
    """E.164 form; numbers without a country code are read in the store's region."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput(f"{raw!r} is not a phone number", details={"field": "phone"}) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(f"{raw!r} is not a valid phone number", details={"field": "phone"})
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def create_customer(ctx: ServiceContext, *, name: str | None, email: str | None,
                    phone: str | None) -> Customer:
    if email is None and phone is None:
        raise InvalidInput("a customer needs an email or a phone number",
                           details={"field": "email"})
    customer = Customer(
        id=str(uuid.uuid4()),
        name=validate_name(name) if name is not None else None,
        email=normalise_email(email) if email is not None else None,
        phone=normalise_phone(phone, ctx.config.phone_region) if phone is not None else None,
    )
    with ctx.uow() as uow:
        if customer.email and uow.customers.find(email=customer.email, phone=None):
            raise Conflict(f"a customer with email {customer.email!r} exists",
                           details={"email": customer.email})
        try:
            uow.customers.add(customer, uow.now)
        except DuplicateRecord:
            raise Conflict(f"a customer with email {customer.email!r} exists",
                           details={"email": customer.email}) from None
        uow.emit("customer.created", payloads.customer(customer))
        uow.commit()
    return customer


def find_customers(ctx: ServiceContext, *, email: str | None,
                   phone: str | None) -> list[Customer]:
    if email is None and phone is None:
        raise InvalidInput("give email or phone to look a customer up",
                           details={"field": "email"})
    with ctx.uow(read_only=True) as uow:
        return uow.customers.find(
            email=normalise_email(email) if email is not None else None,
            phone=normalise_phone(phone, ctx.config.phone_region) if phone is not None else None,
        )


def search_customers(ctx: ServiceContext, *, query: str, after_id: str | None,
                     limit: int) -> list[Customer]:
    with ctx.uow(read_only=True) as uow:
        return uow.customers.search(query=query.strip(), after_id=after_id, limit=limit)


def update_customer(ctx: ServiceContext, customer_id: str, *, changes: dict[str, str | None],
                    ) -> Customer:
    """Change a customer's name, email or phone (each as ``create_customer`` checks it);
    the ``customer.updated`` event carries it to the shops."""
    current = get_customer(ctx, customer_id)
    email = changes.get("email", current.email)
    phone = changes.get("phone", current.phone)
    if email is None and phone is None:
        raise InvalidInput("a customer needs an email or a phone number",
                           details={"field": "email"})
    name = changes.get("name", current.name)
    updated = replace(
        current, name=validate_name(name) if name is not None else None,
        email=normalise_email(email) if email is not None else None,
        phone=normalise_phone(phone, ctx.config.phone_region) if phone is not None else None)
    with ctx.uow() as uow:
        if updated.email and updated.email != current.email and uow.customers.find(
                email=updated.email, phone=None):
            raise Conflict(f"a customer with email {updated.email!r} exists",
                           details={"field": "email"})
        if updated != current:
            try:
                uow.customers.update(updated, uow.now)
            except DuplicateRecord:
                raise Conflict(f"a customer with email {updated.email!r} exists",
                               details={"field": "email"}) from None
            uow.emit("customer.updated", payloads.customer(updated))
        uow.commit()
    return updated


def get_customer(ctx: ServiceContext, customer_id: str) -> Customer:
    with ctx.uow(read_only=True) as uow:
        customer = uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id!r}", details={"id": customer_id})
    return customer


def match_customer(uow: UnitOfWork, email: str | None, phone: str | None) -> Customer | None:
    """The customer with the normalised ``email``, else the one with the ``phone``."""
    for by_email, by_phone in ((email, None), (None, phone)):
        if by_email or by_phone:
            found = uow.customers.find(email=by_email, phone=by_phone)
            if found:
                return found[0]
    return None


def fill_customer(uow: UnitOfWork, local: Customer, *, name: str | None, email: str | None,
                  phone: str | None) -> bool:
    """Give ``local`` the values it has none for (an email another customer has stays
    theirs); True when it changed, with its ``customer.updated`` event."""
    merged = replace(local, name=local.name or name, email=local.email or email,
                     phone=local.phone or phone)
    if merged.email != local.email and merged.email is not None and uow.customers.find(
            email=merged.email, phone=None):
        merged = replace(merged, email=local.email)
    if merged == local:
        return False
    uow.customers.update(merged, uow.now)
    uow.emit("customer.updated", payloads.customer(merged))
    return True
