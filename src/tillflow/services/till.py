"""A register's own state kept on the server: sales parked there (resumed there, once)
and the favourite products it shows as buttons."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from tillflow.domain.errors import Forbidden, InvalidInput, NotFound
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import ParkedSale, Register
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity
from tillflow.services.staff import APPROVER_ROLES

MAX_FAVOURITES = 48


def park_sale(ctx: ServiceContext, actor: Actor, register_code: str, *, label: str,
              cart: dict[str, Any]) -> ParkedSale:
    """``cart``: the sale's lines, discount and customer as the register will send them."""
    actor.check_register(register_code)
    for i, line in enumerate(cart["lines"]):
        field = f"cart.lines[{i}].quantity"
        if parse_quantity(line["quantity"], field=field) <= 0:
            raise InvalidInput("a parked line needs a quantity above zero",
                               details={"field": field})
    with ctx.uow() as uow:
        register = _register(uow, register_code)
        skus = [line["sku"] for line in cart["lines"]]
        known = uow.products.for_checkout(skus)
        unknown = sorted(set(skus) - set(known))
        if unknown:
            raise InvalidInput(f"unknown product {unknown[0]!r}", details={"field": "cart.lines"})
        parked = ParkedSale(id=str(uuid.uuid4()), register=register.code,
                            label=label.strip() or f"Sale parked by {actor.name}", cart=cart,
                            parked_by=actor.name, parked_at=uow.now)
        uow.till.park(parked, register_id=register.id)
        audit.record(uow, actor, "sale.parked", subject=f"parked:{parked.id}",
                     register=register.code, label=parked.label, lines=len(skus))
        uow.commit()
    return parked


def parked_sales(ctx: ServiceContext, actor: Actor, register_code: str) -> list[ParkedSale]:
    actor.check_register(register_code)
    with ctx.uow(read_only=True) as uow:
        return uow.till.parked(_register(uow, register_code).id)


def resume_sale(ctx: ServiceContext, actor: Actor, register_code: str,
                parked_id: str) -> ParkedSale:
    """The parked sale, taken off the list: resumed once, at the register that parked it."""
    actor.check_register(register_code)
    with ctx.uow() as uow:
        register = _register(uow, register_code)
        parked = uow.till.take(parked_id, register_id=register.id)
        if parked is None:
            raise NotFound(f"no sale {parked_id!r} is parked at register {register_code!r}",
                           details={"id": parked_id})
        audit.record(uow, actor, "sale.resumed", subject=f"parked:{parked.id}",
                     register=register.code, label=parked.label)
        uow.commit()
    return parked


def favourites(ctx: ServiceContext, register_code: str) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        return uow.till.favourites(_register(uow, register_code).id)


def set_favourites(ctx: ServiceContext, actor: Actor, register_code: str,
                   skus: Sequence[str]) -> list[str]:
    """A manager chooses the register's product buttons, in order."""
    if actor.role not in APPROVER_ROLES:
        raise Forbidden("a manager chooses a register's favourites", details={"role": actor.role})
    if len(set(skus)) != len(skus):
        raise InvalidInput("a product is a favourite once", details={"field": "skus"})
    with ctx.uow() as uow:
        register = _register(uow, register_code)
        known = uow.products.for_checkout(skus)
        unknown = [sku for sku in skus if sku not in known]
        if unknown:
            raise InvalidInput(f"unknown product {unknown[0]!r}", details={"field": "skus"})
        uow.till.set_favourites(register.id, [known[sku].id for sku in skus])
        audit.record(uow, actor, "register.favourites_set", subject=f"register:{register.code}",
                     skus=list(skus))
        uow.commit()
    return list(skus)


def _register(uow: UnitOfWork, code: str) -> Register:
    register = uow.registers.get(code)
    if register is None:
        raise NotFound(f"no register {code!r}", details={"register": code})
    return register
