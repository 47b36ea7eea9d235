"""The commerce channels tillflow ships, by platform; the composition root hands them to
the sync engine, so adding a platform is a package and a line here."""

from __future__ import annotations

from tillflow.connectors.shopify.factory import shopify_channel
from tillflow.connectors.vendure.factory import vendure_channel
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow.sync.port import ChannelFactory


def channel_factories() -> dict[str, ChannelFactory]:
    return {"shopify": shopify_channel, "woocommerce": woocommerce_channel,
            "vendure": vendure_channel}
