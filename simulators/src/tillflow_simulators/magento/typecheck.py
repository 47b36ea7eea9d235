"""The two JSON Schema validators: what Magento's input processor lets through, and what an
answer must hold.

Magento converts scalars with PHP's ``settype``: a numeric string is a fine ``int`` or
``float``, any scalar is a ``string`` or a ``bool``, and ``null`` is accepted for every
scalar. Objects and arrays are checked for what they are. Answers get the plain draft 4
types (null allowed for scalars, as Magento writes it), with ``Decimal`` counted as a number
(the simulator never holds money in floats).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jsonschema import Draft4Validator, TypeChecker, validators

# PHP's is_numeric: optional blanks, sign, digits with an optional fraction, exponent.
_NUMERIC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal):
        return True
    return isinstance(value, str) and _NUMERIC.fullmatch(value) is not None


def _numeric(_: TypeChecker, instance: Any) -> bool:
    return instance is None or is_numeric(instance)


def _scalar(_: TypeChecker, instance: Any) -> bool:
    return instance is None or isinstance(instance, str | int | Decimal)


def _array(_: TypeChecker, instance: Any) -> bool:
    return instance is None or isinstance(instance, list)


_LENIENT = Draft4Validator.TYPE_CHECKER.redefine_many(
    {
        "integer": _numeric,
        "number": _numeric,
        "string": _scalar,
        "boolean": _scalar,
        "array": _array,
    }
)


def _number(_: TypeChecker, instance: Any) -> bool:
    return instance is None or (
        isinstance(instance, int | Decimal) and not isinstance(instance, bool)
    )


def _integer(_: TypeChecker, instance: Any) -> bool:
    return instance is None or (isinstance(instance, int) and not isinstance(instance, bool))


def _string(_: TypeChecker, instance: Any) -> bool:
    return instance is None or isinstance(instance, str)


def _boolean(_: TypeChecker, instance: Any) -> bool:
    return instance is None or isinstance(instance, bool)


# Magento writes a null where a getter has nothing, so answers may hold null scalars.
_EXACT = Draft4Validator.TYPE_CHECKER.redefine_many(
    {"integer": _integer, "number": _number, "string": _string, "boolean": _boolean}
)

REQUEST: Any = validators.extend(Draft4Validator, type_checker=_LENIENT)  # type: ignore[no-untyped-call]
RESPONSE: Any = validators.extend(Draft4Validator, type_checker=_EXACT)  # type: ignore[no-untyped-call]

PHP_TYPES = {"integer": "int", "number": "float", "string": "string", "boolean": "bool"}
