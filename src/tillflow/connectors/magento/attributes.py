"""A product's options as Magento's select attributes, and their values as the attributes'
option ids.

An option is the attribute whose label is the option's name (``Color`` finds the store's
own ``color``), else the one with the code made from the name, else a new one: a global
select, as Magento's configurable products need. It is assigned to the default attribute
set and to the set of each variant Magento already has, since a product keeps values
only of the attributes its set holds. A value missing
from the attribute's options is added; labels compare without regard to case, as
Magento's database compares them. Everything is looked up before it is made, so a call
retried after a lost answer adds nothing twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tillflow.connectors.magento import search
from tillflow.connectors.magento.client import GLOBAL, MagentoClient, NotFound
from tillflow.connectors.magento.search import Filter
from tillflow.ports.commerce import Rejected

ATTRIBUTES = "/V1/products/attributes"
CODE_MAX = 60  # Magento's longest attribute code
# The default attribute set's first group, where the product form shows its details.
DETAILS_GROUP = "product-details"


@dataclass(frozen=True)
class Attribute:
    """An option as Magento holds it: the attribute and its option id of each value
    (by the value's label folded to lower case)."""

    id: int
    code: str
    label: str
    options: dict[str, int]
    labels: Mapping[int, str] = field(default_factory=dict)

    def option_id(self, value: str) -> int:
        return self.options[value.lower()]


def attribute_code(name: str) -> str:
    """Letters, digits and underscores, starting with a letter: ``Shoe size`` is
    ``shoe_size``. A name with letters beyond Latin ones gains a digest of itself, so two
    such names never share a code."""
    code = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    code = code if code[:1].isalpha() else f"option_{code}".rstrip("_")
    if not name.isascii():
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        return f"{code[:CODE_MAX - len(digest) - 1]}_{digest}"
    return code[:CODE_MAX]


def resolve(client: MagentoClient, name: str, values: Sequence[str],
            sets: Sequence[int]) -> Attribute:
    """The attribute of option ``name``, in each of the attribute ``sets``, with every one
    of ``values`` among its options."""
    found = _find(client, name) or _create(client, name)
    if found.get("frontend_input") != "select" or found.get("scope") != "global":
        raise Rejected(f"Magento's attribute {found['attribute_code']!r} (for option {name!r}) "
                       "is not a global dropdown, which a configurable product needs; rename "
                       "the option or change the attribute in the store")
    code = str(found["attribute_code"])
    for set_id in sets:
        _in_set(client, code, set_id)
    options = _options(client, code)
    missing = [v for v in dict.fromkeys(values) if v.lower() not in options]
    for value in missing:
        client.call("POST", f"{_path(code)}/options", store=GLOBAL,
                    json_body={"option": {"label": value, "value": ""}})
    if missing:
        options = _options(client, code)
    return Attribute(int(found["attribute_id"]), code, name, options)


def _find(client: MagentoClient, name: str) -> dict[str, Any] | None:
    by_label = search.every(client, ATTRIBUTES, search.where(
        Filter("frontend_label", name)), store=GLOBAL)
    exact = [a for a in by_label
             if str(a.get("default_frontend_label") or "").lower() == name.lower()]
    if exact:
        return exact[0]
    try:
        found: dict[str, Any] = client.call("GET", _path(attribute_code(name)), store=GLOBAL)
    except NotFound:
        return None
    return found


def _create(client: MagentoClient, name: str) -> dict[str, Any]:
    made: dict[str, Any] = client.call("POST", ATTRIBUTES, store=GLOBAL, json_body={
        "attribute": {"attribute_code": attribute_code(name), "frontend_input": "select",
                      "entity_type_id": "4", "is_required": False, "scope": "global",
                      "default_frontend_label": name,
                      "frontend_labels": [{"store_id": 0, "label": name}]}})
    return made


def _in_set(client: MagentoClient, code: str, set_id: int) -> None:
    held = client.call("GET", f"/V1/products/attribute-sets/{set_id}/attributes", store=GLOBAL)
    if any(a.get("attribute_code") == code for a in held):
        return
    groups = search.every(client, "/V1/products/attribute-sets/groups/list", search.where(
        Filter("attribute_set_id", str(set_id))), store=GLOBAL)
    if not groups:
        raise Rejected(f"Magento's attribute set {set_id} has no group to hold attribute "
                       f"{code!r}")
    group = next((g for g in groups if (g.get("extension_attributes") or {}).get(
        "attribute_group_code") == DETAILS_GROUP), groups[0])
    client.call("POST", "/V1/products/attribute-sets/attributes", store=GLOBAL, json_body={
        "attributeSetId": set_id, "attributeGroupId": int(
            group["attribute_group_id"]), "attributeCode": code, "sortOrder": 0})


def _options(client: MagentoClient, code: str) -> dict[str, int]:
    listed = client.call("GET", f"{_path(code)}/options", store=GLOBAL)
    # The first option a select lists is the empty choice, without a value.
    return {str(o["label"]).strip().lower(): int(o["value"]) for o in listed
            if str(o.get("value") or "").isdigit()}


def by_id(client: MagentoClient, attribute_id: int) -> Attribute:
    """An attribute found by its id, with its options' ids by label (as the store spells
    them, in ``labels``)."""
    found = search.every(client, ATTRIBUTES, search.where(
        Filter("attribute_id", str(attribute_id))), store=GLOBAL)
    if not found:
        raise Rejected(f"Magento has no attribute {attribute_id}")
    item = found[0]
    options = {str(o["label"]).strip(): int(o["value"]) for o in item.get("options") or []
               if str(o.get("value") or "").isdigit()}
    return Attribute(attribute_id, str(item["attribute_code"]),
                     str(item.get("default_frontend_label") or item["attribute_code"]),
                     {label.lower(): i for label, i in options.items()},
                     labels={i: label for label, i in options.items()})


def _path(code: str) -> str:
    return f"{ATTRIBUTES}/{quote(code, safe='')}"
