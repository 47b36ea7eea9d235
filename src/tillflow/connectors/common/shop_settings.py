"""What a web shop connection's settings may say, checked before anything is written.

Every shop's address must be https:// unless the shop is on loopback, and a private
authority's certificate (``ca_file``) must be there and readable when the connection is
made (see ``tls``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.setting_checks import (
    check_choice,
    check_codes,
    check_flag,
    check_text,
    check_whole,
)
from tillflow.connectors.common.tls import check_ca_file, check_shop_url
from tillflow.domain.web_orders import validate_tenders

STOCK_MASTERS = ("tillflow", "shop")
MAX_SAFETY_BUFFER = 1_000_000


def validate_shop_settings(settings: Mapping[str, Any]) -> None:
    check_shop_url(settings)
    check_ca_file(settings)
    check_text(settings, "location")
    check_codes(settings, "locations")
    check_whole(settings, "safety_buffer", low=0, high=MAX_SAFETY_BUFFER, unit=" of units")
    check_flag(settings, "push_pos_sales")
    check_choice(settings, "stock_master", STOCK_MASTERS)
    check_text(settings, "api_version")
    check_text(settings, "channel")
    if "tenders" in settings:
        validate_tenders(settings["tenders"])
