"""Reading request arguments once WordPress's checks (``rest.arguments``) have passed:
pages, dates, id lists, sort orders, and the coercions batch items get (WooCommerce hands
them straight to the item handlers, unchecked).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, TypeVar
from urllib.parse import urlencode

from tillflow_simulators.woocommerce.errors import WooError, invalid_param
from tillflow_simulators.woocommerce.rest.arguments import unsupported
from tillflow_simulators.woocommerce.rest.validation import is_integer
from tillflow_simulators.woocommerce.wcformat import filter_bound

T = TypeVar("T")

# True and False also stand for 1 and 0 as dictionary keys.
_BOOLEANS: dict[object, bool] = {
    True: True,
    False: False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}


def as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and value in _BOOLEANS:
        return _BOOLEANS[value]
    return bool(value)


def as_int(value: object, *, param: str) -> int:
    if not is_integer(value):
        raise invalid_param(param, f"{param} is not of type integer.")
    return int(float(str(value).strip()))


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    def slice(self, items: Sequence[T]) -> list[T]:
        start = (self.number - 1) * self.size
        return list(items[start : start + self.size])

    def total_pages(self, total: int) -> int:
        return math.ceil(total / self.size)


def page_of(query: Mapping[str, str]) -> Page:
    number = as_int(query.get("page", "1"), param="page")
    size = as_int(query.get("per_page", "10"), param="per_page")
    if number < 1:
        raise invalid_param("page", "page must be greater than or equal to 1")
    if not 1 <= size <= 100:
        raise invalid_param(
            "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"
        )
    return Page(number, size)


def date_filter(query: Mapping[str, str], name: str, zone: tzinfo) -> datetime | None:
    raw = query.get(name)
    gmt = as_bool(query.get("dates_are_gmt", False))
    return filter_bound(raw, param=name, zone=zone, gmt=gmt) if raw else None


def choice(query: Mapping[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    """An enum argument (WordPress has checked it against WooCommerce's enum) among the
    values the simulator models."""
    value = query.get(name, default)
    if value not in allowed:
        raise unsupported(f"The simulator does not model {name}={value}.")
    return value


def id_list(raw: str | None) -> list[int]:
    if not raw:
        return []
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


def pagination_headers(
    *, base: str, query: Mapping[str, str], page: Page, total: int
) -> list[tuple[str, str]]:
    """``X-WP-Total``, ``X-WP-TotalPages`` and a ``Link`` header per neighbour page."""
    pages = page.total_pages(total)
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]

    def link(number: int, rel: str) -> tuple[str, str]:
        params = {**query, "page": str(number)}
        return ("Link", f'<{base}?{urlencode(params)}>; rel="{rel}"')

    if page.number > 1:
        headers.append(link(min(page.number - 1, max(pages, 1)), "prev"))
    if pages > page.number:
        headers.append(link(page.number + 1, "next"))
    return headers


def sort_records(
    records: list[T],
    *,
    query: Mapping[str, str],
    keys: Mapping[str, Callable[[T], Any]],
    default_orderby: str = "date",
    default_order: str = "desc",
) -> list[T]:
    orderby = choice(query, "orderby", tuple(keys), default_orderby)
    order = choice(query, "order", ("asc", "desc"), default_order)
    return sorted(records, key=keys[orderby], reverse=order == "desc")


def require_batch_limit(body: Mapping[str, Any], *, limit: int = 100) -> None:
    total = sum(len(body.get(kind) or []) for kind in ("create", "update", "delete"))
    if total > limit:
        raise WooError(
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {limit} items for this request.",
            413,
        )
