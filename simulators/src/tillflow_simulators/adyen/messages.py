"""nexo JSON as the simulator reads and writes it: amounts are JSON numbers, read as
Decimal and written without floats; timestamps in Adyen's form."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def loads(raw: str | bytes) -> Any:
    return json.loads(raw, parse_float=Decimal)


def dumps(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(key))}:{dumps(item)}" for key, item in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return json.dumps(value)


def timestamp(moment: datetime) -> str:
    """``2017-11-10T14:12:17.000Z``, as Adyen's answers carry it."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def at(document: Any, *path: str) -> Any:
    """The value down ``path`` of nested objects, or None where one is missing."""
    for name in path:
        if not isinstance(document, Mapping):
            return None
        document = document.get(name)
    return document
