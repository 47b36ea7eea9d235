"""Where each node of a document stands, for wording validation errors as graphql-ruby does:
its path from the operation (``["query Name", "products", "first"]``), its operation, and
the argument whose value holds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    Node,
    ObjectFieldNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    Visitor,
    print_ast,
    visit,
)


@dataclass(frozen=True)
class ArgumentInfo:
    name: str
    owner: str
    owner_kind: str
    type_name: str
    printed_value: str


def operation_label(definition: Node) -> str:
    if isinstance(definition, OperationDefinitionNode):
        kind = definition.operation.value
        return f"{kind} {definition.name.value}" if definition.name else kind
    if isinstance(definition, FragmentDefinitionNode):
        return f"fragment {definition.name.value}"
    return ""


class NodeIndex:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self._paths: dict[int, list[str]] = {}
        self._roots: dict[int, Node] = {}
        self._arguments: dict[int, ArgumentInfo] = {}
        self._positions: dict[int, str] = {}
        self._variable_types: dict[int, str] = {}
        type_info = TypeInfo(schema)
        visit(document, TypeInfoVisitor(type_info, _Indexer(self, type_info)))

    def path(self, node: Node) -> list[str]:
        return self._paths.get(id(node), [])

    def operation_label(self, error: GraphQLError) -> str:
        for node in error.nodes or ():
            root = self._roots.get(id(node))
            if isinstance(root, OperationDefinitionNode):
                return root.name.value if root.name else f"anonymous {root.operation.value}"
        return "anonymous query"

    def enclosing_argument(self, node: Node) -> ArgumentInfo | None:
        return self._arguments.get(id(node))

    def argument_name(self, node: Node) -> str:
        """The argument or input field whose value is ``node``."""
        return self._positions.get(id(node), "")

    def variable_of_type(self, node: Node) -> str | None:
        return self._variable_types.get(id(node))

    def is_enum(self, type_name: str) -> bool:
        return isinstance(self.schema.get_type(type_name), GraphQLEnumType)

    def selection_names(self, node: Node) -> list[str]:
        if not isinstance(node, FieldNode) or node.selection_set is None:
            return []
        names = []
        for selection in node.selection_set.selections:
            if isinstance(selection, FieldNode | FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                names.append(f"... on {condition.name.value if condition else ''} {{ ... }}")
        return names


class _Indexer(Visitor):
    def __init__(self, index: NodeIndex, type_info: TypeInfo) -> None:
        super().__init__()
        self.index = index
        self.type_info = type_info

    def enter(self, node: Node, key: Any, parent: Any, path: Any, ancestors: list[Any]) -> None:
        nodes = [a for a in ancestors if isinstance(a, Node)] + [node]
        root = next((n for n in nodes if isinstance(
            n, OperationDefinitionNode | FragmentDefinitionNode)), None)
        if root is None:
            return
        self.index._roots[id(node)] = root
        self.index._paths[id(node)] = [_step(n) for n in nodes if _step(n)]
        self._note_argument(node, nodes)
        self._note_position(node, nodes)
        if isinstance(node, VariableDefinitionNode):
            for inner in _named_types(node):
                self.index._variable_types[id(inner)] = node.variable.name.value

    def _note_argument(self, node: Node, nodes: list[Node]) -> None:
        found = next((n for n in reversed(nodes) if isinstance(n, ArgumentNode)), None)
        if found is None:
            return
        if found is node:
            owner_node = next((n for n in reversed(nodes[:-1])
                               if isinstance(n, FieldNode | DirectiveNode)), None)
            argument = self.type_info.get_argument()
            self.index._arguments[id(node)] = ArgumentInfo(
                name=node.name.value,
                owner=owner_node.name.value if owner_node else "",
                owner_kind="Directive" if isinstance(owner_node, DirectiveNode) else "Field",
                type_name=str(argument.type) if argument else "",
                printed_value=print_ast(node.value),
            )
        else:
            info = self.index._arguments.get(id(found))
            if info is not None:
                self.index._arguments[id(node)] = info

    def _note_position(self, node: Node, nodes: list[Node]) -> None:
        holder = next((n for n in reversed(nodes[:-1])
                       if isinstance(n, ArgumentNode | ObjectFieldNode)), None)
        if holder is not None:
            self.index._positions[id(node)] = holder.name.value


def _step(node: Node) -> str:
    if isinstance(node, OperationDefinitionNode | FragmentDefinitionNode):
        return operation_label(node)
    if isinstance(node, FieldNode):
        return node.alias.value if node.alias else node.name.value
    if isinstance(node, InlineFragmentNode):
        return f"... on {node.type_condition.name.value}" if node.type_condition else "..."
    if isinstance(node, ArgumentNode | ObjectFieldNode):
        return node.name.value
    if isinstance(node, DirectiveNode):
        return f"@{node.name.value}"
    return ""


def _named_types(definition: VariableDefinitionNode) -> list[Node]:
    found: list[Node] = []
    current: Any = definition.type
    while current is not None:
        found.append(current)
        current = getattr(current, "type", None)
    return found
