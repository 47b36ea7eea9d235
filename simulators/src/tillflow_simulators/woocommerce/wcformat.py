"""Dates, amounts and JSON the way WooCommerce writes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tillflow_simulators.woocommerce.errors import invalid_param

CENT = Decimal("0.01")


def wc_date(moment: datetime | None, zone: tzinfo = UTC) -> str | None:
    """``Y-m-d\\TH:i:s`` in ``zone`` without an offset, as ``wc_rest_prepare_date_response``
    writes both the shop's local date and the ``_gmt`` one."""
    if moment is None:
        return None
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def dates(name: str, moment: datetime | None, zone: tzinfo) -> dict[str, str | None]:
    """``name`` in the shop's time zone and ``name_gmt`` in GMT."""
    return {name: wc_date(moment, zone), f"{name}_gmt": wc_date(moment, UTC)}


def filter_bound(raw: str, *, param: str, zone: tzinfo, gmt: bool) -> datetime:
    """A date filter as ``WP_Date_Query`` reads it: a time with an offset is turned into
    the shop's local wall time, one without is taken as a wall time as it stands; the
    wall time is then compared with the GMT dates when ``dates_are_gmt`` is set, else with
    the local ones. So a GMT time without an offset or ``dates_are_gmt`` is read as local
    time, and one with an offset and ``dates_are_gmt`` is off by the zone's offset."""
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise invalid_param(param, "Invalid date.") from None
    wall = parsed if parsed.tzinfo is None else parsed.astimezone(zone)
    return wall.replace(tzinfo=UTC if gmt else zone)


def to_second(moment: datetime) -> datetime:
    """WordPress keeps post dates to the second."""
    return moment.astimezone(UTC).replace(microsecond=0)


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def parse_amount(raw: object, *, param: str) -> Decimal:
    """A decimal given as a string or number; empty means zero."""
    if raw is None or raw == "":
        return Decimal(0)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise invalid_param(param, f"{param} is not of type string.")
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        raise invalid_param(param, f"{param} is not a number.") from None


def price_text(raw: object, *, param: str) -> str:
    """Prices are kept as the decimal string sent (``wc_format_decimal``), '' for none."""
    if raw is None or raw == "":
        return ""
    return str(parse_amount(raw, param=param))


def php_json(payload: Any) -> bytes:
    """``wp_json_encode`` output: compact, ASCII only, with slashes escaped.

    Webhook signatures are computed over these exact bytes, so a receiver that
    re-serialises the parsed JSON would not match: it must verify the raw body.
    """
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    return text.replace("/", "\\/").encode()
