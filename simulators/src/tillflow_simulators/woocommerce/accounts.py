"""Customers (WordPress users with the ``customer`` role). Callers hold ``state.lock``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tillflow_simulators.woocommerce import shapes
from tillflow_simulators.woocommerce.catalog import apply_meta
from tillflow_simulators.woocommerce.errors import WooError, missing_param
from tillflow_simulators.woocommerce.models import BILLING_FIELDS, SHIPPING_FIELDS, Customer
from tillflow_simulators.woocommerce.state import ShopEvent, ShopState

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def get_customer(state: ShopState, customer_id: int, *, status: int = 404) -> Customer:
    record = state.customers.get(customer_id)
    if record is None and status == 404:  # ``new WC_Customer($id)`` refuses an unknown user
        raise WooError("wc_user_invalid_id", "Invalid user ID.", 404)
    if record is None:
        raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", status)
    return record


def add_administrator(state: ShopState) -> Customer:
    """The user WordPress's installer makes: the shop's administrator, listed among the
    customers with ``role=all``; WooCommerce has never saved it as a customer, so it has
    no modification date."""
    record = Customer(id=state.next_id("user"), email="admin@example.com", username="admin",
                      date_created=state.now(), date_modified=None, role="administrator")
    state.customers[record.id] = record
    return record


def find_by_email(state: ShopState, email: str) -> Customer | None:
    """WordPress matches user emails without regard to case."""
    wanted = email.strip().lower()
    return next((c for c in state.customers.values() if c.email.lower() == wanted), None)


def create_customer(state: ShopState, body: Mapping[str, Any]) -> Customer:
    if body.get("id"):
        raise WooError("woocommerce_rest_customer_exists", "Cannot create existing resource.", 400)
    email = str(body.get("email") or "").strip()
    if not email:
        raise missing_param("email")
    _check_email(state, email, current=None)
    now = state.now()
    record = Customer(
        id=state.next_id("user"),
        email=email,
        username=str(body.get("username") or _username(state, email)),
        date_created=now,
        date_modified=now,
    )
    _apply(state, record, body)
    state.customers[record.id] = record
    # ``user_register`` fires ``customer.created``; saving the new customer's WooCommerce
    # data then fires ``profile_update``, which is ``customer.updated``.
    state.emit(ShopEvent("customer", "created", record.id, shapes.customer(state, record)))
    state.emit(ShopEvent("customer", "updated", record.id, shapes.customer(state, record)))
    return record


def update_customer(state: ShopState, customer_id: int, body: Mapping[str, Any]) -> Customer:
    record = get_customer(state, customer_id, status=400)
    if body.get("email"):
        email = str(body["email"]).strip()
        _check_email(state, email, current=record)
        record.email = email
    _apply(state, record, body)
    record.date_modified = state.now()
    state.emit(ShopEvent("customer", "updated", record.id, shapes.customer(state, record)))
    return record


def delete_customer(state: ShopState, customer_id: int, *, force: bool) -> dict[str, Any]:
    if not force:
        raise WooError(
            "woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501
        )
    record = get_customer(state, customer_id)
    shown = shapes.customer(state, record)
    del state.customers[customer_id]
    state.emit(ShopEvent("customer", "deleted", record.id, {"id": record.id}))
    return shown


def _check_email(state: ShopState, email: str, *, current: Customer | None) -> None:
    if not _EMAIL.match(email):
        raise WooError(
            "registration-error-invalid-email", "Please provide a valid email address.", 400
        )
    owner = find_by_email(state, email)
    if owner is not None and owner is not current:
        raise WooError(
            "registration-error-email-exists",
            "An account is already registered with your email address. Please log in.",
            400,
        )


def _apply(state: ShopState, record: Customer, body: Mapping[str, Any]) -> None:
    for name in ("first_name", "last_name"):
        if body.get(name) is not None:
            setattr(record, name, str(body[name]))
    for name, fields in (("billing", BILLING_FIELDS), ("shipping", SHIPPING_FIELDS)):
        posted = body.get(name)
        if isinstance(posted, dict):
            getattr(record, name).update({k: str(v) for k, v in posted.items() if k in fields})
    if isinstance(body.get("meta_data"), list):
        apply_meta(state, record.meta_data, body["meta_data"])


def _username(state: ShopState, email: str) -> str:
    """``wc_create_new_customer_username``: the address's local part, made unique."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower()) or "customer"
    taken = {c.username for c in state.customers.values()}
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate
