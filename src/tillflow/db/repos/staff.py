"""Staff members, register pairings, cashier sessions and manager approvals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, case, insert, literal, or_, select, update

from tillflow.db.tables import registers
from tillflow.db.tables_staff import (
    register_pairings,
    staff_approvals,
    staff_members,
    staff_sessions,
)
from tillflow.db.types import UtcDateTime
from tillflow.ports.records import Approval, Session, StaffInfo, StaffMember


class StaffRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, *, name: str, role: str, pin_hash: str, now: datetime) -> int:
        return int(self._connection.execute(
            insert(staff_members).values(name=name, role=role, pin_hash=pin_hash,
                                         failed_attempts=0, active=True, created_at=now)
            .returning(staff_members.c.id)
        ).scalar_one())

    def get(self, name: str) -> StaffMember | None:
        row = self._connection.execute(
            select(staff_members).where(staff_members.c.name == name)
        ).first()
        if row is None:
            return None
        return StaffMember(row.id, row.name, row.role, row.pin_hash, row.failed_attempts,
                           row.locked_until, row.active, row.password_hash)

    def active(self) -> list[tuple[str, str]]:
        rows = self._connection.execute(
            select(staff_members.c.name, staff_members.c.role)
            .where(staff_members.c.active.is_(True)).order_by(staff_members.c.name)
        )
        return [(r.name, r.role) for r in rows]

    def all(self) -> list[StaffInfo]:
        rows = self._connection.execute(select(staff_members).order_by(staff_members.c.name))
        return [StaffInfo(name=r.name, role=r.role, active=r.active,
                          locked_until=r.locked_until, created_at=r.created_at, id=r.id)
                for r in rows]

    def claim_attempt(self, staff_id: int, *, now: datetime, max_attempts: int,
                      lockout_until: datetime) -> int | None:
        members = staff_members.c
        lock_over = and_(members.locked_until.is_not(None), members.locked_until <= now)
        # Every SET expression reads the row as it was, so both name the same count.
        attempts = case((lock_over, 1), else_=members.failed_attempts + 1)
        counted = self._connection.execute(
            update(staff_members)
            .where(members.id == staff_id, members.active.is_(True),
                   or_(members.locked_until.is_(None), members.locked_until <= now))
            .values(failed_attempts=attempts,
                    locked_until=case((attempts >= max_attempts,
                                       literal(lockout_until, UtcDateTime())), else_=None))
            .returning(members.failed_attempts)
        ).scalar_one_or_none()
        return None if counted is None else int(counted)

    def set_active(self, staff_id: int, *, active: bool) -> None:
        self._connection.execute(
            update(staff_members).where(staff_members.c.id == staff_id).values(active=active))

    def set_role(self, staff_id: int, *, role: str) -> None:
        self._connection.execute(
            update(staff_members).where(staff_members.c.id == staff_id).values(role=role))

    def set_password(self, staff_id: int, *, password_hash: str) -> None:
        self._connection.execute(
            update(staff_members).where(staff_members.c.id == staff_id)
            .values(password_hash=password_hash))

    def set_pin(self, staff_id: int, *, pin_hash: str) -> None:
        self._connection.execute(
            update(staff_members).where(staff_members.c.id == staff_id)
            .values(pin_hash=pin_hash, failed_attempts=0, locked_until=None))

    def end_sessions_of(self, staff_id: int, *, now: datetime, reason: str) -> int:
        return int(self._connection.execute(
            update(staff_sessions).where(staff_sessions.c.staff_id == staff_id,
                                         staff_sessions.c.ended_at.is_(None))
            .values(ended_at=now, ended_reason=reason)
        ).rowcount)

    def clear_failures(self, staff_id: int) -> None:
        self._connection.execute(
            update(staff_members).where(staff_members.c.id == staff_id)
            .values(failed_attempts=0, locked_until=None)
        )

    def add_pairing(self, *, register_id: int, token_hash: str, now: datetime) -> None:
        self._connection.execute(insert(register_pairings).values(
            register_id=register_id, token_hash=token_hash, created_at=now))

    def paired_register(self, token_hash: str) -> str | None:
        code: str | None = self._connection.execute(
            select(registers.c.code)
            .join(register_pairings, register_pairings.c.register_id == registers.c.id)
            .where(register_pairings.c.token_hash == token_hash,
                   register_pairings.c.revoked_at.is_(None))
        ).scalar_one_or_none()
        return code

    def add_session(self, *, token_hash: str, staff_id: int, register_id: int, now: datetime,
                    expires_at: datetime) -> None:
        self._connection.execute(insert(staff_sessions).values(
            token_hash=token_hash, staff_id=staff_id, register_id=register_id, created_at=now,
            expires_at=expires_at))

    def live_session(self, token_hash: str, *, now: datetime) -> Session | None:
        row = self._connection.execute(
            select(staff_sessions.c.staff_id, staff_members.c.name, staff_members.c.role,
                   staff_sessions.c.register_id, staff_sessions.c.expires_at,
                   registers.c.code)
            .join(staff_members, staff_members.c.id == staff_sessions.c.staff_id)
            .join(registers, registers.c.id == staff_sessions.c.register_id)
            .where(staff_sessions.c.token_hash == token_hash,
                   staff_sessions.c.ended_at.is_(None), staff_sessions.c.expires_at > now,
                   staff_members.c.active.is_(True))
        ).first()
        if row is None:
            return None
        return Session(row.staff_id, row.name, row.role, row.register_id, row.expires_at,
                       row.code)

    def end_session(self, token_hash: str, *, now: datetime) -> None:
        self._connection.execute(
            update(staff_sessions).where(staff_sessions.c.token_hash == token_hash,
                                         staff_sessions.c.ended_at.is_(None))
            .values(ended_at=now, ended_reason="signed_out")
        )

    def ended_reason(self, token_hash: str) -> str | None:
        reason: str | None = self._connection.execute(
            select(staff_sessions.c.ended_reason)
            .where(staff_sessions.c.token_hash == token_hash)
        ).scalar_one_or_none()
        return reason

    def unpair(self, register_id: int, *, now: datetime) -> tuple[int, int]:
        """Revoke the register's pairings and end its sessions: (pairings, sessions)."""
        pairings = self._connection.execute(
            update(register_pairings).where(register_pairings.c.register_id == register_id,
                                            register_pairings.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        sessions = self._connection.execute(
            update(staff_sessions).where(staff_sessions.c.register_id == register_id,
                                         staff_sessions.c.ended_at.is_(None))
            .values(ended_at=now, ended_reason="unpaired")
        ).rowcount
        return pairings, sessions

    def add_approval(self, *, token_hash: str, action: str, approved_by: str,
                     requested_by: str, register_id: int | None, now: datetime,
                     expires_at: datetime) -> None:
        self._connection.execute(insert(staff_approvals).values(
            token_hash=token_hash, action=action, approved_by=approved_by,
            requested_by=requested_by, register_id=register_id, created_at=now,
            expires_at=expires_at))

    def approval(self, token_hash: str) -> Approval | None:
        """The approval, locked until the transaction ends (it is used at most once)."""
        row = self._connection.execute(
            select(staff_approvals).where(staff_approvals.c.token_hash == token_hash)
            .with_for_update()
        ).first()
        if row is None:
            return None
        return Approval(row.id, row.action, row.approved_by, row.register_id, row.expires_at,
                        row.used_at, row.used_key)

    def use_approval(self, approval_id: int, *, now: datetime, key: str | None) -> None:
        self._connection.execute(
            update(staff_approvals).where(staff_approvals.c.id == approval_id)
            .values(used_at=now, used_key=key)
        )
