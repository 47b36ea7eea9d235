"""What each platform's connector is: its ports, settings and secrets.

A connector declares itself (no probing): the sync engine, payments and ERP posting pick
connections by the ports their platform implements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

COMMERCE = "commerce"
PAYMENTS = "payments"
LEDGER = "ledger"


@dataclass(frozen=True)
class ConnectorSpec:
    platform: str
    ports: frozenset[str]
    required_settings: tuple[str, ...] = ()
    optional_settings: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    optional_secrets: tuple[str, ...] = ()
    description: str = ""
    # Checks the values of the settings (raises InvalidInput); known names are checked
    # for every platform.
    validate_settings: Callable[[Mapping[str, Any]], None] | None = None

    @property
    def known_settings(self) -> frozenset[str]:
        return frozenset(self.required_settings) | frozenset(self.optional_settings)

    @property
    def known_secrets(self) -> frozenset[str]:
        return frozenset(self.required_secrets) | frozenset(self.optional_secrets)


@dataclass
class ConnectorRegistry:
    specs: dict[str, ConnectorSpec] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Iterable[ConnectorSpec]) -> ConnectorRegistry:
        return cls({spec.platform: spec for spec in specs})

    def get(self, platform: str) -> ConnectorSpec | None:
        return self.specs.get(platform)

    @property
    def platforms(self) -> list[str]:
        return sorted(self.specs)
