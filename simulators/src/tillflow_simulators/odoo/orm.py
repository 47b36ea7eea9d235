"""The simulated Odoo's records: a tiny in-memory ORM over the models tillflow uses.

Only what the external API shows: ``search_read``/``search``/``search_count``/``read`` with
domains of ``(field, operator, value)`` triples, ``create`` with one2many command tuples,
``write``, ``unlink``, and the few business methods tillflow calls. Errors carry Odoo's own
exception names. Money is rounded as Odoo rounds it, half up to the company currency's
decimal places (``money``), and unit prices to the decimal accuracy ``Product Price``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

Record = dict[str, Any]

# The models each module brings (those tillflow touches).
MODULE_MODELS = {
    "base": ("res.users", "res.partner", "res.company", "res.currency", "decimal.precision",
             "ir.module.module"),
    "account": ("account.account", "account.journal", "account.tax", "account.move",
                "account.move.line", "product.template", "product.product",
                "product.attribute", "product.attribute.value", "product.category",
                "product.template.attribute.line", "product.template.attribute.value",
                "account.payment",
                "account.payment.register", "account.payment.method.line"),
    "stock": ("stock.location", "stock.warehouse", "stock.quant", "stock.move",
              "stock.picking", "stock.inventory.conflict"),
    "sale_management": ("sale.order", "sale.order.line", "sale.advance.payment.inv"),
}
MODULES = tuple(MODULE_MODELS)


class OdooError(Exception):
    """An Odoo exception as the API reports it: its dotted name and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def user_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.UserError", message)


def validation_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.ValidationError", message)


def missing_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.MissingError", message)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    ">": lambda a, b: a is not None and a > b,
    ">=": lambda a, b: a is not None and a >= b,
    "<": lambda a, b: a is not None and a < b,
    "<=": lambda a, b: a is not None and a <= b,
    "like": lambda a, b: a is not None and str(b) in str(a),
    "ilike": lambda a, b: a is not None and str(b).lower() in str(a).lower(),
}


def matches(record: Record, domain: list[Any]) -> bool:
    for term in domain:
        if term == "&":
            continue
        if not isinstance(term, list | tuple) or len(term) != 3 or term[1] not in _OPERATORS:
            raise validation_error(f"Invalid domain term {term!r}")
        field, operator, value = term
        current = record.get(field)
        if isinstance(current, list) and len(current) == 2 and operator in ("=", "in"):
            current = current[0]  # a many2one reads as [id, name]; domains compare the id
        if not _OPERATORS[operator](current, value):
            return False
    return True


class Database:
    """Every model's records; one lock, as each Odoo call runs in one transaction."""

    def __init__(self, *, version: str = "19.0", modules: tuple[str, ...] = MODULES,
                 currency_digits: int = 2, price_digits: int = 2) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[int, Record]] = {
            name: {} for module in modules for name in MODULE_MODELS[module]}
        self.next_id = 1
        self.lock_date: date | None = None
        self.sequence = 0
        self.version = version
        self.modules = modules
        self.currency_digits = currency_digits
        self.price_digits = price_digits
        # Each user's password and API key, which Odoo never reads back.
        self.credentials: dict[int, tuple[str, str]] = {}

    @property
    def major(self) -> int:
        """The major version (17 for ``17.0`` and ``saas~17.4``)."""
        return int(self.version.removeprefix("saas~").split(".")[0])

    def money(self, value: Decimal) -> Decimal:
        """Rounded to the company currency, half up as Odoo's ``float_round``."""
        return value.quantize(Decimal(1).scaleb(-self.currency_digits), rounding=ROUND_HALF_UP)

    def price(self, value: Any) -> Decimal:
        """A unit price as Odoo keeps it, at the ``Product Price`` decimal accuracy."""
        return Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-self.price_digits),
                                                 rounding=ROUND_HALF_UP)

    def table(self, model: str) -> dict[int, Record]:
        if model not in self.tables:
            raise OdooError("builtins.KeyError", model)
        return self.tables[model]

    def insert(self, model: str, values: Record) -> int:
        record_id = self.next_id
        self.next_id += 1
        self.table(model)[record_id] = {"id": record_id, **values}
        return record_id

    def search(self, model: str, domain: list[Any], *, offset: int = 0,
               limit: int | None = None, archived_too: bool = False) -> list[int]:
        # Odoo leaves archived records out unless the domain itself speaks of ``active``
        # or the context says ``active_test: False``.
        archived_too = archived_too or any(
            isinstance(t, list | tuple) and len(t) == 3 and t[0] == "active" for t in domain)
        found = [i for i, r in sorted(self.table(model).items())
                 if matches(r, domain) and (archived_too or r.get("active") is not False)]
        return found[offset:None if limit is None else offset + limit]

    def read(self, model: str, ids: list[int], fields: list[str] | None,
             compute: Callable[[Record], Record] | None = None) -> list[Record]:
        """``compute`` adds the fields Odoo computes as it reads."""
        table = self.table(model)
        missing = [i for i in ids if i not in table]
        if missing:
            raise missing_error(f"Record does not exist or has been deleted. "
                                f"(Record: {model}({missing[0]},))")
        return [_shape(compute(table[i]) if compute else table[i], fields) for i in ids]


def _shape(record: Record, fields: list[str] | None) -> Record:
    keys = ["id", *[f for f in (fields or record) if f != "id"]]
    return {key: _plain(record.get(key, False)) for key in keys}


def _plain(value: Any) -> Any:
    """What JSON carries: Odoo sends floats for monetary fields and False for empty ones."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return False if value is None else value
