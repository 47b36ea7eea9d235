"""How the simulator writes dates, amounts, JSON and signatures (no I/O)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.hooks import is_valid_topic, is_valid_url, signature
from tillflow_simulators.woocommerce.wcformat import (
    money,
    parse_date,
    php_json,
    price_text,
    wc_date,
)


def test_php_json_is_compact_ascii_with_escaped_slashes() -> None:
    encoded = php_json({"url": "http://x/y", "name": "Café"})
    assert encoded == b'{"url":"http:\\/\\/x\\/y","name":"Caf\\u00e9"}'
    assert json.loads(encoded) == {"url": "http://x/y", "name": "Café"}


def test_dates_have_no_offset_and_are_utc() -> None:
    moment = datetime(2025, 1, 2, 5, 4, 3, 999, tzinfo=timezone(timedelta(hours=2)))
    assert wc_date(moment) == "2025-01-02T03:04:03"
    assert wc_date(None) is None


def test_filter_dates_without_offset_are_site_time() -> None:
    assert parse_date("2025-01-02T03:04:05", param="after") == datetime(
        2025, 1, 2, 3, 4, 5, tzinfo=UTC
    )
    assert parse_date("2025-01-02T05:04:05+02:00", param="after").hour == 3
    with pytest.raises(WooError) as caught:
        parse_date("yesterday", param="modified_after")
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
