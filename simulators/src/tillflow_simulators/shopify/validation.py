"""Validation of a document and its variables, answered in the shape Shopify's server gives.

Shopify runs graphql-ruby: a static validation error is ``{"message", "locations", "path",
"extensions": {"code", ...}}`` with graphql-ruby's wording and codes (``undefinedField``,
``argumentNotAccepted``, ...), and the path starts at the operation (``"query Name"``). A
variable that does not fit its type is ``Variable $x of type T was provided invalid value
for a.b (explanation)`` with ``extensions.value`` and ``extensions.problems``. graphql-core
finds the errors; this module words them as graphql-ruby does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    ValidationContext,
    specified_rules,
    validate,
)

from tillflow_simulators.shopify.validation_paths import NodeIndex
from tillflow_simulators.shopify.variable_problems import variable_errors

ErrorBody = dict[str, Any]
Rewrite = Callable[[GraphQLError, "NodeIndex", GraphQLSchema], ErrorBody | None]

# graphql-ruby's code for each rule graphql-core runs (static_validation/rules/*_error.rb).
CODES = {
    "ExecutableDefinitionsRule": "queryContainsSchemaDefinitions",
    "UniqueOperationNamesRule": "uniquelyNamedOperations",
    "LoneAnonymousOperationRule": "uniquelyNamedOperations",
    "SingleFieldSubscriptionsRule": "notSingleSubscription",
    "KnownTypeNamesRule": "undefinedType",
    "FragmentsOnCompositeTypesRule": "fragmentOnNonCompositeType",
    "VariablesAreInputTypesRule": "variableRequiresValidType",
    "ScalarLeafsRule": "selectionMismatch",
    "FieldsOnCorrectTypeRule": "undefinedField",
    "UniqueFragmentNamesRule": "fragmentNotUnique",
    "KnownFragmentNamesRule": "useAndDefineFragment",
    "NoUnusedFragmentsRule": "useAndDefineFragment",
    "PossibleFragmentSpreadsRule": "cannotSpreadFragment",
    "NoFragmentCyclesRule": "infiniteLoop",
    "UniqueVariableNamesRule": "variableNotUnique",
    "NoUndefinedVariablesRule": "variableNotDefined",
    "NoUnusedVariablesRule": "variableNotUsed",
    "KnownDirectivesRule": "undefinedDirective",
    "UniqueDirectivesPerLocationRule": "directiveNotUniqueForLocation",
    "KnownArgumentNamesRule": "argumentNotAccepted",
    "UniqueArgumentNamesRule": "argumentNotUnique",
    "ValuesOfCorrectTypeRule": "argumentLiteralsIncompatible",
    "ProvidedRequiredArgumentsRule": "missingRequiredArguments",
    "VariablesInAllowedPositionRule": "variableMismatch",
    "OverlappingFieldsCanBeMergedRule": "fieldConflict",
    "UniqueInputFieldNamesRule": "inputFieldNotUnique",
}


def document_errors(schema: GraphQLSchema, document: DocumentNode) -> list[ErrorBody]:
    # Valid documents, the common case, pass the plain rules; only an invalid one is
    # validated again to learn which rule found each error.
    if not validate(schema, document):
        return []
    found = validate(schema, document, _RULES)
    index = NodeIndex(schema, document)
    bodies: list[ErrorBody] = []
    for error in found:
        body = _shape(error, index, schema)
        if body not in bodies:  # graphql-ruby reports an argument's bad value once
            bodies.append(body)
    return bodies


def operation_variable_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> list[ErrorBody]:
    operation = _operation(document, operation_name)
    return [] if operation is None else variable_errors(schema, operation, variables)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition
    return None


class _TaggingContext:
    """A rule's validation context that marks each error it is given with the rule's name
    (some rules report through the context, not through their own ``report_error``)."""

    def __init__(self, context: ValidationContext, rule: str) -> None:
        self._context = context
        self._rule = rule

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), "rule": self._rule}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def _tagging(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    def __init__(self: ASTValidationRule, context: ValidationContext) -> None:  # noqa: N807
        rule.__init__(self, _TaggingContext(context, rule.__name__))  # type: ignore[arg-type]

    return type(rule.__name__, (rule,), {"__init__": __init__})


_RULES = tuple(_tagging(rule) for rule in specified_rules)


def _shape(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema) -> ErrorBody:
    rule = (error.extensions or {}).get("rule", "")
    node = error.nodes[0] if error.nodes else None
    body: ErrorBody = {"message": error.message}
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if node is not None and index.path(node):
        body["path"] = index.path(node)
    body["extensions"] = {"code": CODES.get(rule, "validationError")}
    rewrite = _REWRITES.get(rule)
    wording = rewrite(error, index, schema) if rewrite else None
    if wording is not None:
        body["message"] = wording.pop("message")
        body["extensions"] = wording
    return body


def _undefined_field(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                     ) -> ErrorBody | None:
    found = re.match(r"Cannot query field '(\w+)' on type '(\w+)'", error.message)
    if found is None:
        return None
    field, owner = found.groups()
    return {"message": f"Field '{field}' doesn't exist on type '{owner}'",
            "code": "undefinedField", "typeName": owner, "fieldName": field}


def _argument_not_accepted(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                           ) -> ErrorBody | None:
    on_field = re.match(r"Unknown argument '(\w+)' on field '\w+\.(\w+)'", error.message)
    on_directive = re.match(r"Unknown argument '(\w+)' on directive '@(\w+)'", error.message)
    found, kind = (on_field, "Field") if on_field else (on_directive, "Directive")
    if found is None:
        return None
    argument, owner = found.groups()
    return {"message": f"{kind} '{owner}' doesn't accept argument '{argument}'",
            "code": "argumentNotAccepted", "name": owner, "typeName": kind,
            "argumentName": argument}


def _missing_arguments(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                       ) -> ErrorBody | None:
    on_field = re.match(r"Argument '\w+\.(\w+)\((\w+):\)'", error.message)
    on_directive = re.match(r"Argument '@(\w+)\((\w+):\)'", error.message)
    found, kind = (on_field, "Field") if on_field else (on_directive, "Directive")
    if found is None:
        return None
    owner, argument = found.groups()
    return {"message": f"{kind} '{owner}' is missing required arguments: {argument}",
            "code": "missingRequiredArguments", "className": kind, "name": owner,
            "arguments": argument}


def _undefined_directive(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                         ) -> ErrorBody | None:
    found = re.match(r"Unknown directive '@(\w+)'", error.message)
    if found is None:
        return {"message": error.message, "code": "directiveCannotBeApplied"}
    name = found.group(1)
    return {"message": f"Directive @{name} is not defined", "code": "undefinedDirective",
            "directiveName": name}


def _selections(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                ) -> ErrorBody | None:
    missing = re.match(r"Field '(\w+)' of type '([^']+)' must have a selection", error.message)
    if missing is not None:
        field, returned = missing.group(1), missing.group(2).strip("[]!")
        return {"message": f"Field must have selections (field '{field}' returns {returned} but "
                           f"has no selections. Did you mean '{field} {{ ... }}'?)",
                "code": "selectionMismatch", "nodeName": f"field '{field}'",
                "typeName": returned}
    extra = re.match(r"Field '(\w+)' must not have a selection since type '([^']+)'",
                     error.message)
    if extra is None or not error.nodes:
        return None
    field, returned = extra.group(1), extra.group(2).strip("[]!")
    kind = "enums" if index.is_enum(returned) else "scalars"
    chosen = ", ".join(f'"{name}"' for name in index.selection_names(error.nodes[0]))
    return {"message": f"Selections can't be made on {kind} (field '{field}' returns "
                       f"{returned} but has selections [{chosen}])",
            "code": "selectionMismatch", "nodeName": f"field '{field}'", "typeName": returned}


def _unused_variable(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                     ) -> ErrorBody | None:
    found = re.match(r"Variable '\$(\w+)' is never used", error.message)
    if found is None:
        return None
    name = found.group(1)
    return {"message": f"Variable ${name} is declared by {index.operation_label(error)} but "
                       "not used", "code": "variableNotUsed", "variableName": name}


def _undefined_variable(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                        ) -> ErrorBody | None:
    found = re.match(r"Variable '\$(\w+)' is not defined", error.message)
    if found is None:
        return None
    name = found.group(1)
    return {"message": f"Variable ${name} is used by {index.operation_label(error)} but not "
                       "declared", "code": "variableNotDefined", "variableName": name}


def _variable_mismatch(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                       ) -> ErrorBody | None:
    found = re.match(r"Variable '\$(\w+)' of type '([^']+)' used in position expecting type "
                     r"'([^']+)'", error.message)
    nodes = error.nodes or []
    if found is None or len(nodes) < 2:
        return None
    name, declared, expected = found.groups()
    argument = index.argument_name(nodes[1])
    if declared.strip("[]!") != expected.strip("[]!"):
        kind = "Type mismatch"
    elif declared.count("[") != expected.count("["):
        kind = "List dimension mismatch"
    else:
        kind = "Nullability mismatch"
    return {"message": f"{kind} on variable ${name} and argument {argument} "
                       f"({declared} / {expected})",
            "code": "variableMismatch", "variableName": name, "typeName": declared,
            "argumentName": argument, "errorMessage": kind}


def _unknown_type(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema
                  ) -> ErrorBody | None:
    found = re.match(r"Unknown type '(\w+)'", error.message)
    if found is None or not error.nodes:
        return None
    name = found.group(1)
    variable = index.variable_of_type(error.nodes[0])
    if variable is not None:
        return {"message": f"{name} isn't a defined input type (on ${variable})",
                "code": "variableRequiresValidType", "typeName": name,
                "variableName": variable}
    return {"message": f"No such type {name}, so it can't be a fragment condition",
            "code": "undefinedType", "typeName": name}


def _literal(error: GraphQLError, index: NodeIndex, schema: GraphQLSchema) -> ErrorBody | None:
    argument = index.enclosing_argument(error.nodes[0]) if error.nodes else None
    if argument is None:
        return None
    return {"message": f"Argument '{argument.name}' on {argument.owner_kind} "
                       f"'{argument.owner}' has an invalid value ({argument.printed_value}). "
                       f"Expected type '{argument.type_name}'.",
            "code": "argumentLiteralsIncompatible", "typeName": argument.owner_kind,
            "argumentName": argument.name}


_REWRITES: dict[str, Rewrite] = {
    "FieldsOnCorrectTypeRule": _undefined_field,
    "KnownArgumentNamesRule": _argument_not_accepted,
    "ProvidedRequiredArgumentsRule": _missing_arguments,
    "KnownDirectivesRule": _undefined_directive,
    "ScalarLeafsRule": _selections,
    "NoUnusedVariablesRule": _unused_variable,
    "NoUndefinedVariablesRule": _undefined_variable,
    "VariablesInAllowedPositionRule": _variable_mismatch,
    "KnownTypeNamesRule": _unknown_type,
    "ValuesOfCorrectTypeRule": _literal,
}
