"""One Accounting API call as the resources see it, and how records go out on the wire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tillflow_simulators.xero.books import Books
from tillflow_simulators.xero.values import msdate


@dataclass
class Call:
    books: Books
    method: str
    template: str
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: Any
    # Per element of the body's list: what the spec refused that Xero reports per element.
    element_problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def unitdp(self) -> int:
        return 4 if self.query.get("unitdp") == "4" else 2

    @property
    def summarize(self) -> bool:
        # Xero summarises unless told not to, whatever default the spec writes down.
        return self.query.get("summarizeErrors", "true").lower() != "false"

    def flag(self, name: str) -> bool:
        return self.query.get(name, "false").lower() == "true"


def to_wire(value: Any) -> Any:
    """Dates and timestamps as ``/Date(...)/``; everything else as it is."""
    if isinstance(value, datetime | date):
        return msdate(value)
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items() if not key.startswith("_")}
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    return value
