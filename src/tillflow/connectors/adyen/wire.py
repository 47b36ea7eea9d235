"""nexo JSON on the wire: amounts are JSON numbers, read and written without floats."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    """Encode a JSON-ready structure, writing Decimal as a plain JSON number."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("amounts must be finite")
        return format(value, "f")
    if isinstance(value, datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(key))}:{dumps(item)}" for key, item in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return json.dumps(value)


def loads(raw: str | bytes) -> Any:
    """Decode JSON, reading every non-integer number as Decimal."""
    return json.loads(raw, parse_float=Decimal)
