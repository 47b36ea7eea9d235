"""Customer accounts of the ``base`` website."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import Customer
from tillflow_simulators.magento.store import MagentoStore

DUPLICATE_EMAIL = "A customer with the same email address already exists in an associated website."
DETAILS = (
    "dob",
    "gender",
    "middlename",
    "prefix",
    "suffix",
    "taxvat",
    "default_billing",
    "default_shipping",
    "confirmation",
    "disable_auto_group_change",
)


def get(store: MagentoStore, customer_id: int) -> Customer:
    customer = store.customers.get(customer_id)
    if customer is None:
        raise NoSuchEntity.field("customerId", customer_id)
    return customer


def create(store: MagentoStore, data: dict[str, Any]) -> Customer:
    _require(data, ("email", "firstname", "lastname"))
    email = str(data["email"]).strip()
    if _by_email(store, email) is not None:
        raise MagentoError(DUPLICATE_EMAIL)
    now = store.now()
    customer = Customer(
        id=store.next_id("customer"),
        email=email,
        firstname=str(data["firstname"]),
        lastname=str(data["lastname"]),
        created_at=now,
        updated_at=now,
        group_id=int(data.get("group_id") or 1),
    )
    _apply(customer, data)
    store.customers[customer.id] = customer
    return customer


def update(store: MagentoStore, customer_id: int, data: dict[str, Any]) -> Customer:
    customer = get(store, customer_id)
    email = data.get("email")
    if email is not None:
        other = _by_email(store, str(email))
        if other is not None and other.id != customer.id:
            raise MagentoError(DUPLICATE_EMAIL)
        customer.email = str(email)
    for name in ("firstname", "lastname"):
        if data.get(name) is not None:
            setattr(customer, name, str(data[name]))
    if data.get("group_id") is not None:
        customer.group_id = int(data["group_id"])
    _apply(customer, data)
    customer.updated_at = store.now()
    return customer


def delete(store: MagentoStore, customer_id: int) -> None:
    del store.customers[get(store, customer_id).id]


def _apply(customer: Customer, data: dict[str, Any]) -> None:
    for name in DETAILS:
        if data.get(name) is not None:
            customer.details[name] = data[name]
    if data.get("addresses") is not None:
        customer.addresses = [
            {**address, "id": index + 1, "customer_id": customer.id}
            for index, address in enumerate(data["addresses"])
        ]
    for attribute in data.get("custom_attributes") or []:
        customer.custom_attributes[str(attribute["attribute_code"])] = attribute.get("value")


def _by_email(store: MagentoStore, email: str) -> Customer | None:
    folded = email.lower()
    return next((c for c in store.customers.values() if c.email.lower() == folded), None)


def _require(data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if not data.get(name):
            raise MagentoError(
                '"%fieldName" is required. Enter and try again.', {"fieldName": name}
            )
