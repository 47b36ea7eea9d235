"""What each limited role may give without a manager's approval: store settings, changed
by an admin (``PUT /settings/limits``, ``tillflow init --cashier-...``) and audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tillflow.domain.controls import Limits, parse_percent
from tillflow.domain.errors import InvalidInput
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext

# Managers, admins and integrations set prices and discounts freely: they have no limits.
LIMITED_ROLES = ("cashier",)


@dataclass(frozen=True)
class LimitsChange:
    """New figures for one role; one left None keeps its value."""

    discount_percent: object | None = None
    price_override_percent: object | None = None


def get_limits(ctx: ServiceContext) -> dict[str, Limits]:
    with ctx.uow(read_only=True) as uow:
        return uow.limits.read()


def set_limits(ctx: ServiceContext, actor: Actor,
               changes: Mapping[str, LimitsChange]) -> dict[str, Limits]:
    """Change the limits of some roles, all or none."""
    for role in changes:
        if role not in LIMITED_ROLES:
            raise InvalidInput(f"only {', '.join(LIMITED_ROLES)} have limits; managers, admins "
                               "and integrations set prices and discounts freely",
                               details={"field": role})
    with ctx.uow() as uow:
        stored = uow.limits.read()
        for role, change in sorted(changes.items()):
            current = stored.get(role, Limits())
            changed = _changed(role, current, change)
            if changed != current:
                uow.limits.write(role, changed)
                audit.record(uow, actor, "settings.limits_changed", subject=f"role:{role}",
                             before=describe(current), after=describe(changed))
                stored[role] = changed
        uow.commit()
    return stored


def describe(limits: Limits) -> dict[str, str]:
    return {"discount_percent": str(limits.discount_percent),
            "price_override_percent": str(limits.price_override_percent)}


def _changed(role: str, current: Limits, change: LimitsChange) -> Limits:
    discount, price = change.discount_percent, change.price_override_percent
    return Limits(
        discount_percent=current.discount_percent if discount is None else
        parse_percent(discount, field=f"{role}.discount_percent"),
        price_override_percent=current.price_override_percent if price is None else
        parse_percent(price, field=f"{role}.price_override_percent"))
