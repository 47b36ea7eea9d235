"""Back-office sessions: a browser signed in by a member's password or an API token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, insert, or_, select, update

from tillflow.db.tables import api_tokens
from tillflow.db.tables_staff import office_sessions, staff_members
from tillflow.ports.records import OfficeSession


class OfficeSessionRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, *, token_hash: str, staff_id: int | None, api_token_id: int | None,
            now: datetime, expires_at: datetime) -> None:
        self._connection.execute(insert(office_sessions).values(
            token_hash=token_hash, staff_id=staff_id, api_token_id=api_token_id,
            created_at=now, expires_at=expires_at))

    def live(self, token_hash: str, *, now: datetime) -> OfficeSession | None:
        session, member, token = office_sessions.c, staff_members.c, api_tokens.c
        row = self._connection.execute(
            select(session.expires_at, session.staff_id, member.name.label("member"),
                   member.role.label("member_role"), token.name.label("token"),
                   token.role.label("token_role"))
            .select_from(office_sessions
                         .outerjoin(staff_members, member.id == session.staff_id)
                         .outerjoin(api_tokens, token.id == session.api_token_id))
            .where(session.token_hash == token_hash, session.ended_at.is_(None),
                   session.expires_at > now,
                   or_(and_(session.staff_id.is_not(None), member.active.is_(True)),
                       and_(session.api_token_id.is_not(None), token.revoked_at.is_(None),
                            or_(token.expires_at.is_(None), token.expires_at > now))))
        ).first()
        if row is None:
            return None
        if row.staff_id is not None:
            return OfficeSession(name=row.member, role=row.member_role, staff=True,
                                 expires_at=row.expires_at)
        return OfficeSession(name=row.token, role=row.token_role, staff=False,
                             expires_at=row.expires_at)

    def end(self, token_hash: str, *, now: datetime, reason: str) -> bool:
        ended = self._connection.execute(
            update(office_sessions)
            .where(office_sessions.c.token_hash == token_hash,
                   office_sessions.c.ended_at.is_(None))
            .values(ended_at=now, ended_reason=reason))
        return ended.rowcount > 0

    def end_of_staff(self, staff_id: int, *, now: datetime, reason: str) -> int:
        return int(self._connection.execute(
            update(office_sessions)
            .where(office_sessions.c.staff_id == staff_id, office_sessions.c.ended_at.is_(None),
                   office_sessions.c.expires_at > now)
            .values(ended_at=now, ended_reason=reason)).rowcount)
