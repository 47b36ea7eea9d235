"""What a Magento connection's settings may say, beside every shop's settings.

``source`` is the MSI source tillflow's primary location writes to (``default`` in a
store without MSI sources of its own), ``locations`` maps further source codes to
tillflow locations, ``website`` is the website whose stock sells the goods (``base``),
``barcode_attribute`` the product attribute holding a barcode (Magento has none of its
own), ``poll_interval`` how often, in seconds, the store is polled for orders and
customers. Till sales cannot become Magento orders (see the adapter), so
``push_pos_sales`` may only be false.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.setting_checks import bad, check_text, check_whole
from tillflow.connectors.common.shop_settings import validate_shop_settings
from tillflow.domain.errors import InvalidInput

MIN_POLL_SECONDS = 1
MAX_POLL_SECONDS = 86_400
OAUTH_SECRETS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
DEFAULTS = {"source": "default", "website": "base", "push_pos_sales": False}


def validate_magento_settings(settings: Mapping[str, Any]) -> None:
    validate_shop_settings(settings)
    for key in ("source", "website", "barcode_attribute"):
        check_text(settings, key)
    check_whole(settings, "poll_interval", low=MIN_POLL_SECONDS, high=MAX_POLL_SECONDS,
                unit=" of seconds")
    if settings.get("push_pos_sales") is True:
        bad("push_pos_sales", "must be false: Magento Open Source's REST API cannot record "
                              "a till sale as an order at the till's prices without "
                              "reserving its goods again")


def validate_magento_secrets(secrets: Mapping[str, str]) -> None:
    """The integration's access token alone (a bearer token), or all four OAuth 1.0a
    credentials (consumer key and secret, access token and its secret)."""
    given = [name for name in OAUTH_SECRETS if secrets.get(name)]
    if given == ["access_token"] or len(given) == len(OAUTH_SECRETS):
        return
    missing = next(name for name in OAUTH_SECRETS if name not in given)
    raise InvalidInput(
        f"a Magento connection takes access_token alone (a bearer token) or all of "
        f"{', '.join(OAUTH_SECRETS)} (OAuth 1.0a): secrets.{missing} is missing",
        details={"field": f"secrets.{missing}"})
