"""JSON with money kept exact: Decimal in, Decimal out, never through float.

``loads`` reads every number with a fraction as a Decimal; ``dumps`` writes a Decimal as
a JSON number with exactly the digits it holds (``12.30`` stays ``12.30``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def loads(data: bytes | str) -> Any:
    return json.loads(data, parse_float=Decimal)


def dumps(value: Any) -> str:
    return "".join(_encode(value))


def _encode(value: Any) -> list[str]:
    parts: list[str] = []
    _write(value, parts)
    return parts


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        out.append(format(value, "f"))
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, float):
        raise TypeError("floats are not written: use Decimal for amounts")
    else:
        out.append(json.dumps(value))
