"""An ERP connection proved against its ERP: when it is made or changed, and on request.

The connector's probe (``ConnectorSpec.erp_check``) reads from the ERP and writes
nothing. What the user must fix (a refused password, another database's name, a missing
module or right, an ERP too old, books in another currency) refuses the connection: 422
naming the setting, and nothing is stored. An ERP that cannot be reached at all is no
reason to refuse it (ERPs are away at times, and the postings queue for them); the
check on request then reports it as not ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import ErpCheck, ErpUnavailable
from tillflow.ports.registry import ConnectorSpec
from tillflow.services.context import ServiceContext

UNREACHABLE = "reach"


def prove(ctx: ServiceContext, spec: ConnectorSpec, settings: Mapping[str, Any],
          secrets: Mapping[str, str]) -> list[ErpCheck]:
    """The probe's findings; raises ``InvalidInput`` for the first thing to fix."""
    if spec.erp_check is None:
        return []
    try:
        found = spec.erp_check(settings, secrets, currency=ctx.currency.code)
    except ErpUnavailable as exc:
        return [ErpCheck(UNREACHABLE, False, str(exc))]
    return verdict(found)


def verdict(found: list[ErpCheck]) -> list[ErpCheck]:
    """``found``, or ``InvalidInput`` naming the setting of its first failure."""
    for check in found:
        if not check.ok:
            raise InvalidInput(check.detail, details={
                "field": check.field, "check": check.name,
                "checks": [as_json(c) for c in found]})
    return found


def as_json(check: ErpCheck) -> dict[str, Any]:
    return {"name": check.name, "ok": check.ok, "detail": check.detail}
