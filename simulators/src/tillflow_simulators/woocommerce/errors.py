"""WooCommerce's error shape: ``{"code", "message", "data": {"status", ...}}`` (a WP_Error)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class WooError(Exception):
    """An error answered with WooCommerce's JSON body and HTTP status."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int,
        *,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        bare: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = dict(data or {})
        self.headers = dict(headers or {})
        self.bare = bare

    def body(self) -> dict[str, Any]:
        if self.bare is not None:
            return {"code": self.code, "message": self.message, "data": self.bare}
        data = {"status": self.status, **self.data}
        return {"code": self.code, "message": self.message, "data": data}


def bare_error(code: str, message: str, number: int) -> WooError:
    """``new WP_Error(code, message, number)``: the number is the whole of ``data``, where
    WordPress looks for ``data.status`` in vain, so the answer is HTTP 500 whatever the
    number says (WooCommerce's refund controller refuses this way)."""
    return WooError(code, message, 500, bare=number)


def invalid_param(param: str, reason: str) -> WooError:
    """WordPress's answer when a request argument fails its schema."""
    return WooError(
        "rest_invalid_param",
        f"Invalid parameter(s): {param}",
        400,
        data={
            "params": {param: reason},
            "details": {
                param: {"code": "rest_invalid_type", "message": reason, "data": {"param": param}}
            },
        },
    )


def missing_param(*params: str) -> WooError:
    return WooError(
        "rest_missing_callback_param",
        f"Missing parameter(s): {', '.join(params)}",
        400,
        data={"params": list(params)},
    )


def invalid_id(post_type: str, *, status: int = 404) -> WooError:
    return WooError(f"woocommerce_rest_{post_type}_invalid_id", "Invalid ID.", status)


def critical_error() -> WooError:
    """WordPress's answer to a PHP fatal error inside a REST request."""
    return WooError(
        "internal_server_error",
        '<p>There has been a critical error on this website.</p><p><a href="https://'
        'wordpress.org/documentation/article/faq-troubleshooting/">Learn more about '
        "troubleshooting WordPress.</a></p>",
        500,
    )


NO_ROUTE = WooError("rest_no_route", "No route was found matching the URL and request method.", 404)
