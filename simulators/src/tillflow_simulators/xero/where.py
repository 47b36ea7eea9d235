"""The part of Xero's ``where`` and ``order`` language a connector uses.

``where`` compares element paths with literals and joins comparisons with AND/OR/NOT and
parentheses: ``Status=="AUTHORISED" AND Contact.ContactID==guid("...")``,
``Date>=DateTime(2024, 01, 31)``, ``Name.Contains("cafe")``, ``Code.StartsWith("A")``,
``EmailAddress!=null``. ``order`` is ``Field [ASC|DESC]`` separated by commas. Anything
else is a ``QueryParseException``, as Xero answers an expression it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tillflow_simulators.xero.errors import QueryParseError

Predicate = Callable[[dict[str, Any]], bool]
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|<>|<=|>=|&&|\|\||[<>=!(),.])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
)""", re.VERBOSE)
_METHODS: dict[str, Callable[[str, str], bool]] = {
    "Contains": lambda a, b: b in a, "StartsWith": str.startswith, "EndsWith": str.endswith}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    found: list[_Tok] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise QueryParseError(f"Syntax error in where clause at position {position}: "
                                  f"{text[position:position + 20]!r}")
        kind = match.lastgroup or ""
        found.append(_Tok(kind, match.group(kind)))
        position = match.end()
    return found


def lookup(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, bool | Decimal | int | datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        return value.lower()
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.at = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.at] if self.at < len(self.toks) else None

    def take(self, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or (text is not None and tok.text.upper() != text.upper()):
            raise QueryParseError(f"Expected {text or 'more'} in where clause")
        self.at += 1
        return tok

    def accept(self, *texts: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.text.upper() in texts:
            self.at += 1
            return True
        return False

    def parse(self) -> Predicate:
        predicate = self.or_()
        left = self.peek()
        if left is not None:
            raise QueryParseError(f"Unexpected {left.text!r} in where clause")
        return predicate

    def or_(self) -> Predicate:
        left = self.and_()
        while self.accept("OR", "||"):
            left = _either(left, self.and_())
        return left

    def and_(self) -> Predicate:
        left = self.not_()
        while self.accept("AND", "&&"):
            left = _both(left, self.not_())
        return left

    def not_(self) -> Predicate:
        if self.accept("NOT", "!"):
            inner = self.atom()
            return lambda r: not inner(r)
        return self.atom()

    def atom(self) -> Predicate:
        if self.accept("("):
            inner = self.or_()
            self.take(")")
            return inner
        path = self.path()
        if self.accept("."):
            return self.method(path)
        op = self.take().text
        if op not in ("==", "=", "!=", "<>", "<", ">", "<=", ">="):
            raise QueryParseError(f"Unknown operator {op!r} in where clause")
        literal = self.literal()
        return _compare(path, op, literal)

    def path(self) -> tuple[str, ...]:
        parts = [self.take().text]
        while self._member_follows():
            self.take(".")
            parts.append(self.take().text)
        return tuple(parts)

    def _member_follows(self) -> bool:
        """``.Name`` that is a member, not the ``.Contains(`` of a method call."""
        ahead = self.toks[self.at:self.at + 3]
        return (len(ahead) >= 2 and ahead[0].text == "." and ahead[1].kind == "name"
                and (len(ahead) == 2 or ahead[2].text != "("))

    def method(self, path: tuple[str, ...]) -> Predicate:
        name = self.take().text
        self.take("(")
        argument = self.literal()
        self.take(")")
        test = _METHODS.get(name)
        if test is None or not isinstance(argument, str):
            raise QueryParseError(f"No applicable method '{name}' exists in type 'String'")
        wanted = argument.lower()

        def check(record: dict[str, Any]) -> bool:
            value = lookup(record, path)
            return isinstance(value, str) and bool(test(value.lower(), wanted))

        return check

    def literal(self) -> Any:
        tok = self.take()
        if tok.kind == "string":
            return tok.text[1:-1].replace('\\"', '"')
        if tok.kind == "number":
            return Decimal(tok.text)
        word = tok.text.lower()
        if word in ("true", "false"):
            return word == "true"
        if word == "null":
            return None
        if word == "guid":
            self.take("(")
            value = self.literal()
            self.take(")")
            return str(value).lower()
        if word == "datetime":
            return self.datetime()
        raise QueryParseError(f"Unknown identifier {tok.text!r} in where clause")

    def datetime(self) -> datetime:
        self.take("(")
        parts = [int(self.take().text)]
        while self.accept(","):
            parts.append(int(self.take().text))
        self.take(")")
        parts += [0] * (6 - len(parts))
        try:
            year, month, day, hour, minute, second = parts[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError as exc:
            raise QueryParseError(f"Invalid DateTime in where clause: {exc}") from exc


def _compare(path: tuple[str, ...], op: str, literal: Any) -> Predicate:
    wanted = _comparable(literal)

    def check(record: dict[str, Any]) -> bool:
        value = _comparable(lookup(record, path))
        if op in ("==", "="):
            return bool(value == wanted)
        if op in ("!=", "<>"):
            return bool(value != wanted)
        if value is None or wanted is None:
            return False
        try:
            return bool({"<": value < wanted, ">": value > wanted, "<=": value <= wanted,
                         ">=": value >= wanted}[op])
        except TypeError as exc:
            raise QueryParseError(f"Operator '{op}' incompatible with operand types") from exc

    return check


def parse_where(text: str) -> Predicate:
    return _Parser(text).parse()


def sort(records: list[dict[str, Any]], order: str | None) -> list[dict[str, Any]]:
    if not order:
        return records
    keys: list[tuple[tuple[str, ...], bool]] = []
    for part in order.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and
                                           words[1].upper() not in ("ASC", "DESC")):
            raise QueryParseError(f"Invalid order clause: {order!r}")
        keys.append((tuple(words[0].split(".")), len(words) == 2 and words[1].upper() == "DESC"))
    for path, descending in reversed(keys):
        records = sorted(records, key=_key_of(path), reverse=descending)
    return records


def _key_of(path: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    return lambda record: _sort_key(lookup(record, path))


def _either(first: Predicate, second: Predicate) -> Predicate:
    return lambda record: first(record) or second(record)


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda record: first(record) and second(record)


def _sort_key(value: Any) -> tuple[int, Any]:
    compared = _comparable(value)
    return (0, "") if compared is None else (1, compared)
