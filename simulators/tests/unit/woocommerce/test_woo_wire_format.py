"""How the simulator writes dates, amounts, JSON and signatures (no I/O)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.hooks import is_valid_topic, is_valid_url, signature
from tillflow_simulators.woocommerce.wcformat import (
    dates,
    filter_bound,
    money,
    php_json,
    price_text,
    wc_date,
)

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def test_php_json_is_compact_ascii_with_escaped_slashes() -> None:
    encoded = php_json({"url": "http://x/y", "name": "Café"})
    assert encoded == b'{"url":"http:\\/\\/x\\/y","name":"Caf\\u00e9"}'
    assert json.loads(encoded) == {"url": "http://x/y", "name": "Café"}


def test_dates_have_no_offset_and_come_in_the_shops_zone_and_in_gmt() -> None:
    moment = datetime(2025, 1, 2, 5, 4, 3, 999, tzinfo=timezone(timedelta(hours=2)))
    assert wc_date(moment) == "2025-01-02T03:04:03"
    assert wc_date(None) is None
    assert dates("date_modified", moment, LOS_ANGELES) == {
        "date_modified": "2025-01-01T19:04:03", "date_modified_gmt": "2025-01-02T03:04:03"}


def test_a_filter_without_offset_is_a_wall_time_in_the_shops_zone_unless_dates_are_gmt() -> None:
    def bound(raw: str, *, gmt: bool) -> datetime:
        return filter_bound(raw, param="after", zone=LOS_ANGELES, gmt=gmt)

    assert bound("2025-01-02T03:04:05", gmt=True) == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert bound("2025-01-02T03:04:05", gmt=False) == datetime(2025, 1, 2, 11, 4, 5, tzinfo=UTC)
    # An offset is turned into local wall time, then compared as dates_are_gmt says.
    assert bound("2025-01-02T03:04:05Z", gmt=False) == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert bound("2025-01-02T03:04:05Z", gmt=True) == datetime(2025, 1, 1, 19, 4, 5, tzinfo=UTC)
    with pytest.raises(WooError) as caught:
        bound("yesterday", gmt=True)
    assert caught.value.code == "rest_invalid_param"


def test_amounts() -> None:
    assert money(Decimal("12.3")) == "12.30"
    assert money(Decimal("0.005")) == "0.01"
    assert price_text(5, param="regular_price") == "5"
    assert price_text("", param="regular_price") == ""


def test_signature_is_base64_hmac_sha256() -> None:
    expected = base64.b64encode(
        bytes.fromhex("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    ).decode()
    assert signature("key", b"The quick brown fox jumps over the lazy dog") == expected


@pytest.mark.parametrize(
    ("topic", "valid"),
    [
        ("order.created", True),
        ("product.deleted", True),
        ("customer.restored", True),
        ("action.woocommerce_add_to_cart", True),
        ("product.published", True),
        ("stock.changed", False),
        ("order", False),
    ],
)
def test_topics(topic: str, valid: bool) -> None:
    assert is_valid_topic(topic) is valid


def test_delivery_urls() -> None:
    assert is_valid_url("http://127.0.0.1:8000/webhooks/shop")
    assert not is_valid_url("ftp://example.com/")
    assert not is_valid_url("/relative")
