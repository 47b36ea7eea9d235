"""Finding a staff member by the name a person typed: ``max``, `` Max `` and ``MAX`` are
Max. Names are compared case-folded in Python, not by the database's ``lower()``, so
SQLite and PostgreSQL agree on every alphabet; a store has tens of members, not more.
"""

from __future__ import annotations

from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import StaffMember


def folded(name: str) -> str:
    """What two names that are the same member's have in common."""
    return name.strip().casefold()


def member_named(uow: UnitOfWork, typed: str) -> StaffMember | None:
    """The member named ``typed`` (exactly, else ignoring case and surrounding spaces)."""
    name = typed.strip()
    exact = uow.staff.get(name)
    if exact is not None:
        return exact
    wanted = folded(name)
    # Names differing only by case are refused when added; one made before that rule
    # matches only exactly, never by a guess between two members.
    matches = [info.name for info in uow.staff.all() if folded(info.name) == wanted]
    return uow.staff.get(matches[0]) if len(matches) == 1 else None


def taken(uow: UnitOfWork, name: str) -> str | None:
    """The name of an existing member that ``name`` would be mistaken for, if any."""
    wanted = folded(name)
    return next((info.name for info in uow.staff.all() if folded(info.name) == wanted), None)
