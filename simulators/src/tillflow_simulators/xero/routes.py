"""What a resource module offers the app: a handler per (method, path template)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tillflow_simulators.xero.calls import Call

# (status, body); a None body is an empty answer (204).
Answer = tuple[int, dict[str, Any] | None]
Handler = Callable[[Call], Answer]
Routes = dict[tuple[str, str], Handler]
# What a client sends that Xero computes or reports itself.
NOT_WRITTEN = frozenset({"ValidationErrors", "Warnings", "StatusAttributeString", "HasErrors",
                         "HasValidationErrors", "HasAttachments", "UpdatedDateUTC",
                         "UpdatedDateUTCString"})


def elements(call: Call, plural: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = call.body.get(plural, []) if isinstance(call.body, dict) else []
    return items
