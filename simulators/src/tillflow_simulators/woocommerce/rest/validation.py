"""WordPress's checks of a REST argument against its JSON schema, as WordPress 6.8 words them.

A port of ``rest_validate_value_from_schema`` (``wp-includes/rest-api.php``) for the
keywords WooCommerce's routes use: ``type`` (one or a list), ``enum``, ``minimum`` and
``maximum`` (exclusive or not), string lengths and ``pattern``, ``items``,
``properties`` with ``required``, ``additionalProperties`` and the ``date-time`` and
``email`` formats. Values arrive as JSON or as query strings, and are judged as PHP would
judge them: "12" is an integer, "true" a boolean, "1,2" an array.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ALLOWED_TYPES = ("array", "object", "string", "number", "integer", "boolean", "null")
_NUMERIC = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::\d{2})?)?$"
)
_EMAIL_LOCAL = re.compile(r"^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_EMAIL_SUB = re.compile(r"^[a-z0-9-]+$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Invalid(Exception):
    """A WP_Error from a schema check: its code, message and data (``None`` or the
    ``{"param": ...}`` a type error carries)."""

    code: str
    message: str
    data: Mapping[str, Any] | None = None


def validate(value: Any, schema: Mapping[str, Any], param: str) -> None:
    """Raises ``Invalid`` when ``value`` does not satisfy ``schema``."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = best_type(value, kind)
        if not kind:
            raise Invalid(
                "rest_invalid_type",
                f"{param} is not of type {','.join(schema['type'])}.",
                {"param": param},
            )
    check = _CHECKS.get(kind) if isinstance(kind, str) else None
    if check is not None:
        check(value, schema, param)
    if schema.get("enum"):
        _enum(value, schema, kind, param)
    if "format" in schema and (kind == "string" or kind not in ALLOWED_TYPES):
        _format(value, str(schema["format"]), param)


def best_type(value: Any, types: Sequence[str]) -> str:
    """``rest_get_best_type_for_value``: the first listed type the value passes as; an
    empty string stands for a string when strings are allowed."""
    if value == "" and "string" in types:
        return "string"
    checks: dict[str, Callable[[Any], bool]] = {
        "array": is_array,
        "object": is_object,
        "integer": is_integer,
        "number": is_numeric,
        "boolean": is_boolean,
        "string": lambda v: isinstance(v, str),
        "null": lambda v: v is None,
    }
    allowed = [t for t in types if t in checks]
    found = next((t for t in allowed if checks[t](value)), "")
    if not found and len(allowed) < len(types):  # an unknown type lets anything through
        return next(t for t in types if t not in checks)
    return found


def is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMERIC.match(value) is not None


def is_integer(value: Any) -> bool:
    return is_numeric(value) and float(value) == round(float(value))


def is_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return value.lower() in ("false", "true", "0", "1")
    return isinstance(value, int) and value in (0, 1)


def as_list(value: Any) -> list[Any] | None:
    """``rest_sanitize_array`` of what ``rest_is_array`` accepts; None otherwise."""
    if isinstance(value, str | int | float | bool):
        return [part for part in _LIST_SPLIT.split(str(value)) if part != ""]
    if isinstance(value, list):
        return value
    return None


def is_array(value: Any) -> bool:
    return as_list(value) is not None


def is_object(value: Any) -> bool:
    return value == "" or isinstance(value, dict | list)


def is_email(value: str) -> bool:
    """``is_email``: WordPress's own, looser than RFC 5322."""
    if len(value) < 6 or "@" not in value[1:]:
        return False
    local, domain = value.split("@", 1)
    if not _EMAIL_LOCAL.match(local) or ".." in domain or domain.strip(" \t\n\r\0\x0b.") != domain:
        return False
    subs = domain.split(".")
    return len(subs) >= 2 and all(
        sub.strip(" \t\n\r\0\x0b-") == sub and _EMAIL_SUB.match(sub) for sub in subs
    )


def _type_error(param: str, kind: str) -> Invalid:
    return Invalid("rest_invalid_type", f"{param} is not of type {kind}.", {"param": param})


def _null(value: Any, schema: Mapping[str, Any], param: str) -> None:
    if value is not None:
        raise _type_error(param, "null")


def _boolean(value: Any, schema: Mapping[str, Any], param: str) -> None:
    if not is_boolean(value):
        raise _type_error(param, "boolean")


def _object(value: Any, schema: Mapping[str, Any], param: str) -> None:
    if not is_object(value):
        raise _type_error(param, "object")
    items = dict(enumerate(value)) if isinstance(value, list) else (value or {})
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = schema.get("required")
    names = (
        required
        if isinstance(required, list)
        else [name for name, rule in properties.items() if rule.get("required") is True]
    )
    for name in names:
        if name not in items:
            raise Invalid("rest_property_required", f"{name} is a required property of {param}.")
    for name, item in items.items():
        if str(name) in properties:
            validate(item, properties[str(name)], f"{param}[{name}]")
        elif schema.get("additionalProperties") is False:
            raise Invalid(
                "rest_additional_properties_forbidden", f"{name} is not a valid property of Object."
            )
        elif isinstance(schema.get("additionalProperties"), dict):
            validate(item, schema["additionalProperties"], f"{param}[{name}]")


def _array(value: Any, schema: Mapping[str, Any], param: str) -> None:
    items = as_list(value)
    if items is None:
        raise _type_error(param, "array")
    if "items" in schema:
        for index, item in enumerate(items):
            validate(item, schema["items"], f"{param}[{index}]")
    _count(len(items), schema, param, ("minItems", "maxItems"), "item")


def _count(
    count: int, schema: Mapping[str, Any], param: str, keys: tuple[str, str], noun: str
) -> None:
    low, high = (schema.get(key) for key in keys)
    if low is not None and count < low:
        raise Invalid(
            f"rest_too_few_{noun}s",
            f"{param} must contain at least {low} {noun}{'s' if low != 1 else ''}.",
        )
    if high is not None and count > high:
        raise Invalid(
            f"rest_too_many_{noun}s",
            f"{param} must contain at most {high} {noun}{'s' if high != 1 else ''}.",
        )


def _number(value: Any, schema: Mapping[str, Any], param: str) -> None:
    if not is_numeric(value):
        raise _type_error(param, str(schema.get("type")))
    number = float(value)
    low, high = schema.get("minimum"), schema.get("maximum")
    below = low is not None and (number <= low if schema.get("exclusiveMinimum") else number < low)
    above = high is not None and (
        number >= high if schema.get("exclusiveMaximum") else number > high
    )
    if low is not None and high is not None:
        if below or above:
            left = "exclusive" if schema.get("exclusiveMinimum") else "inclusive"
            right = "exclusive" if schema.get("exclusiveMaximum") else "inclusive"
            raise Invalid(
                "rest_out_of_bounds",
                f"{param} must be between {int(low)} ({left}) and {int(high)} ({right})",
            )
    elif below:
        relation = "greater than" if schema.get("exclusiveMinimum") else "greater than or equal to"
        raise Invalid("rest_out_of_bounds", f"{param} must be {relation} {int(low or 0)}")
    elif above:
        relation = "less than" if schema.get("exclusiveMaximum") else "less than or equal to"
        raise Invalid("rest_out_of_bounds", f"{param} must be {relation} {int(high or 0)}")


def _integer(value: Any, schema: Mapping[str, Any], param: str) -> None:
    _number(value, schema, param)
    if not is_integer(value):
        raise _type_error(param, "integer")


def _string(value: Any, schema: Mapping[str, Any], param: str) -> None:
    if not isinstance(value, str):
        raise _type_error(param, "string")
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and len(value) < low:
        raise Invalid(
            "rest_too_short",
            f"{param} must be at least {low} character{'s' if low != 1 else ''} long.",
        )
    if high is not None and len(value) > high:
        raise Invalid(
            "rest_too_long",
            f"{param} must be at most {high} character{'s' if high != 1 else ''} long.",
        )
    if "pattern" in schema and re.search(schema["pattern"], value) is None:
        raise Invalid(
            "rest_invalid_pattern", f"{param} does not match pattern {schema['pattern']}."
        )


def _enum(value: Any, schema: Mapping[str, Any], kind: Any, param: str) -> None:
    allowed = list(schema["enum"])
    if any(_equal(value, choice, kind) for choice in allowed):
        return
    shown = [
        str(choice) if isinstance(choice, str | int | float) else repr(choice) for choice in allowed
    ]
    if len(shown) == 1:
        raise Invalid("rest_not_in_enum", f"{param} is not {shown[0]}.")
    raise Invalid("rest_not_in_enum", f"{param} is not one of {list_words(shown)}.")


def _equal(value: Any, choice: Any, kind: Any) -> bool:
    """``rest_are_values_equal`` on the value as sanitised for its type."""
    if kind in ("integer", "number") and is_numeric(value) and is_numeric(choice):
        return float(value) == float(choice)
    if kind == "boolean" and is_boolean(value):
        return (str(value).lower() in ("true", "1")) == bool(choice)
    return bool(value == choice)


def _format(value: Any, name: str, param: str) -> None:
    if name == "date-time" and not (isinstance(value, str) and _DATE.match(value)):
        raise Invalid("rest_invalid_date", "Invalid date.")
    if name == "email" and not (isinstance(value, str) and is_email(value)):
        raise Invalid("rest_invalid_email", "Invalid email address.")


def list_words(words: Sequence[str]) -> str:
    """``wp_sprintf``'s ``%l``: "a", "a and b", "a, b, and c"."""
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


_CHECKS = {
    "null": _null,
    "boolean": _boolean,
    "object": _object,
    "array": _array,
    "number": _number,
    "string": _string,
    "integer": _integer,
}
