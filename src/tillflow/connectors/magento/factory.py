"""Builds a Magento channel from a connection's settings and opened secrets."""

from __future__ import annotations

from collections.abc import Mapping

from tillflow.connectors.common.tls import verify_setting
from tillflow.connectors.magento.adapter import MagentoChannel
from tillflow.connectors.magento.auth import auth_from
from tillflow.connectors.magento.client import MagentoClient
from tillflow.connectors.magento.settings import DEFAULTS


def magento_channel(settings: Mapping[str, object],
                    secrets: Mapping[str, str]) -> MagentoChannel:
    client = MagentoClient(str(settings["shop_url"]), auth=auth_from(secrets),
                           verify=verify_setting(settings))
    barcode = settings.get("barcode_attribute")
    return MagentoChannel(client, source=str(settings.get("source") or DEFAULTS["source"]),
                          website=str(settings.get("website") or DEFAULTS["website"]),
                          barcode_attribute=str(barcode) if barcode else None)
