"""The store structure, customers, and the admin token a store with 2FA refuses."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento import customers, payloads, search
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints
from tillflow_simulators.magento.errors import MagentoError, NotAuthenticated

# The simulated store's administrator; Magento_TwoFactorAuth still refuses them a token.
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin123"  # noqa: S105
USE_2FA = "Please use the 2fa provider-specific endpoints to obtain a token."
SIGN_IN_INCORRECT = (
    "The account sign-in was incorrect or your account is disabled temporarily. "
    "Please wait and try again later."
)


def admin_token(call: Call) -> Any:
    if (call.arg("username"), call.arg("password")) != (ADMIN_USERNAME, ADMIN_PASSWORD):
        raise NotAuthenticated(SIGN_IN_INCORRECT)
    raise MagentoError(USE_2FA)


def websites(_: Call) -> Any:
    return payloads.WEBSITES


def store_groups(_: Call) -> Any:
    return payloads.STORE_GROUPS


def store_views(_: Call) -> Any:
    return payloads.STORE_VIEWS


def store_configs(call: Call) -> Any:
    return [payloads.store_config(call.base_url)]


def create_customer(call: Call) -> Any:
    return payloads.customer(customers.create(call.store, dict(call.arg("customer", {}))))


def get_customer(call: Call) -> Any:
    return payloads.customer(customers.get(call.store, int(call.args["customerId"])))


def update_customer(call: Call) -> Any:
    customer = customers.update(
        call.store, int(call.args["customerId"]), dict(call.arg("customer", {}))
    )
    return payloads.customer(customer)


def delete_customer(call: Call) -> Any:
    customers.delete(call.store, int(call.args["customerId"]))
    return True


def search_customers(call: Call) -> Any:
    rows = [payloads.customer(c) for c in sorted(call.store.customers.values(), key=lambda c: c.id)]
    page, total, criteria = search.search(rows, call.arg("searchCriteria"), call.store.settings)
    return payloads.results(list(page), total, criteria)


ENDPOINTS: Endpoints = {
    ("POST", "/V1/integration/admin/token"): Endpoint(admin_token),
    ("GET", "/V1/store/websites"): Endpoint(websites),
    ("GET", "/V1/store/storeGroups"): Endpoint(store_groups),
    ("GET", "/V1/store/storeViews"): Endpoint(store_views),
    ("GET", "/V1/store/storeConfigs"): Endpoint(store_configs),
    ("POST", "/V1/customers"): Endpoint(create_customer),
    ("GET", "/V1/customers/:customerId"): Endpoint(get_customer),
    ("PUT", "/V1/customers/:customerId"): Endpoint(update_customer),
    ("DELETE", "/V1/customers/:customerId"): Endpoint(delete_customer),
    ("GET", "/V1/customers/search"): Endpoint(search_customers, criteria_required=True),
}
