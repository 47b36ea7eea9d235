"""Shopify customers in the port's terms: found by email, then phone; only the fields
tillflow gives are written."""

from __future__ import annotations

from typing import Any

from tillflow.connectors.shopify import queries
from tillflow.connectors.shopify.client import ShopifyClient, user_errors
from tillflow.ports.commerce import Buyer, Rejected, RemoteCustomer, Upserted

PAGES = 8


def customer_from(node: dict[str, Any]) -> RemoteCustomer:
    return RemoteCustomer(external_id=str(node["id"]), email=email_of(node),
                          phone=phone_of(node), first_name=node.get("firstName"),
                          last_name=node.get("lastName"), updated_at=str(node["updatedAt"]))


def email_of(node: dict[str, Any]) -> str | None:
    found: str | None = (node.get("defaultEmailAddress") or {}).get("emailAddress")
    return found


def phone_of(node: dict[str, Any]) -> str | None:
    found: str | None = (node.get("defaultPhoneNumber") or {}).get("phoneNumber")
    return found


def fetch(client: ShopifyClient, external_id: str) -> RemoteCustomer | None:
    node = client.execute(queries.CUSTOMER, {"id": external_id}, expected_cost=2)["customer"]
    return None if node is None else customer_from(node)


def upsert(client: ShopifyClient, customer: Buyer, external_id: str | None) -> Upserted:
    current = fetch(client, external_id) if external_id else None
    current = current or _match(client, customer)
    fields = {name: value for name, value in (
        ("email", customer.email), ("phone", customer.phone),
        ("firstName", customer.first_name), ("lastName", customer.last_name))
        if value is not None}
    if current is not None:
        changed = {k: v for k, v in fields.items() if _field(current, k) != v}
        if changed:
            _mutate(client, queries.CUSTOMER_UPDATE, "customerUpdate",
                    {"id": current.external_id, **changed})
        return Upserted(current.external_id, created=False)
    made = _mutate(client, queries.CUSTOMER_CREATE, "customerCreate", fields)
    return Upserted(str(made["customer"]["id"]), created=True)


def _field(current: RemoteCustomer, name: str) -> str | None:
    return {"email": current.email, "phone": current.phone, "firstName": current.first_name,
            "lastName": current.last_name}[name]


def _match(client: ShopifyClient, customer: Buyer) -> RemoteCustomer | None:
    for field, value in (("email", customer.email), ("phone", customer.phone)):
        if not value:
            continue
        page = client.execute(queries.CUSTOMERS, {"q": f"{field}:'{value}'", "after": None},
                              expected_cost=102)["customers"]
        for node in page["nodes"]:
            found = customer_from(node)
            mine = found.email if field == "email" else found.phone
            if mine and mine.lower() == value.lower():
                return found
    return None


def _mutate(client: ShopifyClient, query: str, name: str,
            fields: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = client.execute(query, {"input": fields})[name]
    if user_errors(result):
        raise Rejected(f"{name}: {user_errors(result)[0]['message']}")
    return result


def changes(client: ShopifyClient, cursor: str | None
            ) -> tuple[list[RemoteCustomer], str | None]:
    """Customers updated at or after ``cursor``; the cursor repeats the last second rather
    than skip a change made within it."""
    query = None if cursor is None else f"updated_at:>='{cursor}'"
    found: list[RemoteCustomer] = []
    after: str | None = None
    for _ in range(PAGES):
        page = client.execute(queries.CUSTOMERS, {"q": query, "after": after},
                              expected_cost=102)["customers"]
        found.extend(customer_from(n) for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return found, max((c.updated_at for c in found), default=cursor)
