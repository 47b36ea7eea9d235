"""The schema, in SQLAlchemy Core. Money columns hold integer minor units."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from tillflow.db.types import COST, QUANTITY, RATE, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UUID = String(36)
Timestamp = UtcDateTime()

store_settings = Table(
    "store_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("role", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("revoked_at", Timestamp),
    Column("expires_at", Timestamp),
    # Kept to the minute: refreshed when the token is looked up and the stored one is older.
    Column("last_used_at", Timestamp),
    # A cashier's token bound to one register sells only there.
    Column("register_id", ForeignKey("registers.id")),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("allow_negative_stock", Boolean, nullable=False, server_default=false()),
    Column("created_at", Timestamp, nullable=False),
)

# A product: its name, category and options; its variants are the rows of ``products``.
product_groups = Table(
    "product_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    # A path of names such as "Clothing/Tees".
    Column("category", String(255)),
    # [{"name": "Size", "values": ["S", "M"]}, ...] in display order.
    Column("options", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)
Index("ix_product_groups_name", product_groups.c.name)
Index("ix_product_groups_category", product_groups.c.category)

# The variants: one row per SKU, which sales, stock, barcodes and events refer to.
products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("group_id", ForeignKey("product_groups.id"), nullable=False, index=True),
    # The variant's value of each of its product's options, in the options' order.
    Column("option_values", JSON, nullable=False),
    # What a unit costs the store, to COST_PLACES decimals; none until someone says.
    Column("unit_cost", COST),
)
Index("ix_products_name", products.c.name)

barcodes = Table(
    "barcodes",
    metadata,
    Column("gtin14", String(14), primary_key=True),
    Column("code", String(14), nullable=False),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), nullable=False,
           index=True),
)

stock_levels = Table(
    "stock_levels",
    metadata,
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("location_id", ForeignKey("locations.id"), primary_key=True),
    Column("on_hand", QUANTITY, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("balance_after", QUANTITY, nullable=False),
    Column("reason", String(200)),
    Column("reference", String(64)),
    Column("actor", String(100)),
    Column("occurred_at", Timestamp, nullable=False),
)
Index("ix_stock_movements_product_location", stock_movements.c.product_id,
      stock_movements.c.location_id)
# A SKU's history, newest first, reads one index.
Index("ix_stock_movements_product_id_id", stock_movements.c.product_id, stock_movements.c.id)

customers = Table(
    "customers",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("name", String(200)),
    Column("email", String(254), unique=True),
    Column("phone", String(20), index=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

registers = Table(
    "registers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

shifts = Table(
    "shifts",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("register_id", ForeignKey("registers.id"), nullable=False),
    Column("status", String(8), nullable=False),
    Column("opening_float", BigInteger, nullable=False),
    Column("counted_cash", BigInteger),
    Column("z_report", JSON),
    Column("opened_at", Timestamp, nullable=False),
    Column("opened_by", String(100)),
    Column("closed_at", Timestamp),
    Column("closed_by", String(100)),
)
# At most one open shift per register, held by the database rather than by a check.
Index(
    "uq_shifts_one_open_per_register",
    shifts.c.register_id,
    unique=True,
    postgresql_where=shifts.c.status == "open",
    sqlite_where=shifts.c.status == "open",
)

cash_movements = Table(
    "cash_movements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("shift_id", ForeignKey("shifts.id"), nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("actor", String(100)),
    Column("occurred_at", Timestamp, nullable=False),
)

# Stock that went below zero where the location forbids it, because the goods were
# already gone (an offline sale, a paid web order): a person must look at it.
stock_discrepancies = Table(
    "stock_discrepancies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    Column("sale_id", ForeignKey("sales.id")),
    Column("shortfall", QUANTITY, nullable=False),
    Column("on_hand_after", QUANTITY, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("resolved_at", Timestamp),
)

document_sequences = Table(
    "document_sequences",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("last_value", BigInteger, nullable=False),
)

sales = Table(
    "sales",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    Column("register_id", ForeignKey("registers.id")),
    Column("shift_id", ForeignKey("shifts.id"), index=True),
    Column("customer_id", ForeignKey("customers.id")),
    Column("subtotal", BigInteger, nullable=False),
    Column("order_discount", BigInteger, nullable=False),
    Column("discount_total", BigInteger, nullable=False),
    Column("tax_total", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("tendered", BigInteger, nullable=False),
    Column("change_due", BigInteger, nullable=False),
    Column("tax_inclusive", Boolean, nullable=False),
    Column("channel", String(32), nullable=False, server_default="pos"),
    Column("external_id", String(255)),
    Column("offline", Boolean, nullable=False, server_default=false()),
    # The number an offline sale's receipt printed before the server numbered it, so that
    # receipt still finds its sale.
    Column("offline_number", String(64)),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("created_by", String(100)),
    # When the sale was made: the till's time for a sale made offline and recorded later,
    # else when it was recorded. Reports and the sales list's dates go by it.
    Column("sold_at", Timestamp, nullable=False),
    # The staff member signed in at the register, if a staff session made the sale.
    Column("staff_id", ForeignKey("staff_members.id")),
    # The lines' quantities summed, so reports by time, staff, register or channel read
    # the sales alone.
    Column("units", QUANTITY, nullable=False),
    UniqueConstraint("channel", "external_id", name="uq_sales_channel_external_id"),
)
Index("ix_sales_created_at", sales.c.created_at)
Index("ix_sales_channel_created_at", sales.c.channel, sales.c.created_at)
Index("ix_sales_offline_number", sales.c.offline_number, unique=True)
# Reports by time, staff, register and channel read this index alone on PostgreSQL.
Index("ix_sales_sold_at", sales.c.sold_at,
      postgresql_include=["units", "total", "tax_total", "staff_id", "register_id", "channel"])
Index("ix_sales_customer_id", sales.c.customer_id)

sale_lines = Table(
    "sale_lines",
    metadata,
    Column("sale_id", ForeignKey("sales.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("gross", BigInteger, nullable=False),
    Column("line_discount", BigInteger, nullable=False),
    Column("order_discount", BigInteger, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    # The sale's sold_at, so reports by product or tax rate read a range of lines.
    Column("sold_at", Timestamp, nullable=False),
    # 1 on the sale's first line of its SKU (of its tax rate), else 0: summed, they count
    # each sale once per product (per rate).
    Column("counts_sale_for_sku", SmallInteger, nullable=False),
    Column("counts_sale_for_rate", SmallInteger, nullable=False),
)
# Reports by product and tax rate read this index alone on PostgreSQL.
Index("ix_sale_lines_sold_at", sale_lines.c.sold_at,
      postgresql_include=["sku", "tax_rate", "quantity", "net", "tax", "counts_sale_for_sku",
                          "counts_sale_for_rate"])

sale_payments = Table(
    "sale_payments",
    metadata,
    Column("sale_id", ForeignKey("sales.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("method", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reference", String(100)),
)

returns = Table(
    "returns",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("sale_id", ForeignKey("sales.id"), nullable=False, index=True),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    Column("register_id", ForeignKey("registers.id")),
    Column("shift_id", ForeignKey("shifts.id"), index=True),
    Column("restock", Boolean, nullable=False),
    # Why the goods came back; "void" is a whole sale taken back in its own shift.
    Column("reason", String(32)),
    Column("net_total", BigInteger, nullable=False),
    Column("tax_total", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("created_by", String(100)),
    Column("staff_id", ForeignKey("staff_members.id")),
    # The sale's channel, so reports by channel read no sale.
    Column("channel", String(32), nullable=False),
)
Index("ix_returns_created_at", returns.c.created_at)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", ForeignKey("returns.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    # The returned sale line's rate, so reports by tax rate read no sale line.
    Column("tax_rate", RATE, nullable=False),
)

refunds = Table(
    "refunds",
    metadata,
    Column("return_id", ForeignKey("returns.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("method", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reference", String(100)),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(32), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

# The outbox. Rows get their gap-free ``seq`` from the sequencer after they commit, so
# a reader never skips an event whose transaction committed late (see db/outbox.py).
events = Table(
    "events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("seq", BigInteger, unique=True),
    Column("type", String(64), nullable=False),
    Column("occurred_at", Timestamp, nullable=False),
    Column("data", JSON, nullable=False),
)
Index(
    "ix_events_unsequenced",
    events.c.id,
    postgresql_where=events.c.seq.is_(None),
    sqlite_where=events.c.seq.is_(None),
)

event_sequence = Table(
    "event_sequence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

# One cursor per consumer of the events log. A worker holds a consumer through a lease
# (owner and expiry), so any number of workers can run and only one advances a cursor.
event_consumers = Table(
    "event_consumers",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp),
    Column("last_error", Text),
    Column("updated_at", Timestamp, nullable=False),
)


connections = Table(
    "connections",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("secrets", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    # True on the one ERP connection that masters the catalog, NULL on every other: NULLs
    # never collide, so the unique key lets at most one connection master it, even when
    # two are set up at the same time.
    Column("catalog_master", Boolean, nullable=True, unique=True),
)
