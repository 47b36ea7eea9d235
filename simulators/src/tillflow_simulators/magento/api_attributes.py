"""Product attributes, their options and the attribute sets that hold them."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento import attributes, payloads, payloads_attributes, search
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints

# Ids above those of a new store's attributes and options.
FIRST_ATTRIBUTE_ID = 200
FIRST_OPTION_ID = 10


def list_attributes(call: Call) -> Any:
    rows = [
        payloads_attributes.attribute(a)
        for a in sorted(call.store.attributes.values(), key=lambda a: a.attribute_id)
    ]
    records = [{**row, "frontend_label": row["default_frontend_label"]} for row in rows]
    page, total, criteria = search.search(records, call.arg("searchCriteria"), call.store.settings)
    return payloads.results(
        [{k: v for k, v in r.items() if k != "frontend_label"} for r in page], total, criteria
    )


def get_attribute(call: Call) -> Any:
    return payloads_attributes.attribute(
        attributes.get(call.store.attributes, call.args["attributeCode"])
    )


def create_attribute(call: Call) -> Any:
    made = attributes.create(
        call.store.attributes,
        dict(call.arg("attribute", {})),
        FIRST_ATTRIBUTE_ID + call.store.next_id("attribute"),
    )
    return payloads_attributes.attribute(made)


def attribute_options(call: Call) -> Any:
    return payloads_attributes.options(
        attributes.get(call.store.attributes, call.args["attributeCode"])
    )


def add_attribute_option(call: Call) -> Any:
    found = attributes.get(call.store.attributes, call.args["attributeCode"])
    option = attributes.add_option(
        found,
        dict(call.arg("option", {})),
        FIRST_OPTION_ID + call.store.next_id("attribute-option"),
    )
    return str(option.option_id)


def set_attributes(call: Call) -> Any:
    held = attributes.in_set(call.store.attribute_sets, int(call.args["attributeSetId"]))
    return [
        payloads_attributes.attribute(call.store.attributes[code])
        for code in held
        if code in call.store.attributes
    ]


def groups(call: Call) -> Any:
    rows = [
        payloads_attributes.group(g) for s in call.store.attribute_sets.values() for g in s.groups
    ]
    page, total, criteria = search.search(rows, call.arg("searchCriteria"), call.store.settings)
    return payloads.results(list(page), total, criteria)


def assign(call: Call) -> Any:
    found = attributes.get(call.store.attributes, str(call.args["attributeCode"]))
    attributes.assign(
        call.store.attribute_sets,
        found,
        int(call.args["attributeSetId"]),
        int(call.args["attributeGroupId"]),
    )
    return found.attribute_id


ENDPOINTS: Endpoints = {
    ("GET", "/V1/products/attributes"): Endpoint(list_attributes, criteria_required=True),
    ("POST", "/V1/products/attributes"): Endpoint(create_attribute),
    ("GET", "/V1/products/attributes/:attributeCode"): Endpoint(get_attribute),
    ("GET", "/V1/products/attributes/:attributeCode/options"): Endpoint(attribute_options),
    ("POST", "/V1/products/attributes/:attributeCode/options"): Endpoint(add_attribute_option),
    ("GET", "/V1/products/attribute-sets/:attributeSetId/attributes"): Endpoint(set_attributes),
    ("GET", "/V1/products/attribute-sets/groups/list"): Endpoint(groups, criteria_required=True),
    ("POST", "/V1/products/attribute-sets/attributes"): Endpoint(assign),
}
