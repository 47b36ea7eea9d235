"""Product attributes, their options and the attribute sets that hold them.

A new store has the system attributes a product form shows, ``color`` and
``manufacturer`` (selects without options) and the ``Default`` attribute set (id 4) holding
them. An attribute created through the API belongs to no set until it is assigned to one:
a product keeps values only of the attributes its own set holds, as Magento saves a
product's attribute values by its set.
"""

from __future__ import annotations

import re
from typing import Any

from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import (
    Attribute,
    AttributeGroup,
    AttributeOption,
    AttributeSet,
)

DEFAULT_SET = 4
PRODUCT_DETAILS = 7
CODE_MAX = 60
INPUTS = {
    "text": "varchar",
    "textarea": "text",
    "select": "int",
    "multiselect": "varchar",
    "boolean": "int",
    "price": "decimal",
    "date": "datetime",
    "weight": "decimal",
}
ATTRIBUTE_MISSING = (
    'The attribute with a "%1" attributeCode doesn\'t exist. Verify the attribute and try again.'
)
CODE_INVALID = (
    'Attribute code "%1" is invalid. Please use only letters (a-z or A-Z), numbers (0-9) or '
    "underscore (_) in this field, and the first character should be a letter."
)
CODE_LENGTH = "An attribute code must not be less than %1 and more than %2 characters."
NOT_SAVED = "The attribute can't be saved."
INPUT_INVALID = 'Invalid value of "%value" provided for the %fieldName field.'
NO_OPTIONS = 'The "%1" attribute doesn\'t work with options.'
LABEL_EMPTY = "The attribute option label is empty. Enter the value and try again."
LABEL_TAKEN = 'Admin store attribute option label "%1" is already exists.'
SET_MISSING = (
    'The AttributeSet with a "%1" ID doesn\'t exist. Verify the attributeSet and try again.'
)
GROUP_MISSING = 'The group with the "%1" ID doesn\'t exist. Verify the ID and try again.'
GROUP_ELSEWHERE = "The attribute group doesn't belong to the attribute set."
_CODE = re.compile(r"^[a-zA-Z]+[a-zA-Z0-9_]*$")
# (id, code, label, input, user defined) of a new store's catalog attributes.
SYSTEM = (
    (73, "name", "Product Name", "text", False),
    (74, "sku", "SKU", "text", False),
    (77, "price", "Price", "price", False),
    (82, "weight", "Weight", "weight", False),
    (83, "manufacturer", "Manufacturer", "select", True),
    (93, "color", "Color", "select", True),
    (97, "status", "Enable Product", "boolean", False),
    (99, "visibility", "Visibility", "select", False),
)
GROUPS = (
    (7, "Product Details"),
    (8, "Advanced Pricing"),
    (9, "Search Engine Optimization"),
    (10, "Images"),
    (11, "Design"),
    (13, "Content"),
)


def seeded() -> tuple[dict[str, Attribute], dict[int, AttributeSet]]:
    found = {
        code: Attribute(
            attribute_id=i,
            attribute_code=code,
            label=label,
            frontend_input=kind,
            backend_type=INPUTS[kind],
            is_user_defined=user,
            is_required=code in ("name", "sku", "price"),
        )
        for i, code, label, kind, user in SYSTEM
    }
    default = AttributeSet(
        DEFAULT_SET,
        "Default",
        [AttributeGroup(g, name, DEFAULT_SET) for g, name in GROUPS],
        dict.fromkeys(found, PRODUCT_DETAILS),
    )
    return found, {DEFAULT_SET: default}


def get(attributes: dict[str, Attribute], code: str) -> Attribute:
    found = attributes.get(code)
    if found is None:
        raise NoSuchEntity(ATTRIBUTE_MISSING, [code])
    return found


def create(attributes: dict[str, Attribute], data: dict[str, Any], next_id: int) -> Attribute:
    """``POST /V1/products/attributes``: a new attribute, its label for the admin store
    required, its code made from the label when none is given."""
    labels = {
        int(x.get("store_id") or 0): str(x.get("label") or "")
        for x in data.get("frontend_labels") or []
    }
    label = str(data.get("default_frontend_label") or labels.get(0) or "")
    if not label:
        raise MagentoError(
            '"%fieldName" is required. Enter and try again.', {"fieldName": "frontend_label"}
        )
    code = str(data.get("attribute_code") or _code_of(label))
    if not 1 <= len(code) <= CODE_MAX:
        raise MagentoError(CODE_LENGTH, [1, CODE_MAX])
    if not _CODE.match(code):
        raise MagentoError(CODE_INVALID, [code])
    kind = str(data.get("frontend_input") or "")
    if kind not in INPUTS:
        raise MagentoError(INPUT_INVALID, {"value": kind, "fieldName": "frontend_input"})
    if code in attributes:
        raise MagentoError(NOT_SAVED)
    made = Attribute(
        attribute_id=next_id,
        attribute_code=code,
        label=label,
        frontend_input=kind,
        backend_type=INPUTS[kind],
        scope=str(data.get("scope") or "store"),
        is_required=bool(data.get("is_required")),
    )
    attributes[code] = made
    return made


def add_option(attribute: Attribute, data: dict[str, Any], next_id: int) -> AttributeOption:
    if attribute.frontend_input not in ("select", "multiselect"):
        raise MagentoError(NO_OPTIONS, [attribute.attribute_code])
    label = str(data.get("label") or "").strip()
    if not label:
        raise MagentoError(LABEL_EMPTY)
    if option_by_label(attribute, label) is not None:
        raise MagentoError(LABEL_TAKEN, [data.get("label")])
    option = AttributeOption(next_id, label, int(data.get("sort_order") or 0))
    attribute.options.append(option)
    return option


def option_by_label(attribute: Attribute, label: str) -> AttributeOption | None:
    # Labels compare as MySQL's case-insensitive collation compares them.
    return next((o for o in attribute.options if o.label.lower() == label.lower()), None)


def assign(sets: dict[int, AttributeSet], attribute: Attribute, set_id: int, group_id: int) -> None:
    found = sets.get(set_id)
    if found is None:
        raise NoSuchEntity(SET_MISSING, [set_id])
    groups = [g for s in sets.values() for g in s.groups if g.attribute_group_id == group_id]
    if not groups:
        raise NoSuchEntity(GROUP_MISSING, [group_id])
    if groups[0].attribute_set_id != set_id:
        raise MagentoError(GROUP_ELSEWHERE)
    found.attributes[attribute.attribute_code] = group_id


def in_set(sets: dict[int, AttributeSet], set_id: int) -> dict[str, int]:
    found = sets.get(set_id)
    if found is None:
        raise NoSuchEntity(
            "No such entity with %fieldName = %fieldValue",
            {"fieldName": "attributeSetId", "fieldValue": set_id},
        )
    return found.attributes


def _code_of(label: str) -> str:
    """Magento's code for a label: latin letters and digits, the rest as underscores."""
    code = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:CODE_MAX]
    return code if code[:1].isalpha() else f"attr_{code}"[:CODE_MAX]
