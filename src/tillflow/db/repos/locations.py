"""Locations (stores, warehouses) and the registers that stand in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, insert, select

from tillflow.db.tables import locations, registers, shifts
from tillflow.ports.records import Location, Register

_LOCATION_BY_CODE = select(locations).where(locations.c.code == bindparam("code"))
_REGISTER_BY_CODE = (
    select(registers.c.id, registers.c.code, registers.c.location_id,
           locations.c.code.label("location_code"))
    .join(locations, locations.c.id == registers.c.location_id)
    .where(registers.c.code == bindparam("code"))
)


# A till's register, its store and its open shift in one round trip (share-locking the
# shift on PostgreSQL so that closing it waits for the sale); no row if no shift is open.
_TILL = (
    select(registers.c.id.label("register_id"), registers.c.code.label("register_code"),
           locations.c.id, locations.c.code, locations.c.name, locations.c.kind,
           locations.c.allow_negative_stock, shifts.c.id.label("shift_id"))
    .join(locations, locations.c.id == registers.c.location_id)
    .join(shifts, and_(shifts.c.register_id == registers.c.id, shifts.c.status == "open"))
    .where(registers.c.code == bindparam("code"))
    .with_for_update(read=True, of=shifts)
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

    def till(self, code: str) -> tuple[Register, Location, str] | None:
        """The register with its location and open shift, or None (unknown or no shift)."""
        row = self._connection.execute(_TILL, {"code": code}).first()
        if row is None:
            return None
        location = _location(row)
        register = Register(id=row.register_id, code=row.register_code, location_id=location.id,
                            location_code=location.code)
        return register, location, row.shift_id

    def get_by_id(self, register_id: int) -> Register:
        row = self._connection.execute(
            select(registers.c.code).where(registers.c.id == register_id)
        ).one()
        register = self.get(row.code)
        assert register is not None
        return register

    def all(self) -> list[Register]:
        rows = self._connection.execute(
            select(registers.c.code).order_by(registers.c.code)).scalars().all()
        found = [self.get(code) for code in rows]
        return [r for r in found if r is not None]

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
