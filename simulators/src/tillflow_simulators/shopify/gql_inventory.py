"""Inventory levels, named quantities, and the set/adjust mutations with compare-and-set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLError, GraphQLInputObjectType

from tillflow_simulators.shopify.gql_catalog import check_input_size
from tillflow_simulators.shopify.gql_support import (
    Info,
    InputShape,
    Resolver,
    context,
    has_enum_value,
    idempotent,
    lookup,
    record_connection,
    refuse_unmodelled,
    store_of,
    takes,
    user_error,
)
from tillflow_simulators.shopify.model import (
    QUANTITY_NAMES,
    InventoryAdjustmentGroup,
    InventoryChange,
    InventoryItem,
    InventoryLevel,
    Location,
    gid,
)

REASONS = frozenset(
    {
        "correction",
        "cycle_count_available",
        "damaged",
        "movement_canceled",
        "movement_created",
        "movement_received",
        "movement_updated",
        "other",
        "promotion",
        "quality_control",
        "received",
        "reservation_created",
        "reservation_deleted",
        "reservation_updated",
        "restock",
        "safety_stock",
        "shrinkage",
    }
)
SETTABLE_NAMES = frozenset({"available", "on_hand"})
ADJUSTABLE_NAMES = frozenset(
    {"available", "damaged", "incoming", "quality_control", "reserved", "safety_stock"}
)
QUANTITY_LIMIT = 1_000_000_000
CHANGE_FROM_REQUIRED = (
    "changeFromQuantity must be provided for every quantity; pass null explicitly to skip "
    "the compare-and-swap check."
)

NOT_STOCKED = "ITEM_NOT_STOCKED_AT_LOCATION"
SET_ERRORS = "InventorySetQuantitiesUserErrorCode"
ADJUST_ERRORS = "InventoryAdjustQuantitiesUserErrorCode"
HEADER_INPUT = ("name", "reason", "referenceDocumentUri")
SET_INPUT: InputShape = {
    **dict.fromkeys((*HEADER_INPUT, "ignoreCompareQuantity")),
    "quantities": dict.fromkeys(
        ("inventoryItemId", "locationId", "quantity", "changeFromQuantity", "compareQuantity")
    ),
}
ADJUST_INPUT: InputShape = {
    **dict.fromkeys(HEADER_INPUT),
    "changes": dict.fromkeys(
        ("delta", "inventoryItemId", "locationId", "ledgerDocumentUri", "changeFromQuantity")
    ),
}

Errors = list[dict[str, Any]]


def resolve_quantities(level: InventoryLevel, _: Info, names: list[str]) -> Any:
    unknown = [name for name in names if name not in QUANTITY_NAMES]
    if unknown:
        raise GraphQLError(f"Invalid quantity names: {', '.join(unknown)}")
    item_number = level.item.number if level.item else 0
    return [
        {
            "id": f"{gid('InventoryQuantity', level.number)}?inventory_item_id={item_number}"
            f"&name={name}",
            "name": name,
            "quantity": level.quantity(name),
            "updatedAt": level.updated_at,
        }
        for name in names
    ]


@takes("inventoryItemIds", "locationIds", "quantityNames")
def resolve_changes(
    group: InventoryAdjustmentGroup, _: Info, **filters: list[str] | None
) -> list[InventoryChange]:
    items, locations = filters.get("inventoryItemIds"), filters.get("locationIds")
    names = filters.get("quantityNames")
    return [
        change
        for change in group.changes
        if (items is None or change.item.id in items)
        and (locations is None or change.location.id in locations)
        and (names is None or change.name in names)
    ]


def resolve_level(_: Any, info: Info, id: str) -> Any:
    return lookup(store_of(info).levels, id, "InventoryLevel")


def resolve_location_levels(location: Location, info: Info, **args: Any) -> Any:
    store = store_of(info)
    levels = [level for level in store.levels.values() if level.location is location]
    return record_connection(levels, args)


def resolve_location_level(location: Location, info: Info, inventoryItemId: str) -> Any:  # noqa: N803
    item = lookup(store_of(info).items, inventoryItemId, "InventoryItem")
    return item.levels.get(location.number) if item is not None else None


def _header_errors(fields: dict[str, Any], names: frozenset[str], name_code: str) -> Errors:
    errors = []
    if fields["name"] not in names:
        errors.append(
            user_error(
                f"The quantity name must be one of: {', '.join(sorted(names))}.",
                ["input", "name"],
                name_code,
            )
        )
    if fields["reason"] not in REASONS:
        errors.append(
            user_error("The specified reason is invalid.", ["input", "reason"], "INVALID_REASON")
        )
    uri = fields.get("referenceDocumentUri")
    if uri is not None and not urlsplit(uri).scheme:
        errors.append(
            user_error(
                "The specified reference document is invalid.",
                ["input", "referenceDocumentUri"],
                "INVALID_REFERENCE_DOCUMENT",
            )
        )
    return errors


@dataclass(frozen=True)
class Target:
    """Where an entry's quantity is: the item may not be stocked at the location yet."""

    item: InventoryItem
    location: Location

    @property
    def level(self) -> InventoryLevel | None:
        return self.item.levels.get(self.location.number)

    def quantity(self, name: str) -> int:
        level = self.level
        return level.quantity(name) if level else 0


def _find_target(
    info: Info, entry: dict[str, Any], path: list[str], error_enum: str
) -> tuple[Target | None, Errors]:
    store = store_of(info)
    item = lookup(store.items, entry["inventoryItemId"], "InventoryItem")
    if item is None:
        return None, [
            user_error(
                "The specified inventory item could not be found.",
                [*path, "inventoryItemId"],
                "INVALID_INVENTORY_ITEM",
            )
        ]
    location = lookup(store.locations, entry["locationId"], "Location")
    if location is None:
        return None, [
            user_error(
                "The specified location could not be found.",
                [*path, "locationId"],
                "INVALID_LOCATION",
            )
        ]
    target = Target(item, location)
    # Versions whose enum still has the code refuse an item not stocked there; later ones
    # stock it at the location as they set or adjust it.
    if target.level is None and has_enum_value(info, error_enum, NOT_STOCKED):
        return None, [
            user_error(
                "The specified inventory item is not stocked at the location.",
                [*path, "inventoryItemId"],
                NOT_STOCKED,
            )
        ]
    return target, []


def _stale(target: Target, name: str, entry: dict[str, Any], path: list[str]) -> Errors:
    errors = []
    for field, code in (("changeFromQuantity", "CHANGE_FROM_QUANTITY_STALE"),
                        ("compareQuantity", "COMPARE_QUANTITY_STALE")):
        expected = entry.get(field)
        if expected is not None and expected != target.quantity(name):
            errors.append(user_error(
                f"The {field} value does not match persisted value.", [*path, field], code))
    return errors


def _require_change_from(info: Info, entries: list[dict[str, Any]]) -> None:
    if context(info).strict and any("changeFromQuantity" not in entry for entry in entries):
        raise GraphQLError(CHANGE_FROM_REQUIRED, extensions={"code": "BAD_REQUEST"})


def _compare_required(info: Info, input: dict[str, Any]) -> Errors:
    """Before changeFromQuantity, each quantity needed compareQuantity unless ignored."""
    quantity_input = info.schema.get_type("InventoryQuantityInput")
    if (not isinstance(quantity_input, GraphQLInputObjectType)
            or "changeFromQuantity" in quantity_input.fields
            or input.get("ignoreCompareQuantity")):
        return []
    return [
        user_error(
            "The compareQuantity argument must be given to each quantity or ignored using "
            "ignoreCompareQuantity.",
            ["input", "quantities", str(index), "compareQuantity"],
            "COMPARE_QUANTITY_REQUIRED",
        )
        for index, entry in enumerate(input["quantities"])
        if entry.get("compareQuantity") is None
    ]


@idempotent("inventorySetQuantities", mismatch_code="IDEMPOTENCY_KEY_PARAMETER_MISMATCH")
def set_quantities(_: Any, info: Info, input: dict[str, Any]) -> Any:
    refuse_unmodelled(info, "input", input, SET_INPUT)
    entries: list[dict[str, Any]] = input["quantities"]
    check_input_size(entries, "quantities")
    _require_change_from(info, entries)
    store = store_of(info)
    with store.lock:
        errors = _header_errors(input, SETTABLE_NAMES, "INVALID_NAME")
        errors += _compare_required(info, input)
        targets: list[tuple[Target, int]] = []
        seen: set[tuple[str, str]] = set()
        for index, entry in enumerate(entries):
            path = ["input", "quantities", str(index)]
            pair = (entry["inventoryItemId"], entry["locationId"])
            if pair in seen:
                errors.append(
                    user_error(
                        "The combination of inventoryItemId and locationId must be unique.",
                        path,
                        "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                    )
                )
            seen.add(pair)
            errors += _quantity_errors(entry["quantity"], [*path, "quantity"])
            target, found_errors = _find_target(info, entry, path, SET_ERRORS)
            errors += found_errors
            if target is not None and not errors:
                errors += _stale(target, input["name"], entry, path)
                targets.append((target, entry["quantity"]))
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = [
            change
            for target, quantity in targets
            for change in store.move(
                store.stock_at(target.item, target.location),
                input["name"],
                quantity - target.quantity(input["name"]),
                ledger_document_uri=None,
            )
        ]
        group = store.record_adjustment(
            reason=input["reason"],
            reference_document_uri=input.get("referenceDocumentUri"),
            changes=changes,
        )
    return {"inventoryAdjustmentGroup": group, "userErrors": []}


def _quantity_errors(quantity: int, path: list[str]) -> Errors:
    if quantity < 0:
        return [user_error("The quantity can't be negative.", path, "INVALID_QUANTITY_NEGATIVE")]
    if quantity > QUANTITY_LIMIT:
        return [
            user_error(
                "The total quantity can't be higher than 1,000,000,000.",
                path,
                "INVALID_QUANTITY_TOO_HIGH",
            )
        ]
    return []


@idempotent("inventoryAdjustQuantities", mismatch_code="IDEMPOTENCY_KEY_PARAMETER_MISMATCH")
def adjust_quantities(_: Any, info: Info, input: dict[str, Any]) -> Any:
    refuse_unmodelled(info, "input", input, ADJUST_INPUT)
    entries: list[dict[str, Any]] = input["changes"]
    check_input_size(entries, "changes")
    _require_change_from(info, entries)
    store = store_of(info)
    name = input["name"]
    with store.lock:
        errors = _header_errors(input, ADJUSTABLE_NAMES, "INVALID_QUANTITY_NAME")
        targets: list[tuple[Target, dict[str, Any]]] = []
        for index, entry in enumerate(entries):
            path = ["input", "changes", str(index)]
            errors += _ledger_errors(name, entry.get("ledgerDocumentUri"), path)
            target, found_errors = _find_target(info, entry, path, ADJUST_ERRORS)
            errors += found_errors
            if target is not None and not found_errors:
                errors += _stale(target, name, entry, path)
                targets.append((target, entry))
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = [
            change
            for target, entry in targets
            for change in store.move(
                store.stock_at(target.item, target.location), name, entry["delta"],
                ledger_document_uri=entry.get("ledgerDocumentUri"),
            )
        ]
        group = store.record_adjustment(
            reason=input["reason"],
            reference_document_uri=input.get("referenceDocumentUri"),
            changes=changes,
        )
    return {"inventoryAdjustmentGroup": group, "userErrors": []}


def _ledger_errors(name: str, ledger: str | None, path: list[str]) -> Errors:
    if name == "available" and ledger is not None:
        return [
            user_error(
                "A ledger document URI is not allowed when adjusting available.",
                [*path, "ledgerDocumentUri"],
                "INVALID_AVAILABLE_DOCUMENT",
            )
        ]
    if name != "available" and not ledger:
        return [
            user_error(
                "A ledger document URI is required for this quantity name.",
                [*path, "ledgerDocumentUri"],
                "INVALID_QUANTITY_DOCUMENT",
            )
        ]
    return []


RESOLVERS: dict[str, Resolver] = {
    "Query.inventoryLevel": resolve_level,
    "InventoryLevel.quantities": resolve_quantities,
    "InventoryAdjustmentGroup.changes": resolve_changes,
    "Location.inventoryLevels": resolve_location_levels,
    "Location.inventoryLevel": resolve_location_level,
    "Mutation.inventorySetQuantities": set_quantities,
    "Mutation.inventoryAdjustQuantities": adjust_quantities,
}
