"""The migration history: one head, reached from any database an earlier release made."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, func, select

from support.databases import postgres_database
from tillflow.db.engine import build_engine
from tillflow.db.migrate import alembic_config, upgrade
from tillflow.db.schema import metadata
from tillflow.db.uow import SqlStore
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services import catalog, products
from tillflow.services.context import ServiceContext

# Each area's tables once formed a branch of its own from revision 0003.
AREA_HEADS = {"accounting_0001", "payments_0001", "receipts_0001", "staff_0002", "sync_0001"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = build_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    with postgres_database(migrated=False) as url:
        engine = build_engine(url)
        yield engine
        engine.dispose()


def _versions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def test_the_history_has_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_a_database_at_the_area_heads_upgrades_to_the_one_head(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        for head in sorted(AREA_HEADS):
            command.upgrade(config, head)
    assert _versions(empty_engine) == AREA_HEADS

    upgrade(empty_engine)

    assert _versions(empty_engine) == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with empty_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_sqlite_keeps_the_rows_that_refer_to_a_table_a_revision_copies(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        for name in ("locations", "products", "sales", "sale_lines"):
            _insert_row(connection, name)

    upgrade(engine)  # 0003 copies `sales` to add a unique constraint

    with engine.connect() as connection:
        lines = Table("sale_lines", MetaData(), autoload_with=connection)
        assert connection.execute(select(func.count()).select_from(lines)).scalar_one() == 1
    engine.dispose()


def _insert_row(connection: Connection, name: str) -> None:
    """A row with every required column set; the keys are 1 everywhere, so they all match."""
    table = Table(name, MetaData(), autoload_with=connection)
    value = {int: 1, str: "1", bool: False, datetime: datetime(2026, 1, 1, tzinfo=UTC)}
    connection.execute(table.insert(), [
        {column.name: value[column.type.python_type] for column in table.columns
         if not column.nullable}])


def test_existing_erp_connections_keep_who_masters_their_products(empty_engine: Engine) -> None:
    """Before 0006 an ERP's products came in by its products-in poll and went out by hand:
    the oldest one polling them masters the catalog; every other follows tillflow."""
    with empty_engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        table = Table("connections", MetaData(), autoload_with=connection)
        existing = [("tryton", "tryton", {}), ("odoo", "odoo", {"poll": ["receipts"]}),
                    ("odoo2", "odoo", {"poll": ["products-in"]}),
                    ("tryton2", "tryton", {"poll_seconds": 0}), ("shop", "shopify", {})]
        connection.execute(table.insert(), [
            {"name": name, "platform": platform, "settings": settings, "secrets": "",
             "version": 1, "created_at": datetime(2026, 1, day, tzinfo=UTC),
             "updated_at": datetime(2026, 1, day, tzinfo=UTC)}
            for day, (name, platform, settings) in enumerate(existing, start=1)])

    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        table = Table("connections", MetaData(), autoload_with=connection)
        found = {row.name: (row.settings.get("catalog"), row.catalog_master)
                 for row in connection.execute(select(table))}
    assert found == {"tryton": ("erp", True), "odoo": ("tillflow", None),
                     "odoo2": ("tillflow", None), "tryton2": ("tillflow", None),
                     "shop": (None, None)}


def test_every_product_becomes_a_product_of_one_variant(empty_engine: Engine) -> None:
    """0014: each SKU row becomes the one variant of a product of its own; its cost moves
    from minor units to four places; barcodes, stock and new products keep working."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with empty_engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0013")
        tables = {name: Table(name, MetaData(), autoload_with=connection)
                  for name in ("store_settings", "locations", "products", "barcodes",
                               "stock_levels")}
        connection.execute(tables["store_settings"].insert(), [{"key": "currency",
                                                                 "value": "USD"}])
        connection.execute(tables["locations"].insert(), [{
            "id": 1, "code": "MAIN", "name": "Main", "kind": "store",
            "allow_negative_stock": False, "created_at": moment}])
        connection.execute(tables["products"].insert(), [
            {"sku": f"SKU-{n}", "name": f"Item {n}", "price": 250 * n,
             "tax_rate": 80000, "active": True, "version": 3, "created_at": moment,
             "updated_at": moment, "cost": 125 if n == 1 else None} for n in (1, 2)])
        # A fresh database numbers them 1 and 2.
        connection.execute(tables["barcodes"].insert(), [
            {"gtin14": "04006381333931", "code": "4006381333931", "product_id": 2}])
        connection.execute(tables["stock_levels"].insert(), [
            {"product_id": 1, "location_id": 1, "on_hand": 7000, "updated_at": moment}])

    upgrade(empty_engine)

    ctx = ServiceContext(SqlStore(empty_engine), StoreConfig(currency=Currency.of("USD")))
    first = catalog.get_product(ctx, "SKU-1")
    assert (first.name, first.cost, first.options, first.version) == \
        ("Item 1", Decimal("1.25"), {}, 3)
    group = products.get_group(ctx, first.product_id or 0).group
    assert (group.name, group.options, group.category) == ("Item 1", (), None)
    scanned, _ = catalog.product_by_barcode(ctx, "4006381333931")
    assert (scanned.sku, scanned.cost) == ("SKU-2", None)
    made = catalog.create_product(ctx, catalog.ProductInput(sku="SKU-3", name="New",
                                                            price="1.00"))
    assert made.product_id not in {first.product_id, scanned.product_id}
    with empty_engine.connect() as connection:
        levels = Table("stock_levels", MetaData(), autoload_with=connection)
        assert connection.execute(select(func.count()).select_from(levels)).scalar_one() == 1
