"""Inventory levels, named quantities, and the set/adjust mutations with compare-and-set."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLError

from tillflow_simulators.shopify.gql_catalog import check_input_size
from tillflow_simulators.shopify.gql_support import (
    Info,
    Resolver,
    context,
    idempotent,
    lookup,
    record_connection,
    store_of,
    user_error,
)
from tillflow_simulators.shopify.model import (
    QUANTITY_NAMES,
    InventoryAdjustmentGroup,
    InventoryChange,
    InventoryLevel,
    Location,
    gid,
)
from tillflow_simulators.shopify.store import ShopStore

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


def resolve_location_level(location: Location, info: Info, **args: Any) -> Any:
    item = lookup(store_of(info).items, args["inventoryItemId"], "InventoryItem")
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


def _find_level(
    store: ShopStore, entry: dict[str, Any], path: list[str]
) -> tuple[InventoryLevel | None, Errors]:
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
    level = item.levels.get(location.number)
    if level is None:
        return None, [
            user_error(
                "The specified inventory item is not stocked at the location.",
                [*path, "inventoryItemId"],
                "ITEM_NOT_STOCKED_AT_LOCATION",
            )
        ]
    return level, []


def _stale(level: InventoryLevel, name: str, entry: dict[str, Any], path: list[str]) -> Errors:
    expected = entry.get("changeFromQuantity")
    if expected is None or expected == level.quantity(name):
        return []
    return [
        user_error(
            "The changeFromQuantity value does not match persisted value.",
            [*path, "changeFromQuantity"],
            "CHANGE_FROM_QUANTITY_STALE",
        )
    ]


def _require_change_from(info: Info, entries: list[dict[str, Any]]) -> None:
    if context(info).strict and any("changeFromQuantity" not in entry for entry in entries):
        raise GraphQLError(CHANGE_FROM_REQUIRED, extensions={"code": "BAD_REQUEST"})


@idempotent("inventorySetQuantities", mismatch_code="IDEMPOTENCY_KEY_PARAMETER_MISMATCH")
def set_quantities(_: Any, info: Info, input: dict[str, Any]) -> Any:
    entries: list[dict[str, Any]] = input["quantities"]
    check_input_size(entries, "quantities")
    _require_change_from(info, entries)
    store = store_of(info)
    with store.lock:
        errors = _header_errors(input, SETTABLE_NAMES, "INVALID_NAME")
        targets: list[tuple[InventoryLevel, int]] = []
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
            level, found_errors = _find_level(store, entry, path)
            errors += found_errors
            if level is not None and not errors:
                errors += _stale(level, input["name"], entry, path)
                targets.append((level, entry["quantity"]))
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = [
            change
            for level, quantity in targets
            for change in store.move(
                level,
                input["name"],
                quantity - level.quantity(input["name"]),
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
    entries: list[dict[str, Any]] = input["changes"]
    check_input_size(entries, "changes")
    _require_change_from(info, entries)
    store = store_of(info)
    name = input["name"]
    with store.lock:
        errors = _header_errors(input, ADJUSTABLE_NAMES, "INVALID_QUANTITY_NAME")
        targets: list[tuple[InventoryLevel, dict[str, Any]]] = []
        for index, entry in enumerate(entries):
            path = ["input", "changes", str(index)]
            errors += _ledger_errors(name, entry.get("ledgerDocumentUri"), path)
            level, found_errors = _find_level(store, entry, path)
            errors += found_errors
            if level is not None and not found_errors:
                errors += _stale(level, name, entry, path)
                targets.append((level, entry))
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = [
            change
            for level, entry in targets
            for change in store.move(
                level, name, entry["delta"], ledger_document_uri=entry.get("ledgerDocumentUri")
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
