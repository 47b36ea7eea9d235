"""Checking a staff member's PIN: each attempt counted before the PIN is looked at, so
the lockout holds however many attempts arrive at once, and failures rate-limited.

An attempt is claimed by one conditional UPDATE in a transaction of its own (``claim``):
the fifth in a row locks the member for ``LOCKOUT``, and an attempt on a locked member
is refused without checking its PIN. Only then is the PIN hashed and compared; a right
one clears the count. A failure counts against the client's address (and a wrong PIN
against the member too): past ``rate_limits``' limits it answers ``429``.
"""

from __future__ import annotations

from datetime import timedelta

from tillflow.domain.errors import Forbidden
from tillflow.ports.records import StaffMember
from tillflow.security.pins import verify_pin
from tillflow.services import rate_limits, staff_names
from tillflow.services.context import ServiceContext

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)


class WrongPin(Forbidden):
    code = "wrong_pin"


class PinLocked(Forbidden):
    code = "pin_locked"


def check_pin(ctx: ServiceContext, *, name: str, pin: str,
              client: str | None) -> StaffMember:
    """The active member whose PIN this is; every refusal is counted before it is raised."""
    address = (rate_limits.address(client), rate_limits.PER_ADDRESS)
    with ctx.uow() as uow:
        member = staff_names.member_named(uow, name)
        attempts = None
        if member is not None and member.active:
            attempts = uow.staff.claim_attempt(member.id, now=uow.now,
                                               max_attempts=MAX_FAILED_ATTEMPTS,
                                               lockout_until=uow.now + LOCKOUT)
            uow.commit()
    if member is None or not member.active:
        rate_limits.failed(ctx, address)
        raise WrongPin("unknown staff member or wrong PIN")
    if attempts is None:
        rate_limits.failed(ctx, address)
        wait = _wait(ctx, member)
        raise PinLocked(f"too many wrong PINs; try again in {wait} s",
                        details={"retry_after_seconds": wait})
    if verify_pin(pin, member.pin_hash):
        # The attempt was counted before the check: a right PIN takes the count back.
        _clear(ctx, member)
        return member
    rate_limits.failed(ctx, address,
                       (rate_limits.staff_member(member.name), rate_limits.PER_STAFF))
    if attempts >= MAX_FAILED_ATTEMPTS:
        seconds = int(LOCKOUT.total_seconds())
        raise PinLocked(f"too many wrong PINs; {member.name} is locked for {seconds} s",
                        details={"retry_after_seconds": seconds})
    raise WrongPin("unknown staff member or wrong PIN",
                   details={"attempts_left": MAX_FAILED_ATTEMPTS - attempts})


def _clear(ctx: ServiceContext, member: StaffMember) -> None:
    with ctx.uow() as uow:
        uow.staff.clear_failures(member.id)
        uow.commit()


def _wait(ctx: ServiceContext, member: StaffMember) -> int:
    with ctx.uow(read_only=True) as uow:
        current = uow.staff.get(member.name)
        now = uow.now
    if current is None or current.locked_until is None:
        return 1
    return max(1, int((current.locked_until - now).total_seconds()) + 1)
