"""Consumer key/secret authentication and the per-route permission errors.

As in ``WC_REST_Authentication``: keys count over HTTPS only (over plain http WooCommerce
expects one-legged OAuth 1.0a, which the simulator does not implement, so there the
request stays anonymous whatever it carries); the ``consumer_key``/``consumer_secret``
query arguments win over HTTP Basic; an unknown key leaves the request anonymous (the
route then answers its own 401, e.g. ``woocommerce_rest_cannot_view``); a known key with a
wrong secret is ``woocommerce_rest_authentication_error`` on every route; a read-only
key may not write.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from tillflow_simulators.woocommerce.errors import WooError

PERMISSION_ERRORS: dict[str, tuple[str, str]] = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "read": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": (
        "woocommerce_rest_cannot_delete",
        "Sorry, you are not allowed to delete this resource.",
    ),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}
READ_METHODS = ("GET", "HEAD")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"

    def __repr__(self) -> str:
        return f"ApiKey(consumer_key={self.consumer_key!r}, permissions={self.permissions!r})"


def presented_credentials(
    query: Mapping[str, str], authorization: str | None
) -> tuple[str, str] | None:
    key, secret = query.get("consumer_key", ""), query.get("consumer_secret", "")
    if key and secret:
        return key, secret
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return (user, password) if user and password else None


def authenticate(
    api_key: ApiKey,
    *,
    method: str,
    query: Mapping[str, str],
    authorization: str | None,
    secure: bool,
) -> bool:
    """True for the shop's key, False for an anonymous request; raises for a bad secret."""
    presented = presented_credentials(query, authorization) if secure else None
    if presented is None or not hmac.compare_digest(presented[0], api_key.consumer_key):
        return False
    if not hmac.compare_digest(presented[1], api_key.consumer_secret):
        raise WooError(
            "woocommerce_rest_authentication_error",
            "Consumer secret is invalid.",
            401,
        )
    _check_permissions(api_key.permissions, method)
    return True


def _check_permissions(permissions: str, method: str) -> None:
    if method in READ_METHODS and permissions not in ("read", "read_write"):
        kind = "read"
    elif method in WRITE_METHODS and permissions not in ("write", "read_write"):
        kind = "write"
    else:
        return
    raise WooError(
        "woocommerce_rest_authentication_error",
        f"The API key provided does not have {kind} permissions.",
        401,
    )


def permission_error(action: str) -> WooError:
    code, message = PERMISSION_ERRORS[action]
    return WooError(code, message, 401)
