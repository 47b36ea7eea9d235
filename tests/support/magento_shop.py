"""A shopper and a merchant at the simulated Magento store, through its REST API: the
guest checkout a storefront runs, and the admin's shipping, cancelling and refunding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx2 as httpx

from tillflow_simulators.magento import MagentoSimulator

ADDRESS = {"firstname": "Ada", "lastname": "Shopper", "street": ["1 Main Street"],
           "city": "Austin", "region": "Texas", "region_id": 57, "region_code": "TX",
           "postcode": "78701", "country_id": "US", "telephone": "5125550100"}


def checkout(sim: MagentoSimulator, lines: Sequence[tuple[str, int]], *,
             email: str = "shopper@example.com") -> str:
    """A guest checkout with flat-rate shipping and check / money order; the order id."""
    address = {**ADDRESS, "email": email}
    with httpx.Client(base_url=f"{sim.rest_url}/default", timeout=10) as rest:
        cart = _ok(rest.post("/V1/guest-carts"))
        for sku, qty in lines:
            _ok(rest.post(f"/V1/guest-carts/{cart}/items",
                          json={"cartItem": {"sku": sku, "qty": qty, "quote_id": cart}}))
        _ok(rest.post(f"/V1/guest-carts/{cart}/shipping-information", json={
            "addressInformation": {"shipping_address": address, "billing_address": address,
                                   "shipping_carrier_code": "flatrate",
                                   "shipping_method_code": "flatrate"}}))
        order = _ok(rest.post(f"/V1/guest-carts/{cart}/payment-information", json={
            "email": email, "paymentMethod": {"method": "checkmo"},
            "billingAddress": address}))
    return str(order)


def admin(sim: MagentoSimulator) -> httpx.Client:
    assert sim.access_token is not None, "the simulator was started without a bearer token"
    return httpx.Client(base_url=f"{sim.rest_url}/default", timeout=10,
                        headers={"Authorization": f"Bearer {sim.access_token}"})


def invoice(sim: MagentoSimulator, order_id: str) -> Any:
    """The check arrived: the order is invoiced in full."""
    with admin(sim) as rest:
        return _ok(rest.post(f"/V1/order/{order_id}/invoice", json={"capture": False}))


def ship(sim: MagentoSimulator, order_id: str) -> Any:
    with admin(sim) as rest:
        return _ok(rest.post(f"/V1/order/{order_id}/ship", json={}))


def cancel(sim: MagentoSimulator, order_id: str) -> Any:
    with admin(sim) as rest:
        return _ok(rest.post(f"/V1/orders/{order_id}/cancel"))


def refund(sim: MagentoSimulator, order_id: str, items: dict[int, int]) -> Any:
    """An offline credit memo of ``items`` (order item id → quantity), shipping kept."""
    with admin(sim) as rest:
        return _ok(rest.post(f"/V1/order/{order_id}/refund", json={
            "items": [{"order_item_id": i, "qty": q} for i, q in items.items()],
            "arguments": {"shipping_amount": 0}}))


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()
