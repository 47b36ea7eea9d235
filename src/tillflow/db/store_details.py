"""The store's own details kept in ``store_settings``: what its receipts print (name,
address, tax id, footer, logo) and its RCN layouts.

Unlike the currency these may change at any time, so writing them replaces the old value.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from tillflow.db.tables import store_settings
from tillflow.domain.barcodes import RcnRule
from tillflow.domain.barcodes.rcn_config import rules_from_json, rules_to_json
from tillflow.domain.store import DEFAULT_TIMEZONE
from tillflow.ports.records import DEFAULT_STORE_NAME, StoreDetails

STORE_NAME = "store_name"
STORE_ADDRESS = "store_address"
STORE_TAX_ID = "store_tax_id"
RECEIPT_FOOTER = "receipt_footer"
STORE_LOGO = "store_logo"
RCN_RULES = "rcn_rules"
TIMEZONE = "timezone"
_KEYS = (STORE_NAME, STORE_ADDRESS, STORE_TAX_ID, RECEIPT_FOOTER, STORE_LOGO, RCN_RULES, TIMEZONE)


def read_store_details(connection: Connection) -> StoreDetails:
    stored = dict(connection.execute(
        select(store_settings.c.key, store_settings.c.value)
        .where(store_settings.c.key.in_(_KEYS))).all())
    rules = stored.get(RCN_RULES)
    return StoreDetails(
        name=stored.get(STORE_NAME) or DEFAULT_STORE_NAME,
        address=stored.get(STORE_ADDRESS, ""),
        rcn_rules=rules_from_json(rules) if rules else None,
        tax_id=stored.get(STORE_TAX_ID, ""),
        footer=stored.get(RECEIPT_FOOTER, ""),
        logo=stored.get(STORE_LOGO, ""),
        timezone=stored.get(TIMEZONE) or DEFAULT_TIMEZONE,
    )


def write_store_details(connection: Connection, *, name: str | None = None,
                        address: str | None = None,
                        rcn_rules: tuple[RcnRule, ...] | None = None,
                        tax_id: str | None = None, footer: str | None = None,
                        logo: str | None = None, timezone: str | None = None) -> None:
    """Replace the details given; those left ``None`` keep their stored value."""
    values = {STORE_NAME: name, STORE_ADDRESS: address, STORE_TAX_ID: tax_id,
              RECEIPT_FOOTER: footer, STORE_LOGO: logo,
              RCN_RULES: rules_to_json(rcn_rules) if rcn_rules is not None else None,
              TIMEZONE: timezone}
    changed = {key: value.strip() for key, value in values.items() if value is not None}
    if not changed:
        return
    connection.execute(delete(store_settings).where(store_settings.c.key.in_(changed)))
    connection.execute(insert(store_settings),
                       [{"key": key, "value": value} for key, value in changed.items()])


class StoreDetailsRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def read(self) -> StoreDetails:
        return read_store_details(self._connection)

    def write(self, *, name: str | None = None, address: str | None = None,
              rcn_rules: tuple[RcnRule, ...] | None = None, tax_id: str | None = None,
              footer: str | None = None, logo: str | None = None,
              timezone: str | None = None) -> None:
        write_store_details(self._connection, name=name, address=address, rcn_rules=rcn_rules,
                            tax_id=tax_id, footer=footer, logo=logo, timezone=timezone)
