"""Builds a Vendure channel from a connection's settings and opened secrets."""

from __future__ import annotations

from collections.abc import Mapping

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.vendure.adapter import VendureChannel
from tillflow.connectors.vendure.client import VendureClient


def vendure_channel(settings: Mapping[str, object],
                    secrets: Mapping[str, str]) -> VendureChannel:
    client = VendureClient(str(settings["shop_url"]), api_key=secrets["api_key"],
                           channel_token=str(settings.get("channel") or "") or None,
                           verify=verify_setting(settings))
    return VendureChannel(client, webhook_secret=secrets.get("webhook_secret"))
