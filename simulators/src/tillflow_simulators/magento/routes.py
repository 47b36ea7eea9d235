"""The routes of a Magento Open Source store, from the ``webapi.xml`` files of 2.4.8-p1.

A route answers a request when its method is the request's and its path matches segment
by segment (``:name`` segments take any value). Magento prefers an exact path; otherwise it
sorts the candidate routes by URL and the last match wins, so ``/V1/customers/search``
beats ``/V1/customers/:customerId``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from urllib.parse import unquote


@dataclass(frozen=True)
class Route:
    method: str
    url: str  # as webapi.xml writes it: /V1/orders/:id
    service: str
    acl: tuple[str, ...]
    forced: str

    @property
    def template(self) -> str:
        """The schema's spelling of the same path: /V1/orders/{id}."""
        parts = [f"{{{p[1:]}}}" if p.startswith(":") else p for p in _parts(self.url)]
        return "/" + "/".join(parts)

    @property
    def anonymous(self) -> bool:
        return self.acl == ("anonymous",)

    @property
    def self_only(self) -> bool:
        return self.acl == ("self",)

    def match(self, path: str) -> dict[str, str] | None:
        wanted, given = _parts(self.url), _parts(path)
        if len(wanted) != len(given):
            return None
        params: dict[str, str] = {}
        for expected, actual in zip(wanted, given, strict=True):
            if expected.startswith(":"):
                params[expected[1:]] = unquote(actual)
            elif expected != actual:
                return None
        return params


@dataclass(frozen=True)
class Match:
    route: Route
    params: Mapping[str, str]


class RouteTable:
    def __init__(self, routes: list[Route]) -> None:
        self._by_method: dict[str, list[Route]] = {}
        for route in sorted(routes, key=lambda r: r.url.strip("/")):
            self._by_method.setdefault(route.method, []).append(route)

    def __iter__(self) -> Iterator[Route]:
        for routes in self._by_method.values():
            yield from routes

    def match(self, method: str, path: str) -> Match | None:
        candidates = self._by_method.get(method, [])
        exact = [r for r in candidates if _parts(r.url) == _parts(path)]
        if exact:
            return Match(exact[-1], {})
        found: Match | None = None
        for route in candidates:
            params = route.match(path)
            if params is not None:
                found = Match(route, params)
        return found


@functools.cache
def open_source_routes() -> RouteTable:
    source = resources.files("tillflow_simulators.magento") / "spec" / "opensource-routes-2.4.8.tsv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    routes = {
        # The Two-Factor-Auth module declares the admin token route again; its service wins.
        (row["method"], row["url"]): Route(
            method=row["method"],
            url=row["url"],
            service=f"{row['service_class']}::{row['service_method']}",
            acl=tuple(row["acl_resources"].split(",")),
            forced=row["forced_params"],
        )
        for row in rows
    }
    return RouteTable(list(routes.values()))


def _parts(path: str) -> list[str]:
    return [p for p in path.strip("/").split("/") if p]
