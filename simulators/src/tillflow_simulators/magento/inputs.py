"""What Magento's input processor makes of a request: the service method's arguments.

The arguments come from the body (POST and PUT), the query string and the path, the latter
two winning. A top-level argument is found by its name or its snake_case spelling; a field
of an entity by its name in any case, with or without underscores (Magento looks up the
getter ``get<UpperCamel>``, and PHP method names ignore case). Unknown top-level keys are
ignored, as Magento ignores them. The arguments are then checked against Adobe's schema and
a refusal is worded as Magento words it; what passes is converted to the declared types as
PHP's ``settype`` converts it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import ValidationError

from tillflow_simulators.magento import jsonout
from tillflow_simulators.magento.errors import (
    NOT_SUPPORTED,
    InternalError,
    MagentoError,
    required_fields,
)
from tillflow_simulators.magento.schema import ApiSchema, Operation
from tillflow_simulators.magento.typecheck import PHP_TYPES

TYPE_INVALID = (
    'The "%s" value\'s type is invalid. The "%s" type was expected. Verify and try again.'
)
WRAPPED = 'Error occurred during "%s" processing. %s'
NOT_ALL_VALID = "Not all parameters valid."
CRITERIA = "searchCriteria"
CRITERIA_DEFINITION = "#/definitions/framework-search-criteria-interface"
# Until 2.4.7 an unknown field reached PHP as an uncaught LogicException: a masked 500.
UNKNOWN_FIELD_REFUSED_FROM = (2, 4, 7)


@dataclass(frozen=True)
class Signature:
    """The arguments of one service method, as the schema describes them."""

    properties: Mapping[str, Mapping[str, Any]]
    required: tuple[str, ...]

    def as_schema(self) -> dict[str, Any]:
        return {"type": "object", "properties": dict(self.properties)}


def signature(operation: Operation, *, criteria_required: bool = False) -> Signature:
    properties: dict[str, Mapping[str, Any]] = {}
    required: list[str] = []
    for parameter in operation.parameters:
        if parameter.location == "body" and parameter.schema is not None:
            properties.update(parameter.schema.get("properties", {}))
            required.extend(parameter.schema.get("required", []))
        elif parameter.name.startswith(CRITERIA + "["):
            properties[CRITERIA] = {"$ref": CRITERIA_DEFINITION}
        elif parameter.type is not None:
            properties[parameter.name] = _simple(parameter.type)
            if parameter.required:
                required.append(parameter.name)
    if criteria_required and CRITERIA in properties:
        required.append(CRITERIA)
    return Signature(properties, tuple(dict.fromkeys(required)))


def read(
    schema: ApiSchema, wanted: Signature, given: Mapping[str, Any], *, version: str
) -> dict[str, Any]:
    """The converted arguments, or the MagentoError a store answers with."""
    arguments: dict[str, Any] = {}
    for name, node in wanted.properties.items():
        value = given.get(name, given.get(_snake(name)))
        if value is not None:  # PHP's isset(): a null argument counts as missing
            arguments[name] = _normalise(schema, node, value)
    validator = schema.validator(wanted.as_schema(), "request")
    # Magento converts every argument given before it looks for the missing ones.
    errors = [e for e in validator.iter_errors(arguments) if e.validator != "required"]
    first = min(errors, key=lambda e: _position(e, arguments, wanted), default=None)
    if first is not None:
        raise _refusal(first, version)
    missing = [name for name in wanted.required if name not in arguments]
    if missing:
        raise required_fields(missing)
    return {name: _convert(schema, wanted.properties[name], v) for name, v in arguments.items()}


def php_query(query: str) -> dict[str, Any]:
    """A query string as PHP reads it: ``a[b][0][c]=1`` nests, ``a[]=`` appends."""
    parsed: dict[str, Any] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        head, _, rest = key.partition("[")
        keys = [head, *re.findall(r"\[([^\]]*)\]", "[" + rest)] if rest else [head]
        _place(parsed, keys, value)
    listed: dict[str, Any] = _listed(parsed)
    return listed


def _place(target: dict[str, Any], keys: Sequence[str], value: str) -> None:
    node = target
    for index, given in enumerate(keys):
        last = index == len(keys) - 1
        key = given or str(len(node))
        if last:
            node[key] = value
        else:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child


def _listed(node: Any) -> Any:
    """PHP arrays keyed 0..n are lists to the schema."""
    if not isinstance(node, dict):
        return node
    converted = {key: _listed(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def _simple(kind: str) -> dict[str, Any]:
    return {"type": kind} if kind != "array" else {"type": "array", "items": {"type": "string"}}


def _normalise(schema: ApiSchema, node: Mapping[str, Any], value: Any) -> Any:
    node = schema.resolve(node)
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        if isinstance(value, list) and value:
            return value  # the validator refuses it as the wrong type
        if not isinstance(value, dict):
            return {}  # Magento builds an empty entity from a scalar
        return _fields(schema, node["properties"], value)
    if kind == "array" and isinstance(value, list):
        return [_normalise(schema, node.get("items", {}), item) for item in value]
    return value


def _fields(schema: ApiSchema, properties: Mapping[str, Any], given: Mapping[str, Any]) -> Any:
    by_fold = {_fold(name): name for name in properties}
    fields: dict[str, Any] = {}
    for key, value in given.items():
        name = by_fold.get(_fold(key))
        if name is None:
            fields[key] = value  # unknown: the validator refuses it
            continue
        if name == "custom_attributes" and isinstance(value, dict):
            value = [  # noqa: PLW2901 - Magento accepts the {code: value} spelling too
                item if isinstance(item, dict) else {"attribute_code": code, "value": item}
                for code, item in value.items()
            ]
        fields[name] = _normalise(schema, properties[name], value)
    return fields


def _convert(schema: ApiSchema, node: Mapping[str, Any], value: Any) -> Any:
    node = schema.resolve(node)
    kind = node.get("type")
    if value is None:
        return None
    if kind == "object" and "properties" in node and isinstance(value, dict):
        properties = node["properties"]
        return {k: _convert(schema, properties.get(k, {}), v) for k, v in value.items()}
    if kind == "array" and isinstance(value, list):
        return [_convert(schema, node.get("items", {}), item) for item in value]
    return _settype(value, kind)


def _settype(value: Any, kind: Any) -> Any:
    if isinstance(value, dict | list):
        return value  # a custom attribute's "mixed" value passed the validator as it is
    if kind == "integer":
        return int(Decimal(str(value)))
    if kind == "number":
        return Decimal(str(value).strip())
    if kind == "string":
        return _php_string(value)
    if kind == "boolean":
        return _php_bool(value)
    return value


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return jsonout.number(value)
    if isinstance(value, dict | list):
        return "array"
    return str(value)


def _gettype(value: Any) -> str:
    """PHP's gettype() of a decoded JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "double"
    return "string" if isinstance(value, str) else "array"


def _php_bool(value: Any) -> bool | None:
    """FILTER_VALIDATE_BOOLEAN with FILTER_NULL_ON_FAILURE."""
    if isinstance(value, bool):
        return value
    text = _php_string(value).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no", ""):
        return False
    return None


def _refusal(error: ValidationError, version: str) -> MagentoError:
    names = [p for p in list(error.absolute_path)[1:] if isinstance(p, str)]
    node: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties":
        declared = node.get("properties", {})
        given: Mapping[str, Any] = error.instance if isinstance(error.instance, Mapping) else {}
        unknown = next(key for key in given if key not in declared)
        return _unknown_field(_upper_camel(unknown), version)
    if error.validator == "type" and error.validator_value == "object":
        return _unknown_field("0", version)  # a list's first index taken as a field name
    if error.validator != "type":
        return MagentoError(NOT_ALL_VALID)
    if error.validator_value == "array":
        items = node.get("items", {})
        if "$ref" in items:
            return MagentoError(NOT_ALL_VALID)
        wanted = PHP_TYPES.get(items.get("type", "string"), "string") + "[]"
        shown = _gettype(error.instance)
    else:
        wanted = PHP_TYPES.get(str(error.validator_value), str(error.validator_value))
        shown = _php_string(error.instance)
    message = TYPE_INVALID % (shown, wanted)
    for name in reversed(names):
        message = WRAPPED % (name, message)
    return MagentoError(message)


def _unknown_field(name: str, version: str) -> MagentoError:
    if tuple(int(part) for part in version.split(".")) < UNKNOWN_FIELD_REFUSED_FROM:
        return InternalError()
    return MagentoError(NOT_SUPPORTED, {"fieldName": name})


def _position(error: ValidationError, arguments: Mapping[str, Any], wanted: Signature) -> Any:
    """Where Magento meets the problem: arguments in the method's order, fields as sent."""
    path = list(error.absolute_path)
    if not path:
        return (len(wanted.properties),)
    order = list(wanted.properties)
    key: list[int] = [order.index(str(path[0])) if path[0] in order else len(order)]
    node: Any = arguments.get(str(path[0]))
    for step in path[1:]:
        if isinstance(node, dict):
            key.append(list(node).index(step) if step in node else len(node))
        else:
            key.append(int(step))
        node = node[step]
    return tuple(key)


def _fold(name: str) -> str:
    return name.replace("_", "").lower()


def _snake(name: str) -> str:
    return re.sub(r"(?<=\w)(?=[A-Z])", "_", name).lower()


def _upper_camel(name: str) -> str:
    """PHP's str_replace('_', '', ucwords($name, '_'))."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def check_list_limit(
    schema: ApiSchema, wanted: Signature, arguments: Mapping[str, Any], limit: int
) -> None:
    """Web API input limits: no list of entities longer than ``limit``, at any depth."""
    for name, value in arguments.items():
        _check_lists(schema, wanted.properties[name], value, limit)


def _check_lists(schema: ApiSchema, node: Mapping[str, Any], value: Any, limit: int) -> None:
    node = schema.resolve(node)
    if node.get("type") == "array" and isinstance(value, list):
        items = node.get("items", {})
        if "$ref" in items and len(value) > limit:
            raise MagentoError(
                'Maximum items of type "%type" is %max',
                {"type": php_class(items["$ref"]), "max": limit},
            )
        for item in value:
            _check_lists(schema, items, item, limit)
    elif node.get("type") == "object" and isinstance(value, dict):
        properties = node.get("properties", {})
        for key, item in value.items():
            if key in properties:
                _check_lists(schema, properties[key], item, limit)


# The generator names a definition after the module and data interface it describes.
_MODULES = {
    "catalog-inventory": "CatalogInventory",
    "inventory-api": "InventoryApi",
    "inventory-sales-api": "InventorySalesApi",
    "framework": "Framework",
    "catalog": "Catalog",
    "sales": "Sales",
    "quote": "Quote",
    "customer": "Customer",
    "checkout": "Checkout",
}


def php_class(ref: str) -> str:
    """``#/definitions/inventory-api-data-source-item-interface`` as the PHP interface
    ``\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface``."""
    name = ref.rsplit("/", 1)[-1]
    for prefix, module in sorted(_MODULES.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(prefix + "-"):
            rest = name[len(prefix) + 1 :]
            namespace = "Api\\Data" if rest.startswith("data-") else "Api"
            rest = rest.removeprefix("data-")
            if module == "Framework":
                namespace = "Api"
            camel = "".join(part.capitalize() for part in rest.split("-"))
            return f"\\Magento\\{module}\\{namespace}\\{camel}"
    return name
