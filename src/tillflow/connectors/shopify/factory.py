"""Builds a Shopify channel from a connection's settings and opened secrets."""

from __future__ import annotations

from collections.abc import Mapping

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.shopify.adapter import ShopifyChannel
from tillflow.connectors.shopify.client import API_VERSION, ShopifyClient


def shopify_channel(settings: Mapping[str, object],
                    secrets: Mapping[str, str]) -> ShopifyChannel:
    client = ShopifyClient(str(settings["shop_url"]), secrets["access_token"],
                           api_version=str(settings.get("api_version") or API_VERSION),
                           verify=verify_setting(settings))
    return ShopifyChannel(client, webhook_secret=secrets.get("webhook_secret"))
