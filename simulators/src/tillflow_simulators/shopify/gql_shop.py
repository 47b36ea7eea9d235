"""The shop, its locations, customers and webhook subscriptions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tillflow_simulators.shopify import search
from tillflow_simulators.shopify.gql_support import (
    CONNECTION_ARGUMENTS,
    Info,
    InputShape,
    Resolver,
    context,
    lookup,
    record_connection,
    refuse_unmodelled,
    store_of,
    takes,
    user_error,
)

CUSTOMER_FIELDS: search.Fields = {
    "id": lambda c: c.number,
    "email": lambda c: c.email,
    "phone": lambda c: c.phone,
    "first_name": lambda c: c.first_name,
    "last_name": lambda c: c.last_name,
    "orders_count": lambda c: c.number_of_orders,
    "created_at": lambda c: c.created_at,
    "updated_at": lambda c: c.updated_at,
}
LOCATION_FIELDS: search.Fields = {"id": lambda loc: loc.number, "name": lambda loc: loc.name}
CUSTOMER_INPUT: InputShape = dict.fromkeys(
    ("id", "email", "phone", "firstName", "lastName", "note", "tags")
)
SUBSCRIPTION_INPUT: InputShape = dict.fromkeys(
    ("uri", "callbackUrl", "format", "includeFields", "filter")
)
CUSTOMER_ATTRIBUTES = {
    "email": "email",
    "phone": "phone",
    "firstName": "first_name",
    "lastName": "last_name",
    "note": "note",
    "tags": "tags",
}


def resolve_shop(_: Any, info: Info) -> dict[str, Any]:
    store = store_of(info)
    return {
        "id": "gid://shopify/Shop/1",
        "name": store.shop_name,
        "email": f"owner@{store.shop_domain}",
        "myshopifyDomain": store.shop_domain,
        "primaryDomain": {"host": store.shop_domain, "url": f"https://{store.shop_domain}"},
        "currencyCode": store.currency,
        "ianaTimezone": "UTC",
        "createdAt": store.created_at,
        "updatedAt": store.created_at,
    }


def resolve_location(_: Any, info: Info, id: str | None = None) -> Any:
    store = store_of(info)
    return store.primary_location if id is None else lookup(store.locations, id, "Location")


def resolve_locations(_: Any, info: Info, **args: Any) -> Any:
    return record_connection(
        store_of(info).locations.values(),
        args,
        fields=LOCATION_FIELDS,
        text_fields=("name",),
        sort_keys={"ID": lambda loc: loc.number, "NAME": lambda loc: loc.name},
    )


def resolve_customer(_: Any, info: Info, id: str) -> Any:
    return lookup(store_of(info).customers, id, "Customer")


def resolve_customers(_: Any, info: Info, **args: Any) -> Any:
    return record_connection(
        store_of(info).customers.values(),
        args,
        fields=CUSTOMER_FIELDS,
        text_fields=("email", "first_name", "last_name", "phone"),
    )


def _customer_errors(
    info: Info, fields: dict[str, Any], current_number: int | None
) -> list[dict[str, Any]]:
    store = store_of(info)
    errors = []
    email, phone = fields.get("email"), fields.get("phone")
    if email is not None and "@" not in email:
        errors.append(user_error("Email is invalid", ["email"]))
    for name, value in (("email", email), ("phone", phone)):
        other = store.find_customer(**{name: value}) if value else None
        if other is not None and other.number != current_number:
            errors.append(user_error(f"{name.capitalize()} has already been taken", [name]))
    return errors


def customer_create(_: Any, info: Info, input: dict[str, Any]) -> Any:
    refuse_unmodelled(info, "input", input, CUSTOMER_INPUT)
    if not any(input.get(name) for name in ("email", "phone", "firstName", "lastName")):
        message = "A name, phone number, or email address must be present"
        return {"customer": None, "userErrors": [user_error(message, None)]}
    errors = _customer_errors(info, input, None)
    if errors:
        return {"customer": None, "userErrors": errors}
    fields = {attr: input[name] for name, attr in CUSTOMER_ATTRIBUTES.items() if name in input}
    return {"customer": store_of(info).create_customer(**fields), "userErrors": []}


def customer_update(_: Any, info: Info, input: dict[str, Any]) -> Any:
    refuse_unmodelled(info, "input", input, CUSTOMER_INPUT)
    store = store_of(info)
    customer = lookup(store.customers, input.get("id"), "Customer")
    if customer is None:
        return {"customer": None, "userErrors": [user_error("Customer does not exist", ["id"])]}
    errors = _customer_errors(info, input, customer.number)
    if errors:
        return {"customer": None, "userErrors": errors}
    fields = {attr: input[name] for name, attr in CUSTOMER_ATTRIBUTES.items() if name in input}
    return {"customer": store.update_customer(customer, **fields), "userErrors": []}


def resolve_subscription(_: Any, info: Info, id: str) -> Any:
    return lookup(store_of(info).subscriptions, id, "WebhookSubscription")


@takes(*CONNECTION_ARGUMENTS, "topics", "uri")
def resolve_subscriptions(_: Any, info: Info, **args: Any) -> Any:
    topics, uri = args.get("topics"), args.get("uri")
    chosen = [
        s
        for s in store_of(info).subscriptions.values()
        if (topics is None or s.topic in topics) and (uri is None or s.uri == uri)
    ]
    return record_connection(
        chosen,
        args,
        sort_keys={
            "ID": lambda s: s.number,
            "CREATED_AT": lambda s: s.created_at,
        },
    )


def subscription_create(
    _: Any,
    info: Info,
    topic: str,
    webhookSubscription: dict[str, Any],  # noqa: N803
) -> Any:
    refuse_unmodelled(info, "webhookSubscription", webhookSubscription, SUBSCRIPTION_INPUT)
    fields = webhookSubscription
    uri = fields.get("uri") or fields.get("callbackUrl") or ""
    path = ["webhookSubscription", "uri" if fields.get("uri") else "callbackUrl"]
    store = store_of(info)
    error = None
    if not uri:
        error = user_error("Address can't be blank", path)
    elif urlsplit(uri).scheme not in {"http", "https"} or not urlsplit(uri).netloc:
        error = user_error("Address is invalid", path)
    elif (fields.get("format") or "JSON") != "JSON":
        error = user_error("Format XML is not supported", ["webhookSubscription", "format"])
    elif any(s.topic == topic and s.uri == uri for s in store.subscriptions.values()):
        error = user_error("Address for this topic has already been taken", path)
    if error is not None:
        return {"webhookSubscription": None, "userErrors": [error]}
    subscription = store.create_subscription(
        topic=topic,
        uri=uri,
        include_fields=fields.get("includeFields") or [],
        filter_=fields.get("filter"),
        version=context(info).version,
    )
    return {"webhookSubscription": subscription, "userErrors": []}


def subscription_delete(_: Any, info: Info, id: str) -> Any:
    store = store_of(info)
    subscription = lookup(store.subscriptions, id, "WebhookSubscription")
    if subscription is None:
        error = user_error("Webhook subscription does not exist", ["id"])
        return {"deletedWebhookSubscriptionId": None, "userErrors": [error]}
    with store.lock:
        del store.subscriptions[subscription.number]
    return {"deletedWebhookSubscriptionId": subscription.id, "userErrors": []}


RESOLVERS: dict[str, Resolver] = {
    "Query.shop": resolve_shop,
    "Query.location": resolve_location,
    "Query.locations": resolve_locations,
    "Query.customer": resolve_customer,
    "Query.customers": resolve_customers,
    "Query.webhookSubscription": resolve_subscription,
    "Query.webhookSubscriptions": resolve_subscriptions,
    "Mutation.customerCreate": customer_create,
    "Mutation.customerUpdate": customer_update,
    "Mutation.webhookSubscriptionCreate": subscription_create,
    "Mutation.webhookSubscriptionDelete": subscription_delete,
}
