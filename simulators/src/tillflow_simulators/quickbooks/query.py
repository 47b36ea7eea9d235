"""The part of Intuit's query language a connector uses.

``select * | count(*) from <Entity> [where <cond> [and <cond>]...]
[orderby <field> [asc|desc], ...] [startposition <n>] [maxresults <n>]``, where a
condition is ``<field> <op> <value>`` (``=``, ``<``, ``>``, ``<=``, ``>=``), ``<field> in
(<value>, ...)`` or ``<field> like '<pattern with %>'``. Fields may be dotted
(``MetaData.LastUpdatedTime``); a reference field compares on its ``value``. Strings
compare without regard to case, as Intuit's do. Name lists answer only active entries
unless the query asks about ``Active``. There is no ``or``, as there is none in Intuit's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tillflow_simulators.quickbooks.errors import QUERY_INVALID, QUERY_PARSE, fault
from tillflow_simulators.quickbooks.schema import element_names

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100
NAME_LISTS = frozenset({"Account", "Customer", "Item", "TaxCode", "TaxRate", "PaymentMethod"})
_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<number>-?\d+(?:\.\d+)?(?![\w.]))"
                    r"|(?P<op><=|>=|!=|[=<>(),*])|(?P<word>[A-Za-z_][\w.]*))")


@dataclass(frozen=True)
class Condition:
    path: tuple[str, ...]
    op: str  # "=", "<", ">", "<=", ">=", "in", "like"
    values: tuple[Any, ...]


@dataclass
class Query:
    entity: str
    count: bool = False
    conditions: list[Condition] = field(default_factory=list)
    order: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)
    start: int = 1
    max_results: int = DEFAULT_RESULTS


def _parse_error(detail: str) -> Exception:
    return fault(QUERY_PARSE, f"QueryParserError: {detail}")


class _Tokens:
    def __init__(self, text: str) -> None:
        self.items: list[tuple[str, str]] = []
        position, text = 0, text.strip()
        while position < len(text):
            found = _TOKEN.match(text, position)
            if found is None or found.end() == position:
                raise _parse_error(f'Encountered " {text[position:position + 10]!r} " at '
                                   f"line 1, column {position + 1}.")
            kind = found.lastgroup or ""
            self.items.append((kind, found.group(kind)))
            position = found.end()
        self.at = 0

    def peek(self) -> str | None:
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.items):
            raise _parse_error(f"Encountered \"<EOF>\"; was expecting {expected or 'more'}")
        kind, text = self.items[self.at]
        if expected is not None and text.lower() != expected:
            raise _parse_error(f'Encountered " "{text}" "; was expecting "{expected}"')
        self.at += 1
        return kind, text

    def accept(self, word: str) -> bool:
        if self.peek() is not None and str(self.peek()).lower() == word:
            self.at += 1
            return True
        return False


def parse(text: str, entities: dict[str, str]) -> Query:
    """``entities`` maps lower-case entity names to their names (``item`` -> ``Item``)."""
    tokens = _Tokens(text)
    tokens.take("select")
    count = tokens.accept("count")
    if count:
        tokens.take("(")
        tokens.take("*")
        tokens.take(")")
    else:
        _fields(tokens)
    tokens.take("from")
    name = entities.get(tokens.take()[1].lower())
    if name is None:
        raise _parse_error("Invalid entity name in the from clause")
    query = Query(name, count=count)
    if tokens.accept("where"):
        query.conditions.append(_condition(tokens, name))
        while tokens.accept("and"):
            query.conditions.append(_condition(tokens, name))
    if tokens.accept("orderby"):
        query.order.append(_order(tokens, name))
        while tokens.accept(","):
            query.order.append(_order(tokens, name))
    if tokens.accept("startposition"):
        query.start = max(1, int(tokens.take()[1]))
    if tokens.accept("maxresults"):
        query.max_results = min(MAX_RESULTS, max(1, int(tokens.take()[1])))
    if tokens.peek() is not None:
        raise _parse_error(f'Encountered " "{tokens.peek()}" " at the end of the query')
    return query


def _fields(tokens: _Tokens) -> None:
    tokens.take()
    while tokens.accept(","):
        tokens.take()


def _path(tokens: _Tokens, entity: str) -> tuple[str, ...]:
    kind, text = tokens.take()
    path = tuple(text.split("."))
    if kind != "word" or path[0] not in element_names(entity):
        raise fault(QUERY_INVALID, f"QueryValidationError: property '{text}' is not queryable")
    return path


def _condition(tokens: _Tokens, entity: str) -> Condition:
    path = _path(tokens, entity)
    op = tokens.take()[1].lower()
    if op == "in":
        tokens.take("(")
        values = [_value(tokens)]
        while tokens.accept(","):
            values.append(_value(tokens))
        tokens.take(")")
        return Condition(path, "in", tuple(values))
    if op not in ("=", "<", ">", "<=", ">=", "like"):
        raise _parse_error(f'Encountered " "{op}" "; was expecting an operator')
    return Condition(path, op, (_value(tokens),))


def _value(tokens: _Tokens) -> Any:
    kind, text = tokens.take()
    if kind == "string":
        return text[1:-1].replace("\\'", "'")
    if kind == "number":
        return Decimal(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    raise _parse_error(f'Encountered " "{text}" "; was expecting a value')


def _order(tokens: _Tokens, entity: str) -> tuple[tuple[str, ...], bool]:
    path = _path(tokens, entity)
    descending = tokens.accept("desc")
    if not descending:
        tokens.accept("asc")
    return path, descending


def _lookup(entity: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = entity
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = str(value)
    try:
        if len(text) >= 10 and text[4] == "-":
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return Decimal(text)
    except (ValueError, InvalidOperation):
        return text.lower()


def _test(condition: Condition) -> Callable[[dict[str, Any]], bool]:
    wanted = [_comparable(v) for v in condition.values]

    def test(entity: dict[str, Any]) -> bool:
        value = _comparable(_lookup(entity, condition.path))
        if condition.op == "in":
            return value in wanted
        if condition.op == "like":
            pattern = re.escape(str(condition.values[0]).lower()).replace("%", ".*")
            return re.fullmatch(pattern, str(_lookup(entity, condition.path)).lower()) is not None
        if condition.op == "=":
            return bool(value == wanted[0])
        try:
            return bool({"<": value < wanted[0], ">": value > wanted[0],
                         "<=": value <= wanted[0], ">=": value >= wanted[0]}[condition.op])
        except TypeError:
            return False

    return test


def run(query: Query, entities: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``QueryResponse`` of ``query`` over ``entities`` (one entity's table)."""
    selected = entities
    if query.entity in NAME_LISTS and not any(c.path == ("Active",) for c in query.conditions):
        selected = [e for e in selected if e.get("Active", True)]
    for condition in query.conditions:
        test = _test(condition)
        selected = [e for e in selected if test(e)]
    if query.count:
        return {"totalCount": len(selected)}
    selected = sorted(selected, key=lambda e: int(e["Id"]))
    for path, descending in reversed(query.order):
        selected = sorted(selected, key=_order_key(path), reverse=descending)
    page = selected[query.start - 1:query.start - 1 + query.max_results]
    if not page:
        return {}
    return {query.entity: page, "startPosition": query.start, "maxResults": len(page)}


def _order_key(path: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    def key(entity: dict[str, Any]) -> tuple[int, Any]:
        value = _comparable(_lookup(entity, path))
        return (0, "") if value is None else (1, value)

    return key
