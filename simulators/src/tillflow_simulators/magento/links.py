"""What saving a configurable product's links checks, whichever route saves them."""

from __future__ import annotations

from tillflow_simulators.magento.errors import MagentoError
from tillflow_simulators.magento.model import Attribute, Product
from tillflow_simulators.magento.store import MagentoStore

SAME_VALUES = 'Products "%1" and "%2" have the same set of attribute values.'
NO_ATTRIBUTE_VALUE = 'Product with id "%1" does not contain required attribute "%2".'


def check_links(store: MagentoStore, parent: Product, linked: list[Product]) -> None:
    """What saving a configurable product's links checks: each child has a value of every
    configurable attribute, and no two children have the same values."""
    codes = [
        a.attribute_code
        for a in (attribute_by_id(store, o.attribute_id) for o in parent.super_attributes.values())
        if a
    ]
    seen: dict[tuple[str, ...], int] = {}
    for child in linked:
        values = tuple(str(child.custom_attributes.get(code) or "") for code in codes)
        if not all(values):
            missing = codes[values.index("")]
            raise MagentoError(NO_ATTRIBUTE_VALUE, [child.id, missing])
        if values in seen:
            raise MagentoError(SAME_VALUES, [child.id, seen[values]])
        seen[values] = child.id


def attribute_by_id(store: MagentoStore, attribute_id: int) -> Attribute | None:
    return next((a for a in store.attributes.values() if a.attribute_id == attribute_id), None)
