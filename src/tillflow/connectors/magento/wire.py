"""JSON as Magento's schema wants it: amounts and quantities are JSON numbers, written
from ``Decimal`` digit for digit (never through a float)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_MARK = "\u0000decimal:"
_MARKED = re.compile(r'"\\u0000decimal:(-?[0-9]+(?:\.[0-9]+)?)"')


def encode(body: Any) -> bytes:
    return _MARKED.sub(r"\1", json.dumps(body, default=_marked)).encode()


def _marked(value: Any) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return f"{_MARK}{value:f}"
    raise TypeError(f"{type(value).__name__} is not JSON")
