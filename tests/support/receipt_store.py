"""A store with a named header and one sale, for the receipt tests."""

from __future__ import annotations

from tillflow.db.store_details import write_store_details
from tillflow.db.uow import connection_of
from tillflow.domain.records import SaleRecord
from tillflow.services import catalog, customers, locations, sales
from tillflow.services.context import Actor, ServiceContext

CASHIER = Actor(name="Zoë", role="cashier")


def name_the_store(ctx: ServiceContext) -> None:
    with ctx.uow() as uow:
        write_store_details(connection_of(uow), name="Café Élan",
                            address="1 Rue de la Paix, 75002 Paris")
        uow.commit()


def sale_with_customer(ctx: ServiceContext, *, email: str | None = "ana@example.org",
                       with_customer: bool = True, named: bool = True) -> SaleRecord:
    """A cash sale of two lines at S1, for a customer with ``email`` (or a phone only)."""
    if named:
        name_the_store(ctx)
    locations.create_location(ctx, code="S1", name="Main", kind="store",
                              allow_negative_stock=True)
    catalog.create_product(ctx, catalog.ProductInput(sku="CREME", name="Crème fraîche 20 cl",
                                                     price="2.40", tax_rate="0.055"))
    catalog.create_product(ctx, catalog.ProductInput(sku="BREAD", name="Pain de campagne",
                                                     price="3.10", tax_rate="0.055"))
    customer = customers.create_customer(ctx, name="Ana", email=email,
                                         phone=None if email else "+14155550100")
    record, _created = sales.record_sale(ctx, CASHIER, sales.SaleRequest(
        location="S1", customer=customer.id if with_customer else None,
        lines=[sales.SaleLineRequest(sku="CREME", quantity=2),
               sales.SaleLineRequest(sku="BREAD", quantity=1)],
        payments=[sales.TenderRequest(method="cash", amount="10.00")],
    ))
    return record


def second_sale(ctx: ServiceContext) -> SaleRecord:
    """Another sale to the customer of ``sale_with_customer``."""
    [customer] = customers.find_customers(ctx, email="ana@example.org", phone=None)
    record, _created = sales.record_sale(ctx, CASHIER, sales.SaleRequest(
        location="S1", customer=customer.id,
        lines=[sales.SaleLineRequest(sku="BREAD", quantity=2)],
        payments=[sales.TenderRequest(method="cash", amount="10.00")],
    ))
    return record
