"""Locations (stores, warehouses) and the registers that stand in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select

from tillflow.db.tables import locations, registers


@dataclass(frozen=True)
class Location:
    id: int
    code: str
    name: str
    kind: str
    allow_negative_stock: bool


@dataclass(frozen=True)
class Register:
    id: int
    code: str
    location_id: int
    location_code: str


_LOCATION_BY_CODE = select(locations).where(locations.c.code == bindparam("code"))
_REGISTER_BY_CODE = (
    select(registers.c.id, registers.c.code, registers.c.location_id,
           locations.c.code.label("location_code"))
    .join(locations, locations.c.id == registers.c.location_id)
    .where(registers.c.code == bindparam("code"))
)


class LocationRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, code: str) -> Location | None:
        row = self._connection.execute(_LOCATION_BY_CODE, {"code": code}).first()
        return _location(row) if row else None

    def get_by_id(self, location_id: int) -> Location:
        row = self._connection.execute(
            select(locations).where(locations.c.id == location_id)
        ).one()
        return _location(row)

    def all(self) -> list[Location]:
        rows = self._connection.execute(select(locations).order_by(locations.c.code)).all()
        return [_location(r) for r in rows]

    def add(self, *, code: str, name: str, kind: str, allow_negative_stock: bool,
            now: datetime) -> Location:
        location_id = self._connection.execute(
            insert(locations).values(code=code, name=name, kind=kind,
                                     allow_negative_stock=allow_negative_stock, created_at=now)
            .returning(locations.c.id)
        ).scalar_one()
        return Location(id=location_id, code=code, name=name, kind=kind,
                        allow_negative_stock=allow_negative_stock)


class RegisterRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, code: str) -> Register | None:
        row = self._connection.execute(_REGISTER_BY_CODE, {"code": code}).first()
        if row is None:
            return None
        return Register(id=row.id, code=row.code, location_id=row.location_id,
                        location_code=row.location_code)

    def get_by_id(self, register_id: int) -> Register:
        row = self._connection.execute(
            select(registers.c.code).where(registers.c.id == register_id)
        ).one()
        register = self.get(row.code)
        assert register is not None
        return register

    def add(self, *, code: str, location: Location, now: datetime) -> Register:
        register_id = self._connection.execute(
            insert(registers).values(code=code, location_id=location.id, created_at=now)
            .returning(registers.c.id)
        ).scalar_one()
        return Register(id=register_id, code=code, location_id=location.id,
                        location_code=location.code)


def _location(row: object) -> Location:
    return Location(
        id=row.id, code=row.code, name=row.name, kind=row.kind,  # type: ignore[attr-defined]
        allow_negative_stock=row.allow_negative_stock,  # type: ignore[attr-defined]
    )
