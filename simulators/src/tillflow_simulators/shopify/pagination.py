"""Relay cursor pagination as Shopify serves it: opaque base64 cursors, first/last up to 250."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from graphql import GraphQLError

MAX_PAGE_SIZE = 250

T = TypeVar("T")
SortValue = str | int | float


class InvalidCursor(GraphQLError):
    """Shopify answers an undecodable cursor with a top-level error."""


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    reverse: bool = False

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> PageRequest:
        return cls(
            first=args.get("first"),
            after=args.get("after"),
            last=args.get("last"),
            before=args.get("before"),
            reverse=bool(args.get("reverse", False)),
        )


def encode_cursor(number: int, sort_value: SortValue) -> str:
    payload = json.dumps({"last_id": number, "last_value": sort_value}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[SortValue, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return payload["last_value"], int(payload["last_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidCursor(f"Invalid cursor for current pagination sort: {cursor}") from exc


def sort_value(value: object) -> SortValue:
    """A JSON-safe, totally ordered form of a sort key value."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return value
    return str(value or "").lower()


def check_page_size(request: PageRequest) -> None:
    if request.first is None and request.last is None:
        raise GraphQLError("you must provide one of first or last")
    for name, size in (("first", request.first), ("last", request.last)):
        if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
            raise GraphQLError(
                f"The {name} argument must be between 0 and {MAX_PAGE_SIZE}.",
                extensions={"code": "BAD_REQUEST"},
            )


def connection(
    items: Sequence[T],
    request: PageRequest,
    *,
    key: Callable[[T], SortValue],
    number: Callable[[T], int],
) -> dict[str, Any]:
    """Slice ``items`` (any order) into a connection dict keyed by Shopify's field names."""
    check_page_size(request)
    ordered = sorted(items, key=lambda item: (key(item), number(item)), reverse=request.reverse)
    positions = [(key(item), number(item)) for item in ordered]
    start, stop = 0, len(ordered)
    if request.after:
        start = _index_after(positions, decode_cursor(request.after), request.reverse)
    if request.before:
        stop = _index_after(positions, decode_cursor(request.before), request.reverse, strict=False)
    window = list(range(start, max(start, stop)))
    if request.first is not None:
        window = window[: request.first]
    if request.last is not None:
        window = window[-request.last :] if request.last else []
    page = [ordered[index] for index in window]
    cursors = [encode_cursor(positions[index][1], positions[index][0]) for index in window]
    return {
        "edges": [{"cursor": c, "node": node} for c, node in zip(cursors, page, strict=True)],
        "nodes": page,
        "pageInfo": {
            "hasNextPage": bool(window) and window[-1] < len(ordered) - 1,
            "hasPreviousPage": bool(window) and window[0] > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }


def _index_after(
    positions: list[tuple[SortValue, int]],
    cursor: tuple[SortValue, int],
    reverse: bool,
    *,
    strict: bool = True,
) -> int:
    """Index of the first position past ``cursor`` (or at/past it when not ``strict``)."""
    for index, position in enumerate(positions):
        beyond = position < cursor if reverse else position > cursor
        if beyond or (not strict and position == cursor):
            return index
    return len(positions)
