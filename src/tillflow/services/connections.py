"""Connections to shops, gateways and ERPs: validated settings, sealed secrets.

Secrets are write-only: they are checked against what the platform's connector needs,
sealed with the store's key, and never returned or logged (only their names are).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tillflow.domain.catalog import validate_code
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.ports.accounting import ERP_MASTERS, catalog_master_of
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.ports.records import ConnectionRecord
from tillflow.ports.registry import ConnectorSpec
from tillflow.services import audit, erp_checks
from tillflow.services.catalog_master import Master, erp_master
from tillflow.services.context import SYSTEM, Actor, ServiceContext

MODES = frozenset({"test", "live"})
COMMON_SETTINGS = frozenset({"mode"})


@dataclass(frozen=True)
class ConnectionView:
    name: str
    platform: str
    settings: dict[str, Any]
    secret_names: tuple[str, ...]
    version: int


def create_connection(ctx: ServiceContext, *, name: str, platform: str,
                      settings: Mapping[str, Any], secrets: Mapping[str, Any],
                      by: Actor = SYSTEM) -> ConnectionView:
    validate_code(name, field="name")
    spec = _spec(ctx, platform)
    clean_settings = {**spec.default_settings, **_settings(spec, settings, partial=False)}
    if spec.validate_settings is not None:
        spec.validate_settings(clean_settings)
    clean_secrets = _secrets(spec, secrets, partial=False)
    if spec.validate_secrets is not None:
        spec.validate_secrets(clean_secrets)
    erp_checks.prove(ctx, spec, clean_settings, clean_secrets)
    masters = _masters_catalog(spec, clean_settings)
    try:
        _add(ctx, name, platform, clean_settings, clean_secrets, masters=masters, by=by)
    except DuplicateRecord:
        raise _lost_race(ctx, name, Conflict(f"connection {name!r} exists",
                                             details={"name": name})) from None
    return ConnectionView(name, platform, clean_settings, tuple(sorted(clean_secrets)), 1)


def _add(ctx: ServiceContext, name: str, platform: str, settings: dict[str, Any],
         secrets: dict[str, str], *, masters: bool, by: Actor) -> None:
    with ctx.uow() as uow:
        if uow.connections.get(name) is not None:
            raise Conflict(f"connection {name!r} exists", details={"name": name})
        if masters:
            _check_one_master(ctx, uow, name)
        uow.connections.add(name=name, platform=platform, settings=settings,
                            sealed_secrets=ctx.secret_box.seal(secrets),
                            catalog_master=masters, now=uow.now)
        uow.emit("connection.created", {"name": name, "platform": platform,
                                        "settings": settings})
        audit.record(uow, by, "connection.created", subject=f"connection:{name}",
                     platform=platform, settings=settings, secrets=sorted(secrets))
        uow.commit()


def update_connection(ctx: ServiceContext, name: str, *, settings: Mapping[str, Any] | None,
                      secrets: Mapping[str, Any] | None,
                      by: Actor = SYSTEM) -> ConnectionView:
    """Change settings and rotate secrets; given keys replace, others are kept."""
    try:
        return _update(ctx, name, settings or {}, secrets or {}, by)
    except DuplicateRecord:
        raise _lost_race(ctx, name, Conflict(f"connection {name!r} changed meanwhile; try "
                                             "again", details={"name": name})) from None


def _update(ctx: ServiceContext, name: str, settings: Mapping[str, Any],
            secrets: Mapping[str, Any], by: Actor) -> ConnectionView:
    """An ERP is proved between two transactions, so no write waits on the ERP's answer;
    a change made meanwhile by someone else is a conflict rather than lost."""
    with ctx.uow(read_only=True) as uow:
        record = _record(uow.connections.get(name), name)
    spec = _spec(ctx, record.platform)
    merged_settings = {**record.settings, **_settings(spec, settings, partial=True)}
    if spec.validate_settings is not None:
        spec.validate_settings(merged_settings)
    merged_secrets = {**ctx.secret_box.open(record.sealed_secrets),
                      **_secrets(spec, secrets, partial=True)}
    if spec.validate_secrets is not None:
        spec.validate_secrets(merged_secrets)
    if settings or secrets:
        erp_checks.prove(ctx, spec, merged_settings, merged_secrets)
    with ctx.uow() as uow:
        if _record(uow.connections.get(name), name).version != record.version:
            raise Conflict(f"connection {name!r} changed meanwhile; try again",
                           details={"name": name})
        masters = _masters_catalog(spec, merged_settings)
        if masters:
            _check_one_master(ctx, uow, name)
        uow.connections.update(name=name, settings=merged_settings,
                               sealed_secrets=ctx.secret_box.seal(merged_secrets),
                               catalog_master=masters, now=uow.now)
        uow.emit("connection.updated", {"name": name, "platform": record.platform,
                                        "settings": merged_settings,
                                        "secrets_changed": sorted(secrets)})
        audit.record(uow, by, "connection.updated", subject=f"connection:{name}",
                     platform=record.platform, settings=merged_settings,
                     secrets_changed=sorted(secrets))
        uow.commit()
    return ConnectionView(name, record.platform, merged_settings, tuple(sorted(merged_secrets)),
                          record.version + 1)


def get_connection(ctx: ServiceContext, name: str) -> ConnectionView:
    with ctx.uow(read_only=True) as uow:
        record = _record(uow.connections.get(name), name)
    return _view(ctx, record)


def list_connections(ctx: ServiceContext) -> list[ConnectionView]:
    with ctx.uow(read_only=True) as uow:
        return [_view(ctx, r) for r in uow.connections.all()]


def connection_secrets(ctx: ServiceContext, name: str) -> dict[str, str]:
    """The opened secrets, for a connector about to call its platform. Never log them."""
    with ctx.uow(read_only=True) as uow:
        record = _record(uow.connections.get(name), name)
    return ctx.secret_box.open(record.sealed_secrets)


def _masters_catalog(spec: ConnectorSpec, settings: Mapping[str, Any]) -> bool:
    return spec.syncs_products and catalog_master_of(settings) == ERP_MASTERS


def _check_one_master(ctx: ServiceContext, uow: UnitOfWork, name: str) -> None:
    """One ERP masters the catalog: a second ``catalog: "erp"`` is refused."""
    master = erp_master(ctx, uow)
    if master is not None and master.connection != name:
        raise _master_conflict(master)


def _master_conflict(master: Master) -> Conflict:
    return Conflict(f"connection {master.connection!r} masters the catalog already "
                    f"({master.label}); only one ERP may",
                    details={"field": "settings.catalog", "master": master.label,
                             "connection": master.connection})


def _lost_race(ctx: ServiceContext, name: str, otherwise: Conflict) -> Conflict:
    """What a unique key stopped, read again: a master set up at the same time, or else
    ``otherwise``."""
    with ctx.uow(read_only=True) as uow:
        master = erp_master(ctx, uow)
    if master is not None and master.connection != name:
        return _master_conflict(master)
    return otherwise


def _view(ctx: ServiceContext, record: ConnectionRecord) -> ConnectionView:
    names = tuple(sorted(ctx.secret_box.open(record.sealed_secrets)))
    return ConnectionView(record.name, record.platform, record.settings, names, record.version)


def _record(record: ConnectionRecord | None, name: str) -> ConnectionRecord:
    if record is None:
        raise NotFound(f"no connection {name!r}", details={"name": name})
    return record


def _spec(ctx: ServiceContext, platform: str) -> ConnectorSpec:
    spec = ctx.connectors.get(platform)
    if spec is None:
        raise InvalidInput(
            f"unknown platform {platform!r}; one of: {', '.join(ctx.connectors.platforms)}",
            details={"field": "platform"},
        )
    return spec


def _settings(spec: ConnectorSpec, settings: Mapping[str, Any], *,
              partial: bool) -> dict[str, Any]:
    unknown = sorted(set(settings) - spec.known_settings - COMMON_SETTINGS)
    if unknown:
        raise InvalidInput(f"{spec.platform} has no setting {unknown[0]!r}",
                           details={"field": f"settings.{unknown[0]}"})
    missing = [] if partial else [k for k in spec.required_settings if k not in settings]
    if missing:
        raise InvalidInput(f"{spec.platform} needs the setting {missing[0]!r}",
                           details={"field": f"settings.{missing[0]}"})
    if "mode" in settings and settings["mode"] not in MODES:
        raise InvalidInput("mode must be \"test\" or \"live\"",
                           details={"field": "settings.mode"})
    return dict(settings)


def _secrets(spec: ConnectorSpec, secrets: Mapping[str, Any], *,
             partial: bool) -> dict[str, str]:
    unknown = sorted(set(secrets) - spec.known_secrets)
    if unknown:
        raise InvalidInput(f"{spec.platform} takes no secret {unknown[0]!r}",
                           details={"field": f"secrets.{unknown[0]}"})
    missing = [] if partial else [k for k in spec.required_secrets if not secrets.get(k)]
    if missing:
        raise InvalidInput(f"{spec.platform} needs the secret {missing[0]!r}",
                           details={"field": f"secrets.{missing[0]}"})
    for key, value in secrets.items():
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"secret {key!r} must be a non-empty string",
                               details={"field": f"secrets.{key}"})
    return dict(secrets)
