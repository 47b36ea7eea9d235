"""A store's variable-measure (RCN) layouts as JSON, the form store settings keep them in.

The file is a list of rules, one per prefix, for example the Dutch layout with a
price check digit::

    [{"prefix": "22", "measure": "weight", "value_digits": 4, "decimals": 3,
      "price_check": true}]

``value_digits`` defaults to 5, ``decimals`` to 3 for weights and 2 for prices.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tillflow.domain.barcodes.rcn import RcnRule

_FIELDS = frozenset({"prefix", "measure", "value_digits", "decimals", "price_check"})
_DEFAULT_DECIMALS = {"weight": 3, "price": 2}


def rules_from_json(text: str) -> tuple[RcnRule, ...]:
    """Parse and check a rules file; raise ``ValueError`` saying what is wrong."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"RCN rules are not valid JSON: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise ValueError("RCN rules must be a non-empty JSON list of rules")
    rules = tuple(_rule(item, index) for index, item in enumerate(raw))
    prefixes = [rule.prefix for rule in rules]
    if len(set(prefixes)) != len(prefixes):
        raise ValueError("RCN rules name the same prefix twice")
    return rules


def rules_to_json(rules: Sequence[RcnRule]) -> str:
    return json.dumps([
        {"prefix": r.prefix, "measure": r.measure, "value_digits": r.value_digits,
         "decimals": r.decimals, "price_check": r.price_check}
        for r in rules
    ])


def _rule(item: Any, index: int) -> RcnRule:
    if not isinstance(item, dict):
        raise ValueError(f"RCN rule {index} must be an object")
    unknown = set(item) - _FIELDS
    if unknown:
        raise ValueError(f"RCN rule {index} has unknown fields: {', '.join(sorted(unknown))}")
    prefix, measure = item.get("prefix"), item.get("measure")
    if not isinstance(prefix, str) or measure not in _DEFAULT_DECIMALS:
        raise ValueError(f"RCN rule {index} needs a string prefix and measure weight|price")
    value_digits = item.get("value_digits", 5)
    decimals = item.get("decimals", _DEFAULT_DECIMALS[measure])
    price_check = item.get("price_check", False)
    if not _small_int(value_digits) or not _small_int(decimals) or not 0 < value_digits >= decimals:
        raise ValueError(f"RCN rule {index}: value_digits and decimals must be small integers")
    if not isinstance(price_check, bool):
        raise ValueError(f"RCN rule {index}: price_check must be true or false")
    return RcnRule(prefix=prefix, measure=measure, value_digits=value_digits,
                   decimals=decimals, price_check=price_check)


def _small_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
