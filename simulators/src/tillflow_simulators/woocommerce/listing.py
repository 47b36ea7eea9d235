"""Collection filters shared by products, variations and orders."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Protocol, TypeVar

from tillflow_simulators.woocommerce.params import date_filter, id_list

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Dated(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def date_created(self) -> datetime | None: ...
    @property
    def date_modified(self) -> datetime | None: ...


D = TypeVar("D", bound=Dated)


def by_dates(records: list[D], query: Mapping[str, str], zone: tzinfo) -> list[D]:
    """``after``/``before`` on the creation date, ``modified_*`` on the last change, read
    in the shop's time zone ``zone`` unless ``dates_are_gmt`` (see ``filter_bound``).

    All four are strict, as the SQL WordPress builds for them is.
    """
    bounds = [
        (date_filter(query, "after", zone), "date_created", True),
        (date_filter(query, "before", zone), "date_created", False),
        (date_filter(query, "modified_after", zone), "date_modified", True),
        (date_filter(query, "modified_before", zone), "date_modified", False),
    ]
    for bound, attribute, after in bounds:
        if bound is None:
            continue
        records = [
            r
            for r in records
            if ((getattr(r, attribute) or _EPOCH) > bound) == after
            and getattr(r, attribute) != bound
        ]
    return records


def by_ids(records: list[D], query: Mapping[str, str]) -> list[D]:
    include, exclude = id_list(query.get("include")), id_list(query.get("exclude"))
    if include:
        records = [r for r in records if r.id in include]
    return [r for r in records if r.id not in exclude]


def date_key(record: Dated) -> tuple[datetime, int]:
    return (record.date_created or _EPOCH, record.id)


def modified_key(record: Dated) -> tuple[datetime, int]:
    return (record.date_modified or _EPOCH, record.id)


def id_key(record: Dated) -> int:
    return record.id
