"""Process settings from the environment, read once by the composition root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BODY_BYTES = 1_048_576
HOME_MODE = 0o700


@dataclass(frozen=True)
class Settings:
    """``secret_key`` seals connection secrets; it is never printed (see ``__repr__``)."""

    home: Path
    database_url: str
    public_url: str | None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    secret_key: str | None = None
    sync_lease_seconds: float = 30.0
    sync_poll_seconds: float = 60.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("TILLFLOW_HOME", ".tillflow")).resolve()
        url = env.get("TILLFLOW_DATABASE_URL") or f"sqlite:///{home / 'tillflow.db'}"
        return cls(
            home=home,
            database_url=url,
            public_url=env.get("TILLFLOW_PUBLIC_URL"),
            max_body_bytes=int(env.get("TILLFLOW_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
            secret_key=env.get("TILLFLOW_SECRET_KEY") or None,
            sync_lease_seconds=float(env.get("TILLFLOW_SYNC_LEASE_SECONDS", 30.0)),
            sync_poll_seconds=float(env.get("TILLFLOW_SYNC_POLL_SECONDS", 60.0)),
        )

    def ensure_home(self) -> None:
        """The home folder, open to its owner only: it holds the database and the key."""
        if self.database_url.startswith("sqlite"):
            self.home.mkdir(mode=HOME_MODE, parents=True, exist_ok=True)
            self.home.chmod(HOME_MODE)

    def __repr__(self) -> str:
        return (f"Settings(home={self.home!s}, database_url=<hidden>, "
                f"public_url={self.public_url!r})")
