"""The Odoo simulator behaves as the real Odoo 17 and 19 were seen to behave.

Each test names the fact it keeps: the keyword-only ``create`` that Odoo 16-19 fail,
JSON-2 only from 19, products, quants, payments and deliveries as each version has them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from sim_support.odoo import execute_kw, jsonrpc
from tillflow_simulators.odoo.simulator import DEFAULT_API_KEY, DEFAULT_LOGIN, OdooSimulator


def test_a_create_given_vals_list_by_name_fails_and_keeps_nothing(odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    sequence = "tuple" if odoo.db.major == 17 else "list"
    with pytest.raises(RuntimeError, match=f"^builtins.IndexError: {sequence} index out of"):
        call("res.partner", "create", vals_list=[{"name": "Kept?"}])
    assert odoo.db.search("res.partner", [["name", "=", "Kept?"]]) == []
    [partner] = call("res.partner", "create", [{"name": "Kept"}])
    assert call("res.partner", "create", {"name": "Single"}) == partner + 1


def test_the_version_is_told_without_signing_in_and_json2_exists_from_19(
        odoo: OdooSimulator) -> None:
    info = httpx.post(f"{odoo.url}/web/webclient/version_info",
                      json={"jsonrpc": "2.0", "method": "call", "params": {}}).json()["result"]
    assert info["server_version_info"][0] == odoo.db.major
    reply = httpx.post(f"{odoo.url}/json/2/res.partner/search", json={"domain": []},
                       headers={"Authorization": f"bearer {DEFAULT_API_KEY}"})
    assert reply.status_code == (200 if odoo.db.major >= 19 else 404)
    wrong = jsonrpc(odoo, "common", "authenticate", "elsewhere", DEFAULT_LOGIN,
                    DEFAULT_API_KEY, {})
    assert wrong["error"]["data"]["name"] == "psycopg2.OperationalError"
    assert 'database "elsewhere" does not exist' in wrong["error"]["data"]["message"]


def test_a_stored_product_is_written_as_its_version_wants(odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    stored: dict[str, Any]
    if odoo.db.major == 17:
        stored, gone, gone_type = {"detailed_type": "product"}, "is_storable", "combo"
    else:
        stored, gone, gone_type = {"type": "consu", "is_storable": True}, "detailed_type", \
            "product"
    [product] = call("product.product", "create", [{"name": "P", **stored}])
    with pytest.raises(RuntimeError, match=f"Invalid field '{gone}' on model 'product"):
        call("product.product", "create", [{"name": "Q", gone: True}])
    with pytest.raises(RuntimeError, match=f"Wrong value for product.template.type: "
                                           f"'{gone_type}'"):
        call("product.product", "create", [{"name": "Q", "type": gone_type}])
    with pytest.raises(RuntimeError, match=f"Invalid field '{gone}'"):
        call("product.product", "read", [product], fields=[gone])


def test_counts_set_in_inventory_mode_and_add_without_it(odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    storable = {"detailed_type": "product"} if odoo.db.major == 17 else {
        "is_storable": True}
    [product] = call("product.product", "create", [{"name": "P", **storable}])
    [consumable] = call("product.product", "create", [{"name": "C"}])
    [stock] = call("stock.location", "search", [["complete_name", "=", "WH/Stock"]])

    def count(quantity: int, context: dict[str, Any]) -> Any:
        quants = call("stock.quant", "create", [{"product_id": product, "location_id": stock,
                                                 "inventory_quantity": quantity}],
                      context=context)
        return call("stock.quant", "action_apply_inventory", quants, context=context)

    def on_hand() -> int:
        quants = call("stock.quant", "search_read", [["product_id", "=", product]],
                      fields=["quantity"])
        return int(sum(q["quantity"] for q in quants))

    assert count(50, {"inventory_mode": True}) is None  # nothing to say: JSON-RPC omits it
    count(45, {"inventory_mode": True})
    assert on_hand() == 45
    count(40, {})
    assert on_hand() == 85  # a quant of its own, applied on top
    with pytest.raises(RuntimeError, match="Quants cannot be created for consumables"):
        call("stock.quant", "create", [{"product_id": consumable, "location_id": stock,
                                        "inventory_quantity": 1}],
             context={"inventory_mode": True})


def test_goods_moved_between_a_count_and_its_application_ask_the_conflict_wizard(
        odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    storable = {"detailed_type": "product"} if odoo.db.major == 17 else {
        "is_storable": True}
    [product] = call("product.product", "create", [{"name": "P", "default_code": "P",
                                                    **storable}])
    [stock] = call("stock.location", "search", [["complete_name", "=", "WH/Stock"]])
    mode = {"inventory_mode": True}
    [quant] = call("stock.quant", "create", [{"product_id": product, "location_id": stock,
                                              "inventory_quantity": 10}], context=mode)
    odoo.receive("P", Decimal(3), "WH/IN/00001")
    action = call("stock.quant", "action_apply_inventory", [quant], context=mode)
    assert (action["res_model"], action["context"]["default_quant_to_fix_ids"]) == (
        "stock.inventory.conflict", [quant])
    [wizard] = call("stock.inventory.conflict", "create", [{
        "quant_ids": [[6, 0, [quant]]], "quant_to_fix_ids": [[6, 0, [quant]]]}], context=mode)
    call("stock.inventory.conflict", "action_keep_counted_quantity", [wizard], context=mode)
    [kept] = call("stock.quant", "read", [quant], fields=["quantity"])
    assert kept["quantity"] == 10


def test_payments_land_on_outstanding_accounts_and_deliveries_need_quantities(
        odoo: OdooSimulator) -> None:
    call = execute_kw(odoo)
    [partner] = call("res.partner", "create", [{"name": "Walk-in customer"}])
    journals = {j["code"]: j["id"] for j in call("account.journal", "search_read", [],
                                                  fields=["code"])}
    moves = []
    for move_type, journal in (("out_invoice", "CSH1"), ("out_refund", "BNK1")):
        [invoice] = call("account.move", "create", [{
            "move_type": move_type, "partner_id": partner,
            "invoice_line_ids": [[0, 0, {"name": "x", "quantity": 1, "price_unit": 5}]]}])
        call("account.move", "action_post", [invoice])
        [wizard] = call("account.payment.register", "create", [{
            "amount": 5, "journal_id": journals[journal], "communication": move_type}],
            context={"active_model": "account.move", "active_ids": [invoice]})
        call("account.payment.register", "action_create_payments", [wizard])
        moves.append(invoice)
    paid = call("account.move.line", "search_read", [["name", "in", ["out_invoice",
                                                                     "out_refund"]]],
                fields=["account_id", "debit", "credit"])
    assert sorted((line["account_id"][1], line["debit"], line["credit"]) for line in paid) == [
        ("101403", 5.0, 0.0), ("101404", 0.0, 5.0), ("121000", 0.0, 5.0),
        ("121000", 5.0, 0.0)]
    memo = "ref" if odoo.db.major == 17 else "memo"
    payments = call("account.payment", "search_read", [], fields=[memo, "state"])
    assert {p["state"] for p in payments} == {"posted" if odoo.db.major == 17 else "paid"}
    [product] = call("product.product", "create", [{"name": "P"}])
    [order] = call("sale.order", "create", [{"partner_id": partner, "order_line": [
        [0, 0, {"product_id": product, "product_uom_qty": 2}]]}])
    call("sale.order", "action_confirm", [order])
    [picking] = call("sale.order", "read", [order], fields=["picking_ids"])[0]["picking_ids"]
    [delivery] = call("stock.picking", "read", [picking], fields=["move_ids", "state"])
    assert delivery["state"] == "assigned"  # a consumable is always there to reserve
    call("stock.picking", "write", [picking], {"move_ids": [[1, delivery["move_ids"][0], {
        "quantity": 0, "picked": True}]]})
    with pytest.raises(RuntimeError, match="UserError"):
        call("stock.picking", "button_validate", [picking])
    call("stock.picking", "write", [picking], {"move_ids": [[1, delivery["move_ids"][0], {
        "quantity": 2, "picked": True}]]})
    assert call("stock.picking", "button_validate", [picking]) is True
    [line] = call("sale.order.line", "search_read", [["order_id", "=", order]],
                  fields=["qty_delivered"])
    assert line["qty_delivered"] == 2
