"""Intuit's XSD of QuickBooks Online, applied to JSON the way Intuit's JSON maps onto it.

An entity in JSON is an object whose keys are the XSD's element and attribute names. An
element that may repeat is an array; a type with simple content (``ReferenceType``,
``MemoRef``) is ``{"value": ..., <attributes>}``; element order does not apply. Values
must have the JSON type their XSD type reads: booleans for ``xs:boolean``, numbers for
decimals and integers, strings for everything else (dates included), and then satisfy the
type's facets (enumerations, patterns, lengths) as xmlschema checks them.

``check`` reports what Intuit refuses at this level: an element or attribute the type does
not declare, a value of the wrong type, and an element the XSD requires (``minOccurs``
above zero, or one alternative of a required choice).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.resources import as_file, files
from typing import Any

import xmlschema
from xmlschema.validators import (
    XsdAnyElement,
    XsdAttribute,
    XsdComplexType,
    XsdElement,
    XsdGroup,
    XsdSimpleType,
)

NUMERIC = frozenset({"decimal", "double", "float"})
JAVA_CLASSES = {"decimal": "java.math.BigDecimal", "double": "java.lang.Double",
                "float": "java.lang.Float", "boolean": "java.lang.Boolean",
                "string": "java.lang.String"}
_LOADED: dict[str, float] = {}


@dataclass(frozen=True)
class Problem:
    kind: str  # "unknown", "type", "required", "choice"
    path: str  # "Line[0].SalesItemLineDetail.Qty"
    element: str  # the element or attribute concerned
    detail: str


@dataclass(frozen=True)
class _Child:
    element: XsdElement
    repeats: bool
    required: bool
    choice: int | None  # the required-or-not choice group it is an alternative of


@dataclass
class _Shape:
    """A complex type flattened for JSON: its children by name, attributes, choices."""

    children: dict[str, _Child] = field(default_factory=dict)
    attributes: dict[str, XsdAttribute] = field(default_factory=dict)
    # choice group id -> (alternatives, whether one of them is required)
    choices: dict[int, tuple[list[str], bool]] = field(default_factory=dict)
    open_content: bool = False


@cache
def schema() -> xmlschema.XMLSchema:
    """Intuit's XSD, read once per process from the package data."""
    started = time.perf_counter()
    with as_file(files("tillflow_simulators.quickbooks") / "xsd") as folder:
        loaded = xmlschema.XMLSchema(str(folder / "IntuitRestServiceDef.xsd"))
    _LOADED["seconds"] = time.perf_counter() - started
    return loaded


def load_seconds() -> float:
    schema()
    return _LOADED["seconds"]


def entity_type(name: str) -> XsdComplexType:
    found = schema().elements[name].type
    if not isinstance(found, XsdComplexType):
        raise TypeError(f"{name} is not an entity")
    return found


@cache
def _shape(xsd_type: XsdComplexType) -> _Shape:
    shape = _Shape(attributes={name: attr for name, attr in xsd_type.attributes.items()
                               if isinstance(name, str) and isinstance(attr, XsdAttribute)})
    if isinstance(xsd_type.content, XsdGroup):
        _flatten(xsd_type.content, shape, repeats=False, required=True, choice=None)
    return shape


def _flatten(group: XsdGroup, shape: _Shape, *, repeats: bool, required: bool,
             choice: int | None) -> None:
    repeats = repeats or group.max_occurs is None or group.max_occurs > 1
    required = required and group.min_occurs > 0
    if group.model == "choice" and not repeats:
        # A choice is satisfied by nothing when one of its alternatives may be absent.
        emptiable = any(particle.min_occurs == 0 for particle in group)
        choice = id(group)
        shape.choices[choice] = ([], required and not emptiable)
        required = False
    for particle in group:
        if isinstance(particle, XsdGroup):
            _flatten(particle, shape, repeats=repeats, required=required, choice=choice)
        elif isinstance(particle, XsdAnyElement):
            shape.open_content = True
        elif isinstance(particle, XsdElement):
            name = particle.local_name
            shape.children[name] = _Child(
                particle, repeats or particle.max_occurs is None or particle.max_occurs > 1,
                required and particle.min_occurs > 0, choice)
            if choice is not None and choice in shape.choices:
                shape.choices[choice][0].append(name)


def element_names(entity: str) -> set[str]:
    """The elements an entity's JSON may carry at its top level."""
    return set(_shape(entity_type(entity)).children)


def check(entity: str, data: Any) -> list[Problem]:
    """What Intuit's reader refuses in ``data`` as the JSON of ``entity``."""
    return list(_complex(entity_type(entity), data, entity, entity))


def _complex(xsd_type: XsdComplexType, data: Any, path: str, owner: str) -> Iterator[Problem]:
    if not isinstance(data, dict):
        yield Problem("type", path, path.rsplit(".", 1)[-1],
                      f"Can not deserialize instance of {owner} out of "
                      f"{_json_kind(data)} token")
        return
    shape = _shape(xsd_type)
    for key, value in data.items():
        yield from _member(xsd_type, shape, key, value, path=f"{path}.{key}", owner=owner)
    for name, child in shape.children.items():
        if child.required and name not in data:
            yield Problem("required", f"{path}.{name}", name,
                          f"Required parameter {_short(path)}.{name} is missing in the request")
    for alternatives, required in shape.choices.values():
        present = [name for name in alternatives if name in data]
        if len(present) > 1:
            yield Problem("choice", path, present[1],
                          f"Only one of {', '.join(present)} may be given")
        elif required and not present:
            yield Problem("required", path, alternatives[0],
                          f"Required parameter {_short(path)} needs one of "
                          f"{', '.join(alternatives)}")


def _member(xsd_type: XsdComplexType, shape: _Shape, key: str, value: Any, *, path: str,
            owner: str) -> Iterator[Problem]:
    child = shape.children.get(key)
    if child is not None:
        yield from _occurrences(child, value, path)
    elif key in shape.attributes:
        yield from _simple(shape.attributes[key].type, value, path, key)
    elif key == "value" and xsd_type.has_simple_content():
        yield from _simple(xsd_type.content, value, path, key)
    elif not shape.open_content:
        yield Problem("unknown", path, key,
                      f'Unrecognized field "{key}" (class com.intuit.schema.finance.v3.'
                      f'{owner}), not marked as ignorable')


def _occurrences(child: _Child, value: Any, path: str) -> Iterator[Problem]:
    if child.repeats:
        if not isinstance(value, list):
            yield Problem("type", path, child.element.local_name,
                          f"Can not deserialize instance of java.util.ArrayList out of "
                          f"{_json_kind(value)} token")
            return
        for index, item in enumerate(value):
            yield from _value(child.element, item, f"{path}[{index}]")
    else:
        yield from _value(child.element, value, path)


def _value(element: XsdElement, value: Any, path: str) -> Iterator[Problem]:
    name = element.local_name
    if value is None:
        if not element.nillable:
            yield Problem("type", path, name, f"{name} may not be null")
        return
    xsd_type = element.type
    if isinstance(xsd_type, XsdComplexType):
        if xsd_type.is_simple() or (xsd_type.has_simple_content() and
                                    not xsd_type.attributes and not isinstance(value, dict)):
            yield from _simple(xsd_type.content, value, path, name)
        elif xsd_type.name and xsd_type.local_name == "IntuitAnyType":
            return
        else:
            yield from _complex(xsd_type, value, path, xsd_type.local_name or name)
    else:
        yield from _simple(xsd_type, value, path, name)


def _simple(xsd_type: Any, value: Any, path: str, name: str) -> Iterator[Problem]:
    if not isinstance(xsd_type, XsdSimpleType):
        return
    primitive = _primitive(xsd_type)
    lexical = _lexical(primitive, value)
    if lexical is None:
        yield Problem("type", path, name,
                      f"Can not construct instance of {JAVA_CLASSES.get(primitive, primitive)} "
                      f"from {_json_kind(value)} value ({value!r}): not a valid representation")
    elif not xsd_type.text_is_valid(lexical):
        kind = xsd_type.local_name or primitive
        yield Problem("type", path, name, f"Value {lexical!r} is not valid for {name} ({kind})")


def _primitive(xsd_type: XsdSimpleType) -> str:
    primitive = getattr(xsd_type, "primitive_type", None)
    local = getattr(primitive, "local_name", None)
    return str(local) if local else "string"


def _lexical(primitive: str, value: Any) -> str | None:
    """The XSD lexical form of a JSON value, or None when its JSON type is wrong."""
    if primitive == "boolean":
        return ("true" if value else "false") if isinstance(value, bool) else None
    if primitive in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return None
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value if isinstance(value, str) else None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | Decimal):
        return "number"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "START_ARRAY"
    return "START_OBJECT" if isinstance(value, dict) else "null"


def _short(path: str) -> str:
    return path.split(".", 1)[1] if "." in path else path
