"""Builds a WooCommerce channel from a connection's settings and opened secrets."""

from __future__ import annotations

from collections.abc import Mapping

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.woocommerce.adapter import WooCommerceChannel
from tillflow.connectors.woocommerce.client import WooClient


def woocommerce_channel(settings: Mapping[str, object],
                        secrets: Mapping[str, str]) -> WooCommerceChannel:
    client = WooClient(str(settings["shop_url"]), secrets["consumer_key"],
                       secrets["consumer_secret"], verify=verify_setting(settings))
    # Without a chosen webhook secret the consumer secret signs the webhooks tillflow makes.
    return WooCommerceChannel(client, webhook_secret=secrets.get("webhook_secret")
                              or secrets["consumer_secret"])
