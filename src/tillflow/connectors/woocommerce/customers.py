"""WooCommerce customers in the port's terms.

A WooCommerce customer is a WordPress user: it needs an email, and the API finds one by
email only (the phone lives in the billing address, which no list filter reads). So
matching here is by email; tillflow's own matching still uses the phone.

The customers endpoint lists every WordPress user with ``role=all``, the shop's
administrator and staff among them. Staff are not customers: they are never imported,
matched to a buyer or written to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.woocommerce.client import WooClient
from tillflow.connectors.woocommerce.dates import stamp
from tillflow.ports.commerce import Buyer, Rejected, RemoteCustomer, Upserted

PAGE = 100
PAGES = 8
# WordPress's and WooCommerce's roles for the people who run the shop.
STAFF_ROLES = frozenset({"administrator", "shop_manager", "editor", "author", "contributor"})


def customer_from(payload: Mapping[str, Any]) -> RemoteCustomer:
    billing = payload.get("billing") or {}
    version = stamp(payload)
    if version is None:
        raise Rejected(f"WooCommerce customer {payload.get('id')} has neither a "
                       "modification nor a registration date")
    return RemoteCustomer(
        external_id=str(payload["id"]), email=payload.get("email") or None,
        phone=billing.get("phone") or None, first_name=payload.get("first_name") or None,
        last_name=payload.get("last_name") or None, updated_at=version)


def is_staff(payload: Mapping[str, Any]) -> bool:
    return payload.get("role") in STAFF_ROLES


def fetch(client: WooClient, external_id: str) -> RemoteCustomer | None:
    """The customer, or None when it is gone or is one of the shop's staff."""
    try:
        found = client.call("GET", f"/customers/{int(external_id)}")
    except Rejected as exc:
        if "404" in str(exc) or "invalid_id" in str(exc):
            return None
        raise
    return None if is_staff(found) else customer_from(found)


def by_email(client: WooClient, email: str) -> RemoteCustomer | None:
    found = _user_by_email(client, email)
    return None if found is None or is_staff(found) else customer_from(found)


def _user_by_email(client: WooClient, email: str) -> dict[str, Any] | None:
    found: list[dict[str, Any]] = client.call("GET", "/customers",
                                              params={"email": email, "role": "all"})
    return found[0] if found else None


def upsert(client: WooClient, customer: Buyer, external_id: str | None) -> Upserted:
    current = fetch(client, external_id) if external_id and external_id.isdigit() else None
    if current is None and customer.email:
        user = _user_by_email(client, customer.email)
        if user is not None and is_staff(user):
            raise Rejected(f"{customer.email} is the email of one of the shop's staff "
                           f"(WordPress role {user['role']}), not of a customer: it is not "
                           "written over")
        current = None if user is None else customer_from(user)
    body = _body(customer)
    if current is not None:
        changed = _changed(current, customer)
        if changed:
            client.call("PUT", f"/customers/{current.external_id}", json=body)
        return Upserted(current.external_id, created=False)
    if not customer.email:
        raise Rejected("a WooCommerce customer needs an email")
    created = client.call("POST", "/customers", json=body)
    return Upserted(str(created["id"]), created=True)


def _body(customer: Buyer) -> dict[str, Any]:
    names = {k: v for k, v in (("first_name", customer.first_name),
                               ("last_name", customer.last_name)) if v is not None}
    billing = {**names, **{k: v for k, v in (("email", customer.email),
                                             ("phone", customer.phone)) if v is not None}}
    body: dict[str, Any] = {**names, "billing": billing}
    if customer.email is not None:
        body["email"] = customer.email
    return body


def _changed(current: RemoteCustomer, customer: Buyer) -> bool:
    pairs = ((current.email, customer.email), (current.phone, customer.phone),
             (current.first_name, customer.first_name), (current.last_name, customer.last_name))
    return any(new is not None and (old or "").lower() != new.lower() for old, new in pairs)


def changes(client: WooClient, cursor: str | None
            ) -> tuple[list[RemoteCustomer], str | None]:
    """Customers changed at or after ``cursor``. The customers endpoint has no date filter,
    so the first pages are read and filtered here; the newest customers come first."""
    found: list[RemoteCustomer] = []
    for page in range(1, PAGES + 1):
        items = client.call("GET", "/customers", params={
            "per_page": PAGE, "page": page, "orderby": "registered_date", "order": "desc",
            "role": "all"})
        found.extend(c for c in map(customer_from, (i for i in items if not is_staff(i)))
                     if cursor is None or c.updated_at >= cursor)
        if len(items) < PAGE:
            break
    found.sort(key=lambda c: c.updated_at)
    return found, max((c.updated_at for c in found), default=cursor)
