"""What a web shop connection's settings may say, checked before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.setting_checks import (
    check_choice,
    check_codes,
    check_flag,
    check_text,
    check_url,
    check_whole,
)
from tillflow.domain.web_orders import validate_tenders

STOCK_MASTERS = ("tillflow", "shop")
MAX_SAFETY_BUFFER = 1_000_000


def validate_shop_settings(settings: Mapping[str, Any]) -> None:
    check_url(settings, "shop_url")
    check_text(settings, "location")
    check_codes(settings, "locations")
    check_whole(settings, "safety_buffer", low=0, high=MAX_SAFETY_BUFFER, unit=" of units")
    check_flag(settings, "push_pos_sales")
    check_choice(settings, "stock_master", STOCK_MASTERS)
    check_text(settings, "api_version")
    check_text(settings, "channel")
    if "tenders" in settings:
        validate_tenders(settings["tenders"])
