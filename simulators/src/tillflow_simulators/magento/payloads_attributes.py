"""The JSON a store answers with for product attributes, attribute groups and the
configurable attributes of a product."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento.model import (
    Attribute,
    AttributeGroup,
    AttributeOption,
    ConfigurableOption,
)

PRODUCT_ENTITY_TYPE = "4"


def attribute(item: Attribute) -> dict[str, Any]:
    body: dict[str, Any] = {
        "attribute_id": item.attribute_id,
        "attribute_code": item.attribute_code,
        "frontend_input": item.frontend_input,
        "entity_type_id": PRODUCT_ENTITY_TYPE,
        "is_required": item.is_required,
        "is_user_defined": item.is_user_defined,
        "default_frontend_label": item.label,
        "frontend_labels": [],
        "backend_type": item.backend_type,
        "scope": item.scope,
        "is_unique": "0",
        "is_visible": True,
        "is_searchable": "0",
        "is_filterable": False,
        "is_comparable": "0",
        "is_visible_on_front": "0",
        "used_in_product_listing": "0",
        "apply_to": [],
        "validation_rules": [],
    }
    if item.frontend_input in ("select", "multiselect"):
        body["options"] = options(item)
    return body


def options(item: Attribute) -> list[dict[str, Any]]:
    """A select's options, led by the empty choice Magento lists first."""
    return [{"label": " ", "value": ""}, *(option(o) for o in item.options)]


def option(item: AttributeOption) -> dict[str, Any]:
    return {"label": item.label, "value": str(item.option_id)}


def group(item: AttributeGroup) -> dict[str, Any]:
    return {
        "attribute_group_id": str(item.attribute_group_id),
        "attribute_group_name": item.attribute_group_name,
        "attribute_set_id": item.attribute_set_id,
        "extension_attributes": {
            "attribute_group_code": item.attribute_group_name.lower().replace(" ", "-"),
            "sort_order": str(item.attribute_group_id),
        },
    }


def configurable_option(item: ConfigurableOption, product_id: int) -> dict[str, Any]:
    return {
        "id": item.id,
        "attribute_id": str(item.attribute_id),
        "label": item.label,
        "position": item.position,
        "values": [{"value_index": v} for v in item.values],
        "product_id": product_id,
    }
