"""Till sales recorded in Vendure as paid orders (admin draft orders), exactly once.

The draft carries the sale's source identifier in the ``tillflowSaleId`` order field
(added by tillflow's Vendure plugin) from its first moment, so a retry finds the order an
earlier try made and finishes it instead of making another. Vendure allocates stock when
the order is placed, but tillflow already publishes the stock figure with the sale taken
out; so before the lines go in, the variants' ``stockOnHand`` is raised by the quantities
sold, and the allocation brings the shop back to exactly tillflow's figure (it also lets
the draft take units the shop already shows as gone). The lines carry Vendure's own
prices; the sale's total and number are kept in the payment's metadata.

GraphQL runs the fields of one mutation document one after another, so the draft's
marking, lines and customer go in one request, and its shipping, transition and payment
in another: seven calls a sale. The raise is the one step a retry cannot see: a try that
dies between it and the lines raises the figure again, and the shop shows those units
too many until the SKU's next stock push or the reconciler.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tillflow.connectors.vendure import queries
from tillflow.connectors.vendure.catalog import Settings, Variant
from tillflow.connectors.vendure.client import VendureClient, result
from tillflow.ports.commerce import PosSale, Rejected

PAYMENT_METHOD = "tillflow-pos"
WALK_IN = {"emailAddress": "walk-in@tillflow.invalid", "firstName": "Walk-in",
           "lastName": "customer"}
OUTCOME = "... on Order { id state } ... on ErrorResult { errorCode message }"


def push_sale(client: VendureClient, settings: Settings,
              variants_of: Callable[[Sequence[str]], Mapping[str, Variant]],
              sale: PosSale) -> str:
    found = client.execute(queries.ORDER_BY_SALE, {"source": sale.source_id}
                           )["orders"]["items"]
    if found and found[0]["state"] != "Draft":
        return str(found[0]["id"])
    wanted: Counter[str] = Counter()
    for line in sale.lines:
        wanted[line.sku] += line.quantity
    variants = variants_of(sorted(wanted))
    missing = [sku for sku in wanted if sku not in variants]
    if missing:
        raise Rejected(f"SKU {missing[0]!r} is not in the Vendure catalog")
    if found:  # an earlier try made the draft; its lines went in with the stock held
        order_id, fill = str(found[0]["id"]), not found[0]["lines"]
    else:
        order_id, fill = str(client.execute(queries.CREATE_DRAFT)["createDraftOrder"]["id"]), True
    _complete(client, settings, order_id, sale, {sku: (variants[sku], qty)
                                                 for sku, qty in wanted.items()} if fill else {})
    return order_id


def _complete(client: VendureClient, settings: Settings, order_id: str, sale: PosSale,
              lines: Mapping[str, tuple[Variant, int]]) -> None:
    primary = settings.primary_location
    fields = ["mark: setDraftOrderCustomFields(orderId: $id, input: {id: $id, "
              "customFields: {tillflowSaleId: $source}}) { id }"]
    declared = ["$id: ID!", "$source: String!", "$buyer: CreateCustomerInput!"]
    variables: dict[str, Any] = {"id": order_id, "source": sale.source_id,
                                 "buyer": _buyer(sale)}
    if lines:  # on its own: Vendure fails it when it shares a request with order changes
        client.execute(queries.UPDATE_VARIANTS, {"input": [{"id": v.id, "stockLevels": [{
            "stockLocationId": primary,
            "stockOnHand": v.levels.get(primary, (0, 0))[0] + qty}]}
            for v, qty in lines.values()]})
    for n, (variant, qty) in enumerate(lines.values()):
        declared += [f"$v{n}: ID!", f"$q{n}: Int!"]
        fields.append(f"line{n}: addItemToDraftOrder(orderId: $id, input: "
                      f"{{productVariantId: $v{n}, quantity: $q{n}}}) {{ {OUTCOME} }}")
        variables.update({f"v{n}": variant.id, f"q{n}": qty})
    fields.append(f"buyer: setCustomerForDraftOrder(orderId: $id, input: $buyer) {{ {OUTCOME} }}")
    document = f"mutation({', '.join(declared)}) {{ {' '.join(fields)} }}"
    data = client.execute(document, variables)
    for name in data:
        result(data, name)
    _pay(client, order_id, {"orderId": order_id, "method": PAYMENT_METHOD,
                            "transactionId": sale.number,
                            "metadata": {"sale": sale.number, "total": str(sale.total),
                                         "currency": sale.currency}})


def _pay(client: VendureClient, order_id: str, payment: Mapping[str, Any]) -> None:
    methods = client.execute(queries.DRAFT_SHIPPING_METHODS, {"id": order_id}
                             )["eligibleShippingMethodsForDraftOrder"]
    if not methods:
        raise Rejected("Vendure offers no shipping method for a till sale's order")
    data = client.execute(queries.PLACE_DRAFT, {"id": order_id, "method": methods[0]["id"],
                                                "payment": dict(payment)})
    for name in data:
        result(data, name)


def _buyer(sale: PosSale) -> dict[str, Any]:
    if sale.buyer is None or not sale.buyer.email:
        return dict(WALK_IN)
    return {"emailAddress": sale.buyer.email, "firstName": sale.buyer.first_name or "",
            "lastName": sale.buyer.last_name or ""}
