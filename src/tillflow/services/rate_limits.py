"""Failed token and PIN checks, counted in the database so every API process sees them.

Only failures count and only failures are refused: a request whose credentials are good
is never limited, so many tills behind one address keep working while someone there
guesses. Past the limit, a failure answers ``429 rate_limited`` with ``Retry-After``
instead of saying whether the guess was close (``wrong_pin``'s attempts left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tillflow.domain.errors import RateLimited
from tillflow.services.context import ServiceContext


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta


# A till's mistyped token or PIN now and then stays well below these.
PER_ADDRESS = Limit(failures=20, window=timedelta(minutes=1))
# Beyond the lockout (five wrong PINs lock a member for five minutes): two lockouts of
# the same member within the quarter hour.
PER_STAFF = Limit(failures=10, window=timedelta(minutes=15))


def address(client: str | None) -> str:
    return f"address:{client or 'unknown'}"


def staff_member(name: str) -> str:
    return f"staff:{name}"


def failed(ctx: ServiceContext, *subjects: tuple[str, Limit]) -> None:
    """Count one failed check against each subject, in a transaction of its own; raise
    ``RateLimited`` if any of them is now over its limit."""
    waits = []
    with ctx.uow() as uow:
        for subject, limit in subjects:
            count, started = uow.auth_failures.count(
                subject, now=uow.now, window_start_after=uow.now - limit.window)
            if count > limit.failures:
                left = started + limit.window - uow.now
                waits.append(max(1, int(left.total_seconds()) + 1))
        uow.commit()
    if waits:
        wait = max(waits)
        raise RateLimited(f"too many failed attempts; try again in {wait} s",
                          retry_after=wait)
