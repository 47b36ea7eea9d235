"""Shopify's search syntax for the ``query:`` argument of connections, as far as sync needs it.

Supported: ``field:value``, range comparators (``field:>v``, ``>=``, ``<``, ``<=``), quoted
values, ``-field:value`` / ``NOT field:value`` negation, implicit and explicit ``AND``, and bare
words (matched against each resource's default text fields). ``OR`` and parentheses are not
supported: a query using them matches nothing rather than something wrong.
Unknown fields are ignored, as Shopify ignores filters it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_TOKEN = re.compile(r"""-?[\w.]+:(?:>=|<=|>|<)?(?:'[^']*'|"[^"]*"|\S+)|'[^']*'|"[^"]*"|\S+""")
_TERM = re.compile(r"^(?P<neg>-)?(?P<field>[\w.]+):(?P<op>>=|<=|>|<)?(?P<value>.*)$")

Scalar = str | int | datetime | bool | None
# A list value matches when any of its elements does (a product "has" every variant's SKU).
Value = Scalar | list[Scalar]
Fields = Mapping[str, Callable[[Any], Value]]


@dataclass(frozen=True)
class Term:
    field: str | None
    op: str
    value: str
    negated: bool = False


class UnsupportedQuery(ValueError):
    """A query using syntax the simulator does not implement (OR, parentheses)."""


def parse(query: str | None) -> list[Term]:
    if not query or not query.strip():
        return []
    terms: list[Term] = []
    negate_next = False
    for word in _TOKEN.findall(query):
        if word == "AND":
            continue
        if word == "NOT":
            negate_next = True
            continue
        if word == "OR" or word.startswith("(") or word.endswith(")"):
            raise UnsupportedQuery(query)
        terms.append(_term(word, negate_next))
        negate_next = False
    return terms


def _term(token: str, negated: bool) -> Term:
    match = _TERM.match(token)
    if match is None:
        return Term(field=None, op=":", value=_unquote(token), negated=negated)
    return Term(
        field=match["field"].lower(),
        op=match["op"] or ":",
        value=_unquote(match["value"]),
        negated=negated or bool(match["neg"]),
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def matches(
    record: object, terms: list[Term], fields: Fields, text_fields: tuple[str, ...]
) -> bool:
    return all(_matches_term(record, term, fields, text_fields) for term in terms)


def _matches_term(record: Any, term: Term, fields: Fields, text_fields: tuple[str, ...]) -> bool:
    if term.field is None:
        needle = term.value.lower()
        found = any(
            needle in str(fields[name](record) or "").lower()
            for name in text_fields
            if name in fields
        )
        return found != term.negated
    getter = fields.get(term.field)
    if getter is None:
        return True
    return _compare(getter(record), term.op, term.value) != term.negated


def _compare(actual: Value, op: str, wanted: str) -> bool:
    if isinstance(actual, list):
        return any(_compare(element, op, wanted) for element in actual)
    if wanted == "*":
        return actual not in (None, "")
    if isinstance(actual, datetime):
        return _ordered(actual, op, parse_datetime(wanted))
    if isinstance(actual, bool):
        return op == ":" and str(actual).lower() == wanted.lower()
    if isinstance(actual, int):
        return wanted.lstrip("-").isdigit() and _ordered(actual, op, int(wanted))
    text = (actual or "").lower()
    target = wanted.lower()
    if op != ":":
        return _ordered(text, op, target)
    if target.endswith("*"):
        return text.startswith(target[:-1])
    return text == target


def _ordered(actual: object, op: str, wanted: object) -> bool:
    comparisons: dict[str, Callable[[object, object], bool]] = {
        ":": lambda a, b: a == b,
        ">": lambda a, b: a > b,  # type: ignore[operator]
        ">=": lambda a, b: a >= b,  # type: ignore[operator]
        "<": lambda a, b: a < b,  # type: ignore[operator]
        "<=": lambda a, b: a <= b,  # type: ignore[operator]
    }
    return comparisons[op](actual, wanted)


def parse_datetime(value: str) -> datetime:
    """An ISO-8601 date or date-time; naive values are taken as UTC, as Shopify does."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
