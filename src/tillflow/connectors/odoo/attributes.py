"""Odoo's attributes, their values and product categories, found by name or made.

An option is a ``product.attribute`` of that name that makes a variant for each value
(``create_variant`` ``always``); its values are ``product.attribute.value`` records, unique
by name within it. On Odoo 19 a value can be archived: one tillflow names again is
brought back rather than made twice (which the uniqueness would refuse). A category path
``Clothing/Tees`` is a ``product.category`` ``Tees`` under a top-level ``Clothing``.
Each lookup precedes its create, so a repeat after a lost answer makes nothing twice.
"""

from __future__ import annotations

from typing import Any

from tillflow.connectors.odoo.client import OdooClient

ALWAYS = "always"
# Attribute values have ``active`` in 19.0's code, not in 17.0's; 18.0 was not read, so it
# is taken as 17 (archived values are found all the same, only not brought back).
ARCHIVED_VALUES_FROM = 19
ARCHIVED_TOO = {"active_test": False}


class OdooAttributes:
    def __init__(self, client: OdooClient) -> None:
        self.client = client

    def attribute(self, name: str) -> int:
        found = self.client.call("product.attribute", "search", limit=1, domain=[
            ["name", "=", name], ["create_variant", "=", ALWAYS]])
        if found:
            return int(found[0])
        [made] = self.client.call("product.attribute", "create", vals_list=[
            {"name": name, "create_variant": ALWAYS}])
        return int(made)

    def values(self, attribute: int, names: tuple[str, ...]) -> dict[str, int]:
        """Each of ``names`` as a value of ``attribute``: its id by name."""
        archivable = self.client.major_version() >= ARCHIVED_VALUES_FROM
        found = self.client.call(
            "product.attribute.value", "search_read", context=ARCHIVED_TOO,
            domain=[["attribute_id", "=", attribute], ["name", "in", list(names)]],
            fields=["name", "active"] if archivable else ["name"])
        archived = [value["id"] for value in found if archivable and not value["active"]]
        if archived:
            self.client.call("product.attribute.value", "write", ids=archived,
                             vals={"active": True})
        ids = {str(value["name"]): int(value["id"]) for value in found}
        missing = [name for name in names if name not in ids]
        if missing:
            made = self.client.call("product.attribute.value", "create", vals_list=[
                {"name": name, "attribute_id": attribute} for name in missing])
            ids.update(zip(missing, (int(i) for i in made), strict=True))
        return ids

    def category(self, path: str) -> int:
        """The category at ``path`` (``/``-separated), made where missing."""
        parent: Any = False
        for name in (part.strip() for part in path.split("/") if part.strip()):
            found = self.client.call("product.category", "search", limit=1, domain=[
                ["name", "=", name], ["parent_id", "=", parent]])
            if found:
                parent = int(found[0])
            else:
                [parent] = self.client.call("product.category", "create", vals_list=[
                    {"name": name, "parent_id": parent}])
        return int(parent)
