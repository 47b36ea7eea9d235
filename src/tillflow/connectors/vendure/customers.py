"""Vendure customers: matched by id, then email, then phone; Vendure needs an email
address (and a first and last name, which may be empty) to create one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.vendure import queries
from tillflow.connectors.vendure.client import VendureClient, result
from tillflow.ports.commerce import Buyer, Rejected, RemoteCustomer, Upserted

PAGE = 100
PAGES = 5


class VendureCustomers:
    def __init__(self, client: VendureClient) -> None:
        self.client = client

    def get(self, external_id: str) -> RemoteCustomer | None:
        data = self.client.execute(queries.CUSTOMER_BY_ID, {"id": external_id})
        return None if data["customer"] is None else _customer(data["customer"])

    def upsert(self, buyer: Buyer, external_id: str | None) -> Upserted:
        current = self.get(external_id) if external_id else None
        for field, value in (("emailAddress", buyer.email), ("phoneNumber", buyer.phone)):
            if current is None and value:
                current = self._match(field, value)
        fields = {k: v for k, v in (("emailAddress", buyer.email),
                                    ("phoneNumber", buyer.phone),
                                    ("firstName", buyer.first_name),
                                    ("lastName", buyer.last_name)) if v is not None}
        if current is not None:
            result(self.client.execute(queries.UPDATE_CUSTOMER, {
                "input": {"id": current.external_id, **fields}}), "updateCustomer")
            return Upserted(current.external_id, created=False)
        if not buyer.email:
            raise Rejected("Vendure needs an email address to create a customer")
        created = result(self.client.execute(queries.CREATE_CUSTOMER, {"input": {
            "firstName": "", "lastName": "", **fields}}), "createCustomer")
        return Upserted(str(created["id"]), created=True)

    def changes(self, after: str, cursor: str | None
                ) -> tuple[list[RemoteCustomer], str | None]:
        found: list[RemoteCustomer] = []
        for page in range(PAGES):
            items = self.client.execute(queries.CUSTOMERS_CHANGED, {
                "after": after, "skip": page * PAGE, "take": PAGE})["customers"]["items"]
            found.extend(_customer(item) for item in items)
            if len(items) < PAGE:
                break
        return found, max((c.updated_at for c in found), default=cursor)

    def _match(self, field: str, value: str) -> RemoteCustomer | None:
        items = self.client.execute(queries.CUSTOMERS_MATCHING, {
            "filter": {field: {"eq": value.strip()}}})["customers"]["items"]
        return _customer(items[0]) if items else None


def _customer(node: Mapping[str, Any]) -> RemoteCustomer:
    return RemoteCustomer(external_id=str(node["id"]), email=node.get("emailAddress") or None,
                          phone=node.get("phoneNumber") or None,
                          first_name=node.get("firstName") or None,
                          last_name=node.get("lastName") or None,
                          updated_at=node["updatedAt"])
