"""Shopify's schema of an API version with the simulator's resolvers attached, once each.

Resolvers are keyed ``Query.field`` and ``Mutation.field``, whatever the version names its
root types (``QueryRoot``); a resolver for a field a version lacks is left out. A resolver
is handed only the arguments it models (its keyword parameters, or the names it declares
with ``takes``): the schema's other arguments are dropped while they hold their default
and refused when a request sets them.
"""

from __future__ import annotations

import inspect
import threading
from functools import wraps
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from graphql.utilities.coerce_input_value import coerce_default_value

from tillflow_simulators.shopify import (
    gql_bulk,
    gql_catalog,
    gql_inventory,
    gql_orders,
    gql_product_set,
    gql_shop,
)
from tillflow_simulators.shopify.gql_support import (
    CONNECTION_ARGUMENTS,
    Info,
    NotModelled,
    Resolver,
)
from tillflow_simulators.shopify.schema import load_schema

RESOLVERS: dict[str, Resolver] = {
    **gql_catalog.RESOLVERS,
    **gql_inventory.RESOLVERS,
    **gql_orders.RESOLVERS,
    **gql_shop.RESOLVERS,
    **gql_bulk.RESOLVERS,
    **gql_product_set.RESOLVERS,
}

_lock = threading.Lock()
_ready: set[str] = set()


def executable_schema(version: str) -> GraphQLSchema:
    schema = load_schema(version)
    with _lock:
        if version not in _ready:
            _attach(schema)
            _ready.add(version)
    return schema


def _attach(schema: GraphQLSchema) -> None:
    roots = {"Query": schema.query_type, "Mutation": schema.mutation_type}
    for path, resolve in RESOLVERS.items():
        type_name, field_name = path.split(".")
        owner = roots.get(type_name) or schema.get_type(type_name)
        if isinstance(owner, GraphQLObjectType) and field_name in owner.fields:
            field = owner.fields[field_name]
            field.resolve = _modelling(f"{owner.name}.{field_name}", field, resolve)


def _modelling(name: str, field: GraphQLField, resolve: Resolver) -> Resolver:
    modelled = _arguments(resolve)
    others = {arg: definition for arg, definition in field.args.items() if arg not in modelled}
    if not others:
        return resolve
    defaults = {arg: coerce_default_value(definition) for arg, definition in others.items()}

    @wraps(resolve)
    def resolve_modelled(root: Any, info: Info, **args: Any) -> Any:
        for arg in others:
            if arg in args and args.pop(arg) not in (None, defaults[arg]):
                raise NotModelled(f"The argument {name}({arg}:)")
        return resolve(root, info, **args)

    return resolve_modelled


def _arguments(resolve: Resolver) -> frozenset[str]:
    declared: frozenset[str] | None = getattr(resolve, "arguments", None)
    if declared is not None:
        return declared
    parameters = list(inspect.signature(resolve).parameters.values())[2:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return CONNECTION_ARGUMENTS
    return frozenset(p.name for p in parameters)
