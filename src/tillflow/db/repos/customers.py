"""Customers, unique by normalised email."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, or_, select, update

from tillflow.db.tables import customers
from tillflow.domain.customers import Customer


class CustomerRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, customer_id: str) -> Customer | None:
        row = self._connection.execute(
            select(customers).where(customers.c.id == customer_id)
        ).first()
        return _customer(row) if row else None

    def find(self, *, email: str | None, phone: str | None) -> list[Customer]:
        statement = select(customers).order_by(customers.c.created_at, customers.c.id)
        if email is not None:
            statement = statement.where(customers.c.email == email)
        if phone is not None:
            statement = statement.where(customers.c.phone == phone)
        return [_customer(r) for r in self._connection.execute(statement.limit(100))]

    def search(self, *, query: str, after_id: str | None, limit: int) -> list[Customer]:
        """Whose name, email or phone holds ``query`` (any case), by id for paging."""
        statement = select(customers).order_by(customers.c.id)
        if query:
            pattern = f"%{query.lower().replace('%', '').replace('_', '')}%"
            statement = statement.where(or_(func.lower(customers.c.name).like(pattern),
                                            customers.c.email.like(pattern),
                                            customers.c.phone.like(pattern)))
        if after_id is not None:
            statement = statement.where(customers.c.id > after_id)
        return [_customer(r) for r in self._connection.execute(statement.limit(limit))]

    def add(self, customer: Customer, now: datetime) -> None:
        self._connection.execute(
            insert(customers).values(id=customer.id, name=customer.name, email=customer.email,
                                     phone=customer.phone, created_at=now, updated_at=now)
        )

    def update(self, customer: Customer, now: datetime) -> None:
        self._connection.execute(
            update(customers).where(customers.c.id == customer.id)
            .values(name=customer.name, email=customer.email, phone=customer.phone,
                    updated_at=now)
        )


def _customer(row: object) -> Customer:
    return Customer(id=row.id, name=row.name, email=row.email,  # type: ignore[attr-defined]
                    phone=row.phone)  # type: ignore[attr-defined]
