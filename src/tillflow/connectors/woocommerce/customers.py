"""WooCommerce customers in the port's terms.

A WooCommerce customer is a WordPress user: it needs an email, and the API finds one by
email only (the phone lives in the billing address, which no list filter reads). So
matching here is by email; tillflow's own matching still uses the phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.woocommerce.client import WooClient
from tillflow.ports.commerce import Buyer, Rejected, RemoteCustomer, Upserted

PAGE = 100
PAGES = 8


def customer_from(payload: Mapping[str, Any]) -> RemoteCustomer:
    billing = payload.get("billing") or {}
    return RemoteCustomer(
        external_id=str(payload["id"]), email=payload.get("email") or None,
        phone=billing.get("phone") or None, first_name=payload.get("first_name") or None,
        last_name=payload.get("last_name") or None,
        updated_at=f"{payload['date_modified_gmt']}Z")


def fetch(client: WooClient, external_id: str) -> RemoteCustomer | None:
    try:
        return customer_from(client.call("GET", f"/customers/{int(external_id)}"))
    except Rejected as exc:
        if "404" in str(exc) or "invalid_id" in str(exc):
            return None
        raise


def by_email(client: WooClient, email: str) -> RemoteCustomer | None:
    found = client.call("GET", "/customers", params={"email": email, "role": "all"})
    return customer_from(found[0]) if found else None


def upsert(client: WooClient, customer: Buyer, external_id: str | None) -> Upserted:
    current = fetch(client, external_id) if external_id and external_id.isdigit() else None
    if current is None and customer.email:
        current = by_email(client, customer.email)
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
        found.extend(c for c in map(customer_from, items)
                     if cursor is None or c.updated_at >= cursor)
        if len(items) < PAGE:
            break
    found.sort(key=lambda c: c.updated_at)
    return found, max((c.updated_at for c in found), default=cursor)
