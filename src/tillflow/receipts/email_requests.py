"""A customer asks at the till for their receipt by email: the request is stored with the
sale and sent by the worker's mail job (``tillflow worker`` with ``TILLFLOW_SMTP_*``)."""

from __future__ import annotations

import re

from tillflow.db.uow import connection_of
from tillflow.domain.errors import Conflict, InvalidInput, NotFound
from tillflow.receipts import outbox_mail
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext

# One @, something on each side, a dot in the domain: what a cashier can check by eye.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def request_email(ctx: ServiceContext, actor: Actor, sale: str,
                  recipient: str) -> outbox_mail.ReceiptEmail:
    """``sale``: its id or printed number."""
    address = recipient.strip()
    if not EMAIL.fullmatch(address) or len(address) > 254:
        raise InvalidInput("an email address such as jo@example.com", details={"field": "email"})
    with ctx.uow() as uow:
        sale_id = uow.sales.id_by_number(sale) or sale
        record = uow.sales.get(sale_id)
        if record is None:
            raise NotFound(f"no sale {sale!r}", details={"id": sale})
        row = outbox_mail.request(connection_of(uow), sale_id=record.id, recipient=address,
                                  now=uow.now)
        if row.recipient.lower() != address.lower():
            raise Conflict("this receipt already goes to another address",
                           details={"field": "email"})
        audit.record(uow, actor, "receipt.emailed", subject=f"sale:{record.id}",
                     number=record.number)
        uow.commit()
    return row
