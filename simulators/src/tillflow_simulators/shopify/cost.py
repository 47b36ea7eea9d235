"""Query cost the way Shopify calculates it for the GraphQL Admin API.

Rules (shopify.dev "GraphQL Admin API rate limits"): scalars and enums cost 0, an object
costs 1, a connection costs 2 plus its page size times the cost of one node, and every
mutation field costs 10. The requested cost uses ``first``/``last`` as the page size; the
actual cost uses the number of nodes the response really holds, and a null object costs 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    value_from_ast_untyped,
)

MUTATION_COST = 10
CONNECTION_BASE_COST = 2
MAX_SINGLE_QUERY_COST = 1000


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> int:
    """The requested cost of ``document`` or, given the response ``data``, its actual cost."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, dict(variables or {}), actual=data is not None)
    if operation.operation == OperationType.MUTATION:
        return walker.mutation(operation.selection_set)
    root = schema.query_type
    return walker.selection(root, operation.selection_set, data) if root else 0


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if name is None or (operation.name and operation.name.value == name):
            return operation
    return None


def _named(field: GraphQLField) -> tuple[GraphQLNamedType, bool]:
    """The field's named type and whether it is a list."""
    output = field.type
    is_list = False
    while isinstance(output, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(output, GraphQLList)
        output = output.of_type
    return output, is_list


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        *,
        actual: bool,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.actual = actual

    def mutation(self, selection_set: SelectionSetNode) -> int:
        return sum(
            MUTATION_COST
            for node in self._fields(selection_set)
            if not node.name.value.startswith("__")
        )

    def selection(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode | None, data: Any
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in self._fields(selection_set):
            field = parent.fields.get(node.name.value)
            if field is None:
                continue
            value = data.get(_response_key(node)) if isinstance(data, Mapping) else None
            total += self.field(field, node, value)
        return total

    def field(self, field: GraphQLField, node: FieldNode, value: Any) -> int:
        named, is_list = _named(field)
        if not isinstance(named, GraphQLObjectType):
            return 0
        if named.name.endswith("Connection"):
            return self.connection(named, node, value)
        if self.actual and value is None:
            return 0
        if is_list and self.actual:
            items = value if isinstance(value, list) else []
            return 1 + sum(self.selection(named, node.selection_set, item) for item in items)
        return 1 + self.selection(named, node.selection_set, value)

    def connection(self, connection: GraphQLObjectType, node: FieldNode, value: Any) -> int:
        node_type = _node_type(connection)
        if node_type is None:
            return CONNECTION_BASE_COST
        if not self.actual:
            size = self._page_size(node)
            return CONNECTION_BASE_COST + size * self._node_cost(node_type, node, None)
        total = CONNECTION_BASE_COST
        for item in self._returned_nodes(node, value):
            total += self._node_cost(node_type, node, item)
        return total

    def _node_cost(self, node_type: GraphQLObjectType, node: FieldNode, item: Any) -> int:
        """Cost of one node: 1, plus what is selected on it through ``edges.node`` or ``nodes``."""
        inner = 0
        for child in self._fields(node.selection_set):
            name = child.name.value
            if name == "nodes":
                inner = max(inner, self.selection(node_type, child.selection_set, item))
            elif name == "edges":
                for edge_field in self._fields(child.selection_set):
                    if edge_field.name.value == "node":
                        inner = max(
                            inner, self.selection(node_type, edge_field.selection_set, item)
                        )
        return 1 + inner

    def _returned_nodes(self, node: FieldNode, value: Any) -> list[Any]:
        if not isinstance(value, Mapping):
            return []
        for child in self._fields(node.selection_set):
            items = value.get(_response_key(child))
            if child.name.value == "nodes" and isinstance(items, list):
                return items
            if child.name.value == "edges" and isinstance(items, list):
                return [_edge_node(child, edge, self) for edge in items]
        return []

    def _page_size(self, node: FieldNode) -> int:
        sizes = [0]
        for argument in node.arguments or ():
            if argument.name.value in {"first", "last"}:
                raw = value_from_ast_untyped(argument.value, self.variables)
                if isinstance(raw, int):
                    sizes.append(raw)
        return max(sizes)

    def _fields(self, selection_set: SelectionSetNode | None) -> list[FieldNode]:
        if selection_set is None:
            return []
        found: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                found.extend(self._fields(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    found.extend(self._fields(fragment.selection_set))
        return found


def _edge_node(edges_field: FieldNode, edge: Any, walker: _Walker) -> Any:
    if not isinstance(edge, Mapping):
        return None
    for child in walker._fields(edges_field.selection_set):
        if child.name.value == "node":
            return edge.get(_response_key(child))
    return {}


def _node_type(connection: GraphQLObjectType) -> GraphQLObjectType | None:
    nodes = connection.fields.get("nodes")
    if nodes is None:
        return None
    named, _ = _named(nodes)
    return named if isinstance(named, GraphQLObjectType) else None


def _response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value
