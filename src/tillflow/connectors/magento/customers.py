"""Magento customer accounts in the port's terms.

An account needs an email, a first and a last name; a name tillflow does not know is
written as ``-`` (and read back as unknown). Magento keeps no phone on the account, only
on its addresses: the phone is read from the default billing address (else the first)
and written there when the account has an address; tillflow does not invent an address
to hold a phone. Accounts are found by email on the connection's website.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from tillflow.connectors.magento import search
from tillflow.connectors.magento.client import MagentoClient, NotFound
from tillflow.connectors.magento.dates import magento_time, stamp
from tillflow.connectors.magento.search import Filter
from tillflow.ports.commerce import Buyer, Rejected, RemoteCustomer, Upserted

UNKNOWN_NAME = "-"
SEARCH = "/V1/customers/search"
CHANGES_PAGES = 8
# Magento's times are to the second: the last second is read again.
OVERLAP = timedelta(seconds=1)


def customer_from(payload: Mapping[str, Any]) -> RemoteCustomer:
    address = _phone_address(payload)
    return RemoteCustomer(
        external_id=str(payload["id"]), email=payload.get("email") or None,
        phone=(address or {}).get("telephone") or None,
        first_name=_name(payload.get("firstname")), last_name=_name(payload.get("lastname")),
        updated_at=stamp(str(payload.get("updated_at") or payload["created_at"])))


def _name(raw: object) -> str | None:
    return None if raw in (None, "", UNKNOWN_NAME) else str(raw)


def _phone_address(payload: Mapping[str, Any]) -> dict[str, Any] | None:
    addresses: list[dict[str, Any]] = list(payload.get("addresses") or [])
    billing = str(payload.get("default_billing") or "")
    chosen = next((a for a in addresses if str(a.get("id")) == billing or a.get(
        "default_billing")), None)
    return chosen or (addresses[0] if addresses else None)


class MagentoCustomers:
    def __init__(self, client: MagentoClient, *, website_id: int) -> None:
        self._client = client
        self._website_id = website_id

    def raw(self, external_id: str) -> dict[str, Any] | None:
        if not external_id.isdigit():
            return None
        try:
            found: dict[str, Any] = self._client.call("GET", f"/V1/customers/{external_id}")
        except NotFound:
            return None
        return found

    def fetch(self, external_id: str) -> RemoteCustomer | None:
        found = self.raw(external_id)
        return None if found is None else customer_from(found)

    def by_email(self, email: str) -> dict[str, Any] | None:
        found = search.every(self._client, SEARCH, search.where(
            Filter("email", email), Filter("website_id", str(self._website_id))))
        return next((c for c in found if str(c.get("email", "")).lower() == email.lower()),
                    None)

    def upsert(self, customer: Buyer, external_id: str | None) -> Upserted:
        current = self.raw(external_id) if external_id else None
        if current is None and customer.email:
            current = self.by_email(customer.email)
        if current is not None:
            if _changed(customer_from(current), customer,
                        phone_kept=_phone_address(current) is not None):
                self._client.call("PUT", f"/V1/customers/{current['id']}",
                                  json_body={"customer": _updated(current, customer)})
            return Upserted(str(current["id"]), created=False)
        if not customer.email:
            raise Rejected("a Magento customer account needs an email")
        created = self._client.call("POST", "/V1/customers", json_body={"customer": {
            "email": customer.email, "firstname": customer.first_name or UNKNOWN_NAME,
            "lastname": customer.last_name or UNKNOWN_NAME, "website_id": self._website_id}})
        return Upserted(str(created["id"]), created=True)

    def changes(self, cursor: str | None) -> tuple[list[RemoteCustomer], str | None]:
        since = None if cursor is None else magento_time(cursor, earlier=OVERLAP)
        found = [customer_from(c) for c in search.changed_since(
            self._client, SEARCH, since, id_field="id", max_pages=CHANGES_PAGES)]
        return found, max((c.updated_at for c in found), default=cursor)


def _updated(current: Mapping[str, Any], customer: Buyer) -> dict[str, Any]:
    body: dict[str, Any] = {"id": current["id"], "email": customer.email or current["email"],
                            "firstname": customer.first_name or current["firstname"],
                            "lastname": customer.last_name or current["lastname"],
                            "website_id": current.get("website_id", 1)}
    address = _phone_address(current)
    if customer.phone and address is not None:
        body["addresses"] = [{**a, "telephone": customer.phone} if a is address else a
                             for a in current.get("addresses") or []]
    return body


def _changed(current: RemoteCustomer, customer: Buyer, *, phone_kept: bool) -> bool:
    """Whether the account lacks something ``customer`` says (a phone only where the
    account has an address to keep it)."""
    pairs = ((current.email, customer.email), (current.first_name, customer.first_name),
             (current.last_name, customer.last_name),
             *([(current.phone, customer.phone)] if phone_kept else []))
    return any(new is not None and (old or "").lower() != new.lower() for old, new in pairs)
