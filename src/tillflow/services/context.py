"""What every use case needs: the store's records, its configuration and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tillflow.domain.errors import Forbidden
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.ports.persistence import Store, UnitOfWork
from tillflow.ports.records import TokenRecord
from tillflow.ports.registry import ConnectorRegistry
from tillflow.security.secret_box import SecretBox, new_key
from tillflow.services.cache import TtlCache

Clock = Callable[[], datetime]
# A token found good is trusted this long without asking the database again, by each API
# process on its own: a revoked token stops working everywhere within this time.
TOKEN_CACHE_SECONDS = 0.5


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """Who asks: recorded on every document and movement they cause.

    ``register`` is set for a cashier signed in at a register, or whose API token is
    bound to one: they act there only. ``session`` tells a staff member signed in with
    their PIN at a paired register from an API token; ``staff_id`` is that member's id,
    recorded on the sales and returns they make.
    """

    name: str
    role: str
    register: str | None = None
    session: bool = False
    staff_id: int | None = None

    def check_register(self, code: str | None) -> None:
        if self.register is not None and code != self.register:
            raise Forbidden(f"signed in at register {self.register!r}, not {code!r}",
                            details={"register": code, "signed_in_at": self.register})


SYSTEM = Actor(name="system", role="admin")


class ServiceContext:
    def __init__(self, store: Store, config: StoreConfig, *, clock: Clock = utc_now,
                 secret_box: SecretBox | None = None,
                 connectors: ConnectorRegistry | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        # Without a configured key, secrets sealed now can only be read by this process.
        self.secret_box = secret_box or SecretBox(new_key())
        self.connectors = connectors or ConnectorRegistry()
        # API tokens checked in the last seconds: spares a database round trip per request.
        self.token_cache: TtlCache[str, TokenRecord] = TtlCache(ttl=TOKEN_CACHE_SECONDS,
                                                                size=1024)

    @property
    def currency(self) -> Currency:
        return self.config.currency

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        return self.store.unit_of_work(currency=self.config.currency, clock=self.clock,
                                       read_only=read_only)
