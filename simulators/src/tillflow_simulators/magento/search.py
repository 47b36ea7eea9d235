"""searchCriteria over a list of records: filter groups (AND) of filters (OR), sort orders,
pages.

Values compare as MySQL compares them with its default case-insensitive collation:
numbers as numbers, text without regard to case, and ``YYYY-MM-DD HH:MM:SS`` times as text
(which orders them). A ``currentPage`` past the end answers the last page again, as a
Magento collection does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tillflow_simulators.magento.errors import MagentoError
from tillflow_simulators.magento.store import StoreSettings

Record = Mapping[str, Any]
CONDITIONS = frozenset(
    [
        "eq",
        "finset",
        "from",
        "gt",
        "gteq",
        "in",
        "like",
        "lt",
        "lteq",
        "moreq",
        "neq",
        "nfinset",
        "nin",
        "nlike",
        "notnull",
        "null",
        "to",
    ]
)


def search(
    records: Sequence[Record], criteria: Mapping[str, Any] | None, settings: StoreSettings
) -> tuple[list[Record], int, dict[str, Any]]:
    """The page of ``records`` the criteria ask for, the total count, and the criteria as
    Magento echoes them back."""
    criteria = dict(criteria or {})
    groups = criteria.get("filter_groups") or []
    matching = [r for r in records if all(_group(r, g) for g in groups)]
    for order in reversed(criteria.get("sort_orders") or []):
        matching = _sorted(matching, order)
    total = len(matching)
    size, page = _paging(criteria, settings)
    echoed = _echo(criteria, size, page)
    if not size:
        return matching, total, echoed
    last = max(1, -(-total // size))
    start = (min(page, last) - 1) * size
    return matching[start : start + size], total, echoed


def _paging(criteria: Mapping[str, Any], settings: StoreSettings) -> tuple[int, int]:
    size = criteria.get("page_size")
    if settings.input_limits:
        if size is not None and size > settings.max_page_size:
            raise MagentoError(
                "Maximum SearchCriteria pageSize is %max", {"max": settings.max_page_size}
            )
        size = size or settings.default_page_size
    page = criteria.get("current_page") or 1
    return int(size or 0), max(1, int(page))


def _echo(criteria: Mapping[str, Any], size: int, page: int) -> dict[str, Any]:
    echoed: dict[str, Any] = {"filter_groups": criteria.get("filter_groups") or []}
    if criteria.get("sort_orders"):
        echoed["sort_orders"] = criteria["sort_orders"]
    if size:
        echoed["page_size"] = size
    if criteria.get("current_page") is not None:
        echoed["current_page"] = page
    return echoed


def _group(record: Record, group: Mapping[str, Any]) -> bool:
    filters = group.get("filters") or []
    return not filters or any(_matches(record, f) for f in filters)


def _matches(record: Record, filter_: Mapping[str, Any]) -> bool:
    condition = str(filter_.get("condition_type") or "eq").lower()
    if condition not in CONDITIONS:
        raise MagentoError('Invalid condition type "%1".', [condition])
    return _TESTS[condition](record.get(str(filter_.get("field"))), str(filter_.get("value") or ""))


def _sorted(records: list[Record], order: Mapping[str, Any]) -> list[Record]:
    direction = str(order.get("direction") or "DESC").upper()
    if direction not in ("ASC", "DESC"):
        raise MagentoError('Sort order "%1" is not supported.', [direction])
    field = str(order.get("field"))
    present = [r for r in records if r.get(field) is not None]
    absent = [r for r in records if r.get(field) is None]
    ordered = sorted(present, key=lambda r: _key(r.get(field)), reverse=direction == "DESC")
    # MySQL puts NULL first when ascending, last when descending.
    return absent + ordered if direction == "ASC" else ordered + absent


def _key(value: Any) -> tuple[int, Any]:
    number = _number(value)
    return (0, number) if number is not None else (1, str(value).lower())


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _compare(value: Any, wanted: str) -> int | None:
    if value is None:
        return None
    left, right = _number(value), _number(wanted)
    if left is not None and right is not None:
        return (left > right) - (left < right)
    a, b = str(value).lower(), wanted.lower()
    return (a > b) - (a < b)


def _like(value: Any, pattern: str) -> bool:
    if value is None:
        return False
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, str(value), re.IGNORECASE | re.DOTALL) is not None


def _in(value: Any, wanted: str) -> bool:
    return value is not None and any(_compare(value, w.strip()) == 0 for w in wanted.split(","))


def _finset(value: Any, wanted: str) -> bool:
    if value is None:
        return False
    members = value if isinstance(value, list) else str(value).split(",")
    return wanted.lower() in (str(m).strip().lower() for m in members)


def _cmp(test: Callable[[int], bool]) -> Callable[[Any, str], bool]:
    def check(value: Any, wanted: str) -> bool:
        result = _compare(value, wanted)
        return result is not None and test(result)

    return check


_TESTS: dict[str, Callable[[Any, str], bool]] = {
    "eq": _cmp(lambda r: r == 0),
    "neq": _cmp(lambda r: r != 0),
    "gt": _cmp(lambda r: r > 0),
    "gteq": _cmp(lambda r: r >= 0),
    "moreq": _cmp(lambda r: r >= 0),
    "from": _cmp(lambda r: r >= 0),
    "lt": _cmp(lambda r: r < 0),
    "lteq": _cmp(lambda r: r <= 0),
    "to": _cmp(lambda r: r <= 0),
    "like": _like,
    "nlike": lambda v, w: v is not None and not _like(v, w),
    "in": _in,
    "nin": lambda v, w: v is not None and not _in(v, w),
    "finset": _finset,
    "nfinset": lambda v, w: not _finset(v, w),
    "null": lambda v, _: v is None,
    "notnull": lambda v, _: v is not None,
}
