"""Locations (stores, warehouses) and registers."""

from __future__ import annotations

from tillflow.domain.catalog import validate_code, validate_name
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.ports.persistence import DuplicateRecord
from tillflow.ports.records import Location, Register
from tillflow.services import payloads
from tillflow.services.context import ServiceContext

LOCATION_KINDS = frozenset({"store", "warehouse"})


def create_location(ctx: ServiceContext, *, code: str, name: str, kind: str,
                    allow_negative_stock: bool = False) -> Location:
    validate_code(code, field="code")
    name = validate_name(name)
    if kind not in LOCATION_KINDS:
        raise InvalidInput("kind must be \"store\" or \"warehouse\"", details={"field": "kind"})
    with ctx.uow() as uow:
        if uow.locations.get(code) is not None:
            raise Conflict(f"location {code!r} exists", details={"code": code})
        try:
            location = uow.locations.add(code=code, name=name, kind=kind,
                                         allow_negative_stock=allow_negative_stock, now=uow.now)
        except DuplicateRecord:
            raise Conflict(f"location {code!r} exists", details={"code": code}) from None
        uow.emit("location.created", payloads.location(location))
        uow.commit()
    return location


def list_locations(ctx: ServiceContext) -> list[Location]:
    with ctx.uow(read_only=True) as uow:
        return uow.locations.all()


def list_registers(ctx: ServiceContext) -> list[Register]:
    with ctx.uow(read_only=True) as uow:
        return uow.registers.all()


def create_register(ctx: ServiceContext, *, code: str, location_code: str) -> Register:
    validate_code(code, field="code")
    with ctx.uow() as uow:
        location = uow.locations.get(location_code)
        if location is None:
            raise InvalidInput(f"unknown location {location_code!r}",
                               details={"field": "location"})
        if uow.registers.get(code) is not None:
            raise Conflict(f"register {code!r} exists", details={"code": code})
        try:
            register = uow.registers.add(code=code, location=location, now=uow.now)
        except DuplicateRecord:
            raise Conflict(f"register {code!r} exists", details={"code": code}) from None
        uow.emit("register.created", {"code": code, "location": location.code})
        uow.commit()
    return register


def get_register(ctx: ServiceContext, code: str) -> Register:
    with ctx.uow(read_only=True) as uow:
        register = uow.registers.get(code)
    if register is None:
        raise NotFound(f"no register {code!r}", details={"code": code})
    return register
