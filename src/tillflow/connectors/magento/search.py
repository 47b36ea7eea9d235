"""searchCriteria query parameters and paging through Magento's lists.

Filters given together are AND'ed (one filter group each); a group of several filters is
OR'ed. A ``currentPage`` past the end answers the last page again, so paging stops when
``pageSize * currentPage`` reaches ``total_count``, never on an empty page. Pages are at
most 300 long, Magento's maximum when its input limits are on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tillflow.connectors.magento.client import MagentoClient

MAX_PAGE = 300


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition: str = "eq"


def criteria(groups: Sequence[Sequence[Filter]] = (), *, sort: Sequence[tuple[str, str]] = (),
             page_size: int = 100, page: int = 1) -> dict[str, str]:
    params: dict[str, str] = {}
    for g, group in enumerate(groups):
        for f, found in enumerate(group):
            key = f"searchCriteria[filterGroups][{g}][filters][{f}]"
            params[f"{key}[field]"] = found.field
            params[f"{key}[value]"] = found.value
            params[f"{key}[conditionType]"] = found.condition
    for s, (name, direction) in enumerate(sort):
        params[f"searchCriteria[sortOrders][{s}][field]"] = name
        params[f"searchCriteria[sortOrders][{s}][direction]"] = direction
    params["searchCriteria[pageSize]"] = str(page_size)
    params["searchCriteria[currentPage]"] = str(page)
    return params


def where(*filters: Filter) -> list[list[Filter]]:
    """Each filter a group of its own: all must hold."""
    return [[f] for f in filters]


def pages(client: MagentoClient, path: str, groups: Sequence[Sequence[Filter]] = (), *,
          sort: Sequence[tuple[str, str]] = (), page_size: int = 100, max_pages: int = 1000,
          store: str = "default") -> Iterator[list[dict[str, Any]]]:
    for page in range(1, max_pages + 1):
        answer = client.call("GET", path, store=store, params=criteria(
            groups, sort=sort, page_size=page_size, page=page))
        items: list[dict[str, Any]] = answer.get("items") or []
        yield items
        if page_size * page >= int(answer.get("total_count") or 0) or not items:
            return


def every(client: MagentoClient, path: str, groups: Sequence[Sequence[Filter]] = (), *,
          sort: Sequence[tuple[str, str]] = (), page_size: int = 100,
          store: str = "default") -> list[dict[str, Any]]:
    return [item for page in pages(client, path, groups, sort=sort, page_size=page_size,
                                   store=store) for item in page]


def changed_since(client: MagentoClient, path: str, since: str | None, *, id_field: str,
                  page_size: int = 100, max_pages: int = 8) -> list[dict[str, Any]]:
    """Records updated at or after ``since`` (a Magento time; None: all), oldest first,
    each once in its newest copy read. Each page starts at the newest ``updated_at`` of
    the one before, not at a page number: a record updated while the pages are read moves
    to the end of the list, and with page numbers the one behind it would slip back onto
    a page already read. A page all of one second reads on within it by page number."""
    found: dict[str, dict[str, Any]] = {}
    page = 1
    for _ in range(max_pages):
        answer = client.call("GET", path, params=criteria(
            [] if since is None else where(Filter("updated_at", since, "gteq")),
            sort=[("updated_at", "ASC"), (id_field, "ASC")], page_size=page_size, page=page))
        items: list[dict[str, Any]] = answer.get("items") or []
        found |= {str(item[id_field]): item for item in items}
        if not items or page_size * page >= int(answer.get("total_count") or 0):
            break
        newest = str(items[-1]["updated_at"])
        since, page = (since, page + 1) if newest == since else (newest, 1)
    return list(found.values())
