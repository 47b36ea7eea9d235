"""JSON in and out without floats: numbers with a fraction become Decimal on the way in, and
Decimal is written back as the exact number it holds (``19.99``, ``5``), as Magento prints
its amounts."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def loads(raw: bytes | str) -> Any:
    return json.loads(raw, parse_float=Decimal)


def dumps(value: Any) -> str:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        inner = ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def number(value: Decimal) -> str:
    """The shortest plain text of ``value``: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
