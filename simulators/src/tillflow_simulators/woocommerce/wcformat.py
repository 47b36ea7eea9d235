"""Dates, amounts and JSON the way WooCommerce writes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tillflow_simulators.woocommerce.errors import invalid_param

CENT = Decimal("0.01")


def wc_date(moment: datetime | None) -> str | None:
    """``Y-m-d\\TH:i:s`` without an offset, as ``wc_rest_prepare_date_response`` does."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_date(raw: str, *, param: str) -> datetime:
    """An ISO 8601 filter value; without an offset it is in the site's zone (UTC here)."""
    try:
        parsed = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise invalid_param(param, "Invalid date.") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


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
