"""The store's chart of account mappings: which account each posting role goes to.

Roles are ``revenue``, ``tax``, ``tender``, ``cash_transfer``, ``over_short``, ``cogs``,
``inventory`` and ``card_fees`` (what the card gateway kept of a payment, an expense), and
for web orders ``shipping`` (shipping charged), ``fees`` (fees
charged, and refund adjustments) and ``receivable`` (what a buyer who pays later still
owes); a role may be refined by a qualifier after a colon (``revenue:0.08`` for one tax
rate, ``tender:card`` for one tender method). The most specific mapping wins, so a store
maps as coarsely or as finely as its accountant wants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tillflow.domain.errors import InvalidInput

ROLES = ("revenue", "tax", "tender", "cash_transfer", "over_short", "cogs", "inventory",
         "shipping", "fees", "receivable", "card_fees")
INVOICED_ROLES = frozenset({"revenue", "tax", "tender", "shipping", "fees", "receivable"})

DEFAULT_ACCOUNTS: Mapping[str, str] = MappingProxyType({
    "tender:cash": "1000",
    "cash_transfer": "1010",
    "tender": "1100",
    "receivable": "1200",
    "inventory": "1300",
    "tax": "2200",
    "revenue": "4000",
    "shipping": "4100",
    "fees": "4200",
    "cogs": "5000",
    "card_fees": "6100",
    "over_short": "6900",
})


@dataclass(frozen=True)
class Chart:
    accounts: Mapping[str, str] = field(default_factory=lambda: DEFAULT_ACCOUNTS)

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, str]) -> Chart:
        validate_mapping(overrides)
        return cls({**DEFAULT_ACCOUNTS, **overrides})

    def account(self, role: str) -> str:
        """The account of ``role`` (``"revenue:0.08"``), falling back to its base role."""
        if role in self.accounts:
            return self.accounts[role]
        return self.accounts[role.split(":", 1)[0]]


def validate_mapping(mapping: Mapping[str, str]) -> None:
    for role, account in mapping.items():
        if role.split(":", 1)[0] not in ROLES:
            raise InvalidInput(f"unknown posting role {role!r}",
                               details={"field": "accounts", "roles": list(ROLES)})
        if not isinstance(account, str) or not account.strip():
            raise InvalidInput(f"the account of {role!r} must be a non-empty string",
                               details={"field": "accounts"})


def invoiced(role: str) -> bool:
    """Lines an invoice and its payments carry; the rest (COGS) go to an ERP as an entry."""
    return role.split(":", 1)[0] in INVOICED_ROLES
