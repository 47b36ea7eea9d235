"""Auth decisions and request-argument checks (no I/O)."""

from __future__ import annotations

import base64

import pytest

from tillflow_simulators.woocommerce.auth import (
    ApiKey,
    authenticate,
    permission_error,
    presented_credentials,
)
from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.params import (
    Page,
    page_of,
    pagination_headers,
    require_batch_limit,
)

KEY = ApiKey("ck_1", "cs_1")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_query_credentials_win_over_basic() -> None:
    query = {"consumer_key": "ck_q", "consumer_secret": "cs_q"}
    assert presented_credentials(query, _basic("ck_b", "cs_b")) == ("ck_q", "cs_q")
    assert presented_credentials({}, _basic("ck_b", "cs_b")) == ("ck_b", "cs_b")
    assert presented_credentials({}, "Bearer abc") is None
    assert presented_credentials({}, "Basic !!!") is None


def test_authenticate_outcomes() -> None:
    def presented(authorization: str | None, *, secure: bool = True) -> bool:
        return authenticate(KEY, method="GET", query={}, authorization=authorization,
                            secure=secure)

    assert presented(_basic("ck_1", "cs_1"))
    assert not presented(None)
    assert not presented(_basic("ck_x", "cs_1"))
    # Over plain HTTP a REST key counts for nothing, a wrong secret included.
    assert not presented(_basic("ck_1", "cs_1"), secure=False)
    assert not presented(_basic("ck_1", "nope"), secure=False)
    with pytest.raises(WooError) as caught:
        presented(_basic("ck_1", "nope"))
    assert caught.value.code == "woocommerce_rest_authentication_error"
    assert "WWW-Authenticate" not in caught.value.headers


def test_write_only_key_cannot_read() -> None:
    with pytest.raises(WooError, match="read permissions"):
        authenticate(
            ApiKey("ck_1", "cs_1", "write"), method="GET", query={},
            authorization=_basic("ck_1", "cs_1"), secure=True,
        )


def test_secret_is_not_in_the_repr() -> None:
    assert "cs_1" not in repr(KEY)


def test_permission_errors_are_401() -> None:
    error = permission_error("delete")
    assert (error.code, error.status) == ("woocommerce_rest_cannot_delete", 401)


def test_page_bounds() -> None:
    assert page_of({}) == Page(1, 10)
    assert page_of({"page": "3", "per_page": "100"}) == Page(3, 100)
    for query in ({"per_page": "0"}, {"per_page": "101"}, {"page": "0"}, {"page": "x"}):
        with pytest.raises(WooError):
            page_of(query)


def test_pagination_headers_link_neighbours() -> None:
    headers = pagination_headers(
        base="http://s/wp-json/wc/v3/products", query={"per_page": "2"}, page=Page(2, 2), total=5
    )
    assert ("X-WP-Total", "5") in headers
    assert ("X-WP-TotalPages", "3") in headers
    links = [value for name, value in headers if name == "Link"]
    assert links == [
        '<http://s/wp-json/wc/v3/products?per_page=2&page=1>; rel="prev"',
        '<http://s/wp-json/wc/v3/products?per_page=2&page=3>; rel="next"',
    ]


def test_batch_limit_counts_all_three_lists() -> None:
    require_batch_limit({"create": [{}] * 50, "update": [{}] * 50})
    with pytest.raises(WooError) as caught:
        require_batch_limit({"create": [{}] * 50, "update": [{}] * 50, "delete": [1]})
    assert caught.value.status == 413
