"""Who a sales document is to in Xero: the walk-in contact, or a named customer's own.

A tillflow customer is the Xero contact whose ``ContactNumber`` is ``TF-<customer id>``,
made on first use with the customer's name (or email) and email; a name another contact
holds already (Xero keeps names unique) gets the number after it. A sale without a
customer goes to the walk-in contact (``settings.party``, ``Walk-in Customer`` by
default), named so that Xero finds it, or makes it once.
"""

from __future__ import annotations

from typing import Any

from tillflow.connectors.xero.client import XeroClient
from tillflow.domain.accounting.entries import Buyer

WALK_IN = "Walk-in Customer"


class XeroContacts:
    def __init__(self, client: XeroClient, *, walk_in: str | None = None) -> None:
        self.client = client
        self.walk_in = walk_in or WALK_IN
        self._ids: dict[str, str] = {}

    def of(self, buyer: Buyer | None) -> dict[str, Any]:
        if buyer is None:
            return {"Name": self.walk_in}
        number = f"TF-{buyer.id}"
        if number not in self._ids:
            self._ids[number] = self._find(number) or self._make(buyer, number)
        return {"ContactID": self._ids[number]}

    def _find(self, number: str) -> str | None:
        answer = self.client.get("/Contacts", where=f'ContactNumber=="{number}"')
        found = answer["Contacts"]
        return str(found[0]["ContactID"]) if found else None

    def _make(self, buyer: Buyer, number: str) -> str:
        name = buyer.name or buyer.email or number
        taken = self.client.get("/Contacts", where=f'Name=="{_escaped(name)}"')["Contacts"]
        contact: dict[str, Any] = {"Name": f"{name} ({number})" if taken else name,
                                   "ContactNumber": number, "IsCustomer": True}
        if buyer.email:
            contact["EmailAddress"] = buyer.email
        answer = self.client.put("/Contacts", {"Contacts": [contact]})
        return str(answer["Contacts"][0]["ContactID"])


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
