"""Creates the scoped Admin API key a Vendure connection uses.

Run with an administrator's session (``login``): a role ``tillflow`` holding only what
the connector needs, on the default channel, and a new API key with that role. Vendure
shows a key once; the caller stores it as the connection's ``api_key`` secret.
"""

from __future__ import annotations

import ssl

from tillflow.connectors.vendure.client import VendureClient, result
from tillflow.ports.commerce import Rejected

ROLE = "tillflow"
# DeleteCatalog: the variants a product with options no longer has are deleted.
PERMISSIONS = ("ReadCatalog", "CreateCatalog", "UpdateCatalog", "DeleteCatalog",
               "ReadOrder", "CreateOrder", "UpdateOrder",
               "ReadCustomer", "CreateCustomer", "UpdateCustomer",
               "ReadStockLocation", "ReadSettings", "ReadChannel")

ROLES = """query($code: String!) { roles(options: {filter: {code: {eq: $code}}}) {
  items { id } } activeChannel { id } }"""
CREATE_ROLE = """mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }"""
UPDATE_ROLE = """mutation($input: UpdateRoleInput!) { updateRole(input: $input) { id } }"""
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }"""
CREATE_KEY = """mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
  apiKey entityId } }"""


def provision_api_key(admin: VendureClient, *, name: str = "tillflow") -> str:
    found = admin.execute(ROLES, {"code": ROLE})
    roles = found["roles"]["items"]
    if roles:  # made by an earlier version: brought up to what the connector needs now
        role_id = roles[0]["id"]
        admin.execute(UPDATE_ROLE, {"input": {"id": role_id, "permissions": list(PERMISSIONS)}})
    else:
        role_id = admin.execute(CREATE_ROLE, {"input": {
            "code": ROLE, "description": "tillflow point of sale sync",
            "permissions": list(PERMISSIONS),
            "channelIds": [found["activeChannel"]["id"]]}})["createRole"]["id"]
    created = result(admin.execute(CREATE_KEY, {"input": {
        "roleIds": [role_id], "translations": [{"languageCode": "en", "name": name}]}}),
        "createApiKey")
    key: str = created["apiKey"]
    return key


def sign_in(admin: VendureClient, username: str, password: str) -> None:
    """An administrator's session on ``admin`` (Vendure answers a bearer token)."""
    try:
        result(admin.execute(LOGIN, {"u": username, "p": password}), "login")
    except Rejected as exc:
        raise Rejected(f"Vendure refused the administrator's sign-in: {exc}") from None


def provision_scoped_key(shop_url: str, username: str, password: str, *,
                         verify: ssl.SSLContext | bool = True) -> str:
    """Sign in as the administrator, make the scoped key and sign out with the session."""
    with VendureClient(shop_url, verify=verify) as admin:
        sign_in(admin, username, password)
        return provision_api_key(admin)
