"""Configurable products: the attributes their children differ by, and the children.

Magento links a simple product to a configurable one only when the parent has its
configurable attributes, the child has a value for each (a value it can hold only if its
own attribute set has the attribute) and no other child has the same values.
"""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento import catalog
from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.links import attribute_by_id, check_links
from tillflow_simulators.magento.model import ConfigurableOption, Product
from tillflow_simulators.magento.store import MagentoStore

CONFIGURABLE = "configurable"
ONLY_CONFIGURABLE = 'This is implemented for the "%1" configurable product only.'
NOT_CONFIGURABLE = 'The product with the "%1" SKU isn\'t a configurable product.'
NO_OPTIONS = "The parent product doesn't have configurable product options."
ATTACHED = "The product is already attached."
NO_VALUE = (
    'The child product doesn\'t have the "%1" attribute value. Verify the value and try again.'
)
OPTION_MISSING = "The option that was requested doesn't exist. Verify the entity and try again."
HAS_OPTION = "Product already has this option"
NO_ATTRIBUTE = "Option attribute ID is not specified."
NO_LABEL = "Option label is not specified."
NO_VALUES = "Option values are not specified."
NO_INDEX = "Value index is not specified for an option."
ATTRIBUTE_ID_MISSING = "No such entity with %fieldName = %fieldValue"


def options(store: MagentoStore, sku: str) -> list[ConfigurableOption]:
    parent = _configurable(store, sku)
    return sorted(parent.super_attributes.values(), key=lambda o: (o.position, o.id))


def save_option(store: MagentoStore, sku: str, data: dict[str, Any]) -> int:
    """``POST /V1/configurable-products/{sku}/options``: a new configurable attribute."""
    parent = _configurable(store, sku)
    errors = [
        message
        for message, missing in (
            (NO_ATTRIBUTE, not data.get("attribute_id")),
            (NO_LABEL, not data.get("label")),
            (NO_VALUES, not data.get("values")),
        )
        if missing
    ]
    errors += [NO_INDEX for v in data.get("values") or [] if v.get("value_index") is None][:1]
    if errors:
        raise (
            MagentoError(errors[0])
            if len(errors) == 1
            else MagentoError(
                "One or more input exceptions have occurred.",
                errors=[MagentoError(e) for e in errors],
            )
        )
    attribute_id = int(data["attribute_id"])
    if attribute_by_id(store, attribute_id) is None:
        raise NoSuchEntity(
            ATTRIBUTE_ID_MISSING, {"fieldName": "attribute_id", "fieldValue": attribute_id}
        )
    if attribute_id in parent.super_attributes:
        raise MagentoError(HAS_OPTION)
    option = ConfigurableOption(
        id=store.next_id("configurable-option"),
        attribute_id=attribute_id,
        label=str(data["label"]),
        position=int(data.get("position") or 0),
        values=[int(v["value_index"]) for v in data["values"]],
    )
    parent.super_attributes[attribute_id] = option
    parent.updated_at = store.now()
    return option.id


def add_child(store: MagentoStore, parent_sku: str, child_sku: str) -> None:
    parent = catalog.get(store, parent_sku)
    child = catalog.get(store, child_sku)
    if child.sku in parent.children:
        raise MagentoError(ATTACHED)
    if parent.type_id != CONFIGURABLE or not parent.super_attributes:
        raise MagentoError(NO_OPTIONS)
    for option in parent.super_attributes.values():
        attribute = attribute_by_id(store, option.attribute_id)
        if attribute is not None and not child.custom_attributes.get(attribute.attribute_code):
            raise MagentoError(NO_VALUE, [attribute.attribute_code])
    check_links(store, parent, [*_linked(store, parent), child])
    parent.children.append(child.sku)
    parent.updated_at = store.now()


def remove_child(store: MagentoStore, parent_sku: str, child_sku: str) -> None:
    parent = catalog.get(store, parent_sku)
    if parent.type_id != CONFIGURABLE:
        raise MagentoError(NOT_CONFIGURABLE, [parent_sku])
    kept = [sku for sku in parent.children if sku.lower() != child_sku.lower()]
    if len(kept) == len(parent.children):
        raise NoSuchEntity(OPTION_MISSING)
    parent.children = kept
    parent.updated_at = store.now()


def children(store: MagentoStore, parent_sku: str) -> list[Product]:
    """A product that is not configurable has none."""
    parent = catalog.get(store, parent_sku)
    return _linked(store, parent) if parent.type_id == CONFIGURABLE else []


def _configurable(store: MagentoStore, sku: str) -> Product:
    product = catalog.get(store, sku)
    if product.type_id != CONFIGURABLE:
        raise MagentoError(ONLY_CONFIGURABLE, [sku])
    return product


def _linked(store: MagentoStore, parent: Product) -> list[Product]:
    return [p for p in (store.product(sku) for sku in parent.children) if p is not None]
