"""Variables checked against their declared types, with graphql-ruby's problems.

Each problem is ``{"path": [...], "explanation": "..."}``: ``Expected value to not be
null``, ``Field is not defined on T``, ``Could not coerce value V to T``, ``Expected "V" to
be one of: ...`` or ``Expected V to be a key-value object.``; list positions are numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    is_input_type,
    type_from_ast,
)

Problem = dict[str, Any]


def variable_errors(
    schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> list[dict[str, Any]]:
    errors = []
    for definition in operation.variable_definitions or ():
        declared = type_from_ast(schema, definition.type)
        if declared is None or not is_input_type(declared):
            continue  # the document's validation reports it
        name = definition.variable.name.value
        if name in variables:
            value = variables[name]
        elif definition.default_value is not None:
            continue
        else:
            value = None
        problems = _problems(value, declared, [])
        if problems:
            location = definition.loc.source.get_location(definition.loc.start) \
                if definition.loc else None
            errors.append(_error(name, declared, value, problems, location))
    return errors


def _error(name: str, declared: GraphQLInputType, value: Any, problems: list[Problem],
           location: Any) -> dict[str, Any]:
    message = f"Variable ${name} of type {declared} was provided invalid value"
    placed = [f"{'.'.join(str(step) for step in p['path'])} ({p['explanation']})"
              for p in problems if p["path"]]
    if placed:
        message += f" for {', '.join(placed)}"
    error: dict[str, Any] = {"message": message}
    if location is not None:
        error["locations"] = [{"line": location.line, "column": location.column}]
    error["extensions"] = {"value": value, "problems": problems}
    return error


def _problems(value: Any, declared: GraphQLInputType, path: list[Any]) -> list[Problem]:
    if isinstance(declared, GraphQLNonNull):
        if value is None:
            return [{"path": path, "explanation": "Expected value to not be null"}]
        return _problems(value, declared.of_type, path)
    if value is None:
        return []
    if isinstance(declared, GraphQLList):
        items = value if isinstance(value, list) else [value]
        return [p for index, item in enumerate(items)
                for p in _problems(item, declared.of_type, [*path, index])]
    if isinstance(declared, GraphQLInputObjectType):
        return _object_problems(value, declared, path)
    if isinstance(declared, GraphQLEnumType):
        if isinstance(value, str) and value in declared.values:
            return []
        allowed = ", ".join(declared.values)
        return [{"path": path, "explanation": f"Expected {json.dumps(value)} to be one of: "
                                              f"{allowed}"}]
    assert isinstance(declared, GraphQLScalarType)
    return _scalar_problems(value, declared, path)


def _object_problems(value: Any, declared: GraphQLInputObjectType,
                     path: list[Any]) -> list[Problem]:
    if not isinstance(value, Mapping):
        shown = json.dumps(value, default=str)
        return [{"path": path, "explanation": f"Expected {shown} to be a key-value object."}]
    problems: list[Problem] = []
    for key, inner in value.items():
        field = declared.fields.get(key)
        if field is None:
            problems.append({"path": [*path, key],
                             "explanation": f"Field is not defined on {declared.name}"})
        else:
            problems += _problems(inner, field.type, [*path, key])
    for key, field in declared.fields.items():
        if key not in value and field.default is None and field.default_value is Undefined:
            problems += _problems(None, field.type, [*path, key])
    return problems


def _scalar_problems(value: Any, declared: GraphQLScalarType, path: list[Any]) -> list[Problem]:
    try:
        parsed = declared.coerce_input_value(value)
    except (GraphQLError, TypeError, ValueError):
        parsed = Undefined
    if parsed is Undefined:
        shown = json.dumps(value, default=str)
        return [{"path": path, "explanation": f"Could not coerce value {shown} to "
                                              f"{declared.name}"}]
    return []
