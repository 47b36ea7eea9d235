"""A product's options as Tryton attributes (the ``product_attribute`` module).

Each option is a selection attribute (``product.attribute``) named after the option, so
products with a Size share one Size attribute whose selection gathers every value any of
them uses; a template's attribute set (``product.attribute.set``) is the one holding
exactly its options' attributes, made when Tryton has none. Attribute names are unique in
Tryton and are the keys of a variant's ``attributes``; a selection line is ``key:label``,
so a value's key is the value without colons and the label the value itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.ports.accounting import ErpRejected

MODULE = "product_attribute"
_NOT_A_NAME = re.compile(r"[^0-9a-z]+")


def attribute_name(option: str) -> str:
    """The attribute's name for an option: ``Shoe size`` is ``shoe_size``."""
    return _NOT_A_NAME.sub("_", option.casefold()).strip("_") or "option"


def value_key(value: str) -> str:
    """A value's key in the attribute's selection: Tryton splits each line at its first
    colon and strips both halves."""
    return " ".join(value.replace(":", " ").split())


def with_values(selection: str | None, values: Sequence[str]) -> str:
    """``selection`` (Tryton's ``key:label`` lines) with a line for each value it lacks,
    in order after those it has."""
    lines = [line for line in (selection or "").splitlines() if line.strip()]
    keys = {line.split(":", 1)[0].strip() for line in lines}
    for value in values:
        if value_key(value) not in keys:
            keys.add(value_key(value))
            lines.append(f"{value_key(value)}:{value}")
    return "\n".join(lines)


def installed(client: TrytonClient) -> bool:
    """Whether Tryton has the module that gives variants attributes."""
    return bool(client.model("ir.module", "search",
                             [("name", "=", MODULE), ("state", "=", "activated")], 0, 1, None))


def attribute_set(client: TrytonClient, options: Sequence[tuple[str, Sequence[str]]]) -> int:
    """The attribute set holding exactly ``options``' attributes, each attribute's
    selection taking every value of its option."""
    wanted = sorted(_attribute(client, name, values) for name, values in options)
    for found in client.model("product.attribute.set", "search_read", [], 0, None,
                              [("id", "ASC")], ["attributes"]):
        if sorted(found["attributes"]) == wanted:
            return int(found["id"])
    [created] = client.model("product.attribute.set", "create", [{
        "name": " / ".join(name for name, _values in options),
        "attributes": [["add", wanted]]}])
    return int(created)


def _attribute(client: TrytonClient, option: str, values: Sequence[str]) -> int:
    name = attribute_name(option)
    found = client.model("product.attribute", "search_read", [("name", "=", name)], 0, 1,
                         None, ["type_", "selection"])
    if not found:
        [created] = client.model("product.attribute", "create", [{
            "name": name, "string": option, "type_": "selection",
            "selection": with_values(None, values)}])
        return int(created)
    if found[0]["type_"] != "selection":
        raise ErpRejected(f"Tryton's attribute {name!r} is of type {found[0]['type_']!r}: "
                          f"option {option!r} needs a selection")
    selection = with_values(found[0]["selection"], values)
    if selection != (found[0]["selection"] or ""):
        client.model("product.attribute", "write", [found[0]["id"]], {"selection": selection})
    return int(found[0]["id"])
