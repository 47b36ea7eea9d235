"""WordPress's checks of REST arguments against WooCommerce's schema, in WordPress's words,
and the arguments the simulator does not model refused by name (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.rest import description
from tillflow_simulators.woocommerce.rest.arguments import check, refuse_unmodelled
from tillflow_simulators.woocommerce.rest.validation import Invalid, list_words, validate

ORDERS = description.arguments("/wc/v3/orders", "GET")
NEW_ORDER = description.arguments("/wc/v3/orders", "POST")
NEW_PRODUCT = description.arguments("/wc/v3/products", "POST")
NEW_WEBHOOK = description.arguments("/wc/v3/webhooks", "POST")


def refused(declared: Any, params: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(WooError) as caught:
        check(declared, params)
    body: dict[str, Any] = caught.value.body()
    return body


def test_query_strings_are_read_as_php_reads_them() -> None:
    check(ORDERS, {"per_page": "100", "page": "2", "include": "1,2", "dates_are_gmt": "true",
                   "modified_after": "2026-01-01T10:00:00", "status": "processing,completed"})
    check(NEW_PRODUCT, {"stock_quantity": "5", "manage_stock": "1", "regular_price": ""})


def test_every_failure_is_named_in_one_answer_in_wordpress_words() -> None:
    body = refused(ORDERS, {"per_page": "101", "status": "shipped", "dates_are_gmt": "yes",
                            "after": "yesterday"})
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == "Invalid parameter(s): per_page, status, dates_are_gmt, after"
    data = body["data"]
    assert data["status"] == 400
    assert data["params"]["per_page"] == (
        "per_page must be between 1 (inclusive) and 100 (inclusive)")
    assert data["details"]["per_page"] == {
        "code": "rest_out_of_bounds", "message": data["params"]["per_page"], "data": None}
    assert data["details"]["status"]["code"] == "rest_not_in_enum"
    assert data["details"]["dates_are_gmt"] == {
        "code": "rest_invalid_type", "message": "dates_are_gmt is not of type boolean.",
        "data": {"param": "dates_are_gmt"}}
    assert data["details"]["after"]["code"] == "rest_invalid_date"


def test_nested_fields_are_checked_with_their_path() -> None:
    body = refused(NEW_ORDER, {"line_items": [{"product_id": 1, "quantity": 1.5}]})
    assert body["data"]["params"]["line_items"] == (
        "line_items[0][quantity] is not of type integer.")
    body = refused(NEW_ORDER, {"billing": {"email": "not-an-email"}})
    assert body["data"]["details"]["billing"]["code"] == "rest_invalid_email"
    check(NEW_ORDER, {"billing": {"email": None}, "line_items": [{"name": 5}]})


def test_a_required_argument_is_missing_before_anything_else() -> None:
    body = refused(NEW_WEBHOOK, {"name": 5})
    assert (body["code"], body["data"]["params"]) == ("rest_missing_callback_param",
                                                      ["topic", "delivery_url"])


def test_prices_are_strings_and_types_lists_take_the_first_that_fits() -> None:
    with pytest.raises(Invalid, match="regular_price is not of type string"):
        validate(9.9, NEW_PRODUCT["regular_price"], "regular_price")
    with pytest.raises(Invalid) as caught:
        validate("", {"type": ["string", "null"], "format": "email"}, "email")
    assert caught.value.code == "rest_invalid_email"  # "" is a string, and no email
    validate(None, {"type": ["string", "null"], "format": "email"}, "email")


def test_lists_are_worded_as_wordpress_words_them() -> None:
    assert list_words(["a"]) == "a"
    assert list_words(["a", "b"]) == "a and b"
    assert list_words(["a", "b", "c"]) == "a, b, and c"


def test_an_argument_the_simulator_does_not_model_is_refused_unless_left_at_default() -> None:
    refuse_unmodelled(ORDERS, {"per_page": "5", "dp": "2"}, ("per_page",))  # dp default 2
    with pytest.raises(WooError) as caught:
        refuse_unmodelled(NEW_PRODUCT, {"name": "x", "weight": "1"}, ("name",))
    assert caught.value.code == "tillflow_simulator_unsupported"
    assert "weight" in caught.value.message
