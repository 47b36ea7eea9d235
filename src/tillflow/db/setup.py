"""Initialising a store: migrate the schema, record its settings, read them back."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from tillflow.db import migrate
from tillflow.db.store_details import write_store_details
from tillflow.db.tables import store_settings
from tillflow.domain.barcodes import RcnRule
from tillflow.domain.errors import InvalidInput
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig

CURRENCY = "currency"
TAX_INCLUSIVE = "tax_inclusive"
PHONE_REGION = "phone_region"


class NotInitialised(RuntimeError):
    """The database has no store yet: run ``tillflow init``."""


def initialise(engine: Engine, *, currency: str = "USD", tax_inclusive: bool = False,
               phone_region: str = "US", store_name: str | None = None,
               store_address: str | None = None,
               rcn_rules: tuple[RcnRule, ...] | None = None) -> StoreConfig:
    """Migrate to the latest schema and record the settings on first run.

    Settings of an existing store are kept: its currency cannot change under its
    recorded amounts. Its name, address and RCN rules, when given, replace the stored ones.
    """
    requested = StoreConfig(currency=Currency.of(currency), tax_inclusive=tax_inclusive,
                            phone_region=_region(phone_region))
    migrate.upgrade(engine)
    with engine.begin() as connection:
        stored = dict(connection.execute(select(store_settings.c.key,
                                                store_settings.c.value)).all())
        # Receipt details written before the store was first set up do not count as one.
        if CURRENCY not in stored:
            connection.execute(insert(store_settings), [
                {"key": CURRENCY, "value": requested.currency.code},
                {"key": TAX_INCLUSIVE, "value": "true" if tax_inclusive else "false"},
                {"key": PHONE_REGION, "value": requested.phone_region},
            ])
        write_store_details(connection, name=store_name, address=store_address,
                            rcn_rules=rcn_rules)
    return load_config(engine)


def load_config(engine: Engine) -> StoreConfig:
    try:
        with engine.connect() as connection:
            stored = dict(connection.execute(select(store_settings.c.key,
                                                    store_settings.c.value)).all())
    except Exception as exc:  # a missing table reads differently on every driver
        raise NotInitialised("the database has no tillflow store; run `tillflow init`") from exc
    if CURRENCY not in stored:
        raise NotInitialised("the database has no tillflow store; run `tillflow init`")
    return StoreConfig(
        currency=Currency.of(stored[CURRENCY]),
        tax_inclusive=stored.get(TAX_INCLUSIVE) == "true",
        phone_region=stored.get(PHONE_REGION, "US"),
    )


def _region(region: str) -> str:
    normalised = region.strip().upper()
    if len(normalised) != 2 or not normalised.isalpha():
        raise InvalidInput(f"{region!r} is not a two-letter country code",
                           details={"field": "phone_region"})
    return normalised
