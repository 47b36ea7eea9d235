"""The status of asynchronous and bulk requests."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints
from tillflow_simulators.magento.errors import NoSuchEntity
from tillflow_simulators.magento.model import Bulk


def _bulk(call: Call) -> Bulk:
    bulk = call.store.bulks.get(str(call.args["bulkUuid"]))
    if bulk is None:
        raise NoSuchEntity("Bulk uuid %bulkUuid not exist", {"bulkUuid": call.args["bulkUuid"]})
    return bulk


def _summary(bulk: Bulk, operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "operations_list": operations,
        "user_type": bulk.user_type,
        "bulk_id": bulk.bulk_uuid,
        "description": bulk.description,
        "start_time": bulk.start_time,
        "user_id": bulk.user_id,
        "operation_count": len(bulk.operations),
    }


def status(call: Call) -> Any:
    bulk = _bulk(call)
    return _summary(
        bulk,
        [
            {
                "id": o.id,
                "status": o.status,
                "result_message": o.result_message,
                "error_code": o.error_code,
            }
            for o in bulk.operations
        ],
    )


def detailed_status(call: Call) -> Any:
    bulk = _bulk(call)
    return _summary(
        bulk,
        [
            {
                "id": o.id,
                "bulk_uuid": bulk.bulk_uuid,
                "topic_name": o.topic_name,
                "serialized_data": o.serialized_data,
                "result_serialized_data": None,
                "status": o.status,
                "result_message": o.result_message,
                "error_code": o.error_code,
            }
            for o in bulk.operations
        ],
    )


def count_by_status(call: Call) -> Any:
    wanted = int(call.args["status"])
    return sum(1 for o in _bulk(call).operations if o.status == wanted)


ENDPOINTS: Endpoints = {
    ("GET", "/V1/bulk/:bulkUuid/status"): Endpoint(status),
    ("GET", "/V1/bulk/:bulkUuid/detailed-status"): Endpoint(detailed_status),
    ("GET", "/V1/bulk/:bulkUuid/operation-status/:status"): Endpoint(count_by_status),
}
