"""The Multi-Source Inventory routes: sources, stocks, links, source items, salability."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.magento import inventory, payloads, search
from tillflow_simulators.magento.endpoints import Call, Endpoint, Endpoints
from tillflow_simulators.magento.errors import MagentoError, NoSuchEntity
from tillflow_simulators.magento.model import Source, Stock, StockSourceLink

SOURCE_FIELDS = ("source_code", "name", "enabled", "country_id", "postcode")


def _listed(call: Call, rows: list[dict[str, Any]]) -> Any:
    page, total, criteria = search.search(rows, call.arg("searchCriteria"), call.store.settings)
    return payloads.results(list(page), total, criteria)


def list_sources(call: Call) -> Any:
    return _listed(call, [payloads.source(s) for s in call.store.sources.values()])


def get_source(call: Call) -> Any:
    return payloads.source(_source(call, call.args["sourceCode"]))


def save_source(call: Call) -> Any:
    data = dict(call.arg("source", {}))
    code = str(call.args.get("sourceCode") or data.get("source_code") or "")
    if not code or not data.get("name"):
        missing = "source_code" if not code else "name"
        raise MagentoError('"%field" can not be empty.', {"field": missing})
    existing = call.store.sources.get(code)
    source = existing or Source(code, str(data["name"]))
    source.name = str(data.get("name") or source.name)
    if data.get("enabled") is not None:
        source.enabled = bool(data["enabled"])
    source.country_id = str(data.get("country_id") or source.country_id)
    source.postcode = str(data.get("postcode") or source.postcode)
    source.details.update(
        {
            k: v
            for k, v in data.items()
            if k not in SOURCE_FIELDS and v is not None and k != "extension_attributes"
        }
    )
    call.store.sources[code] = source


def list_stocks(call: Call) -> Any:
    return _listed(call, [payloads.stock(s) for s in call.store.stocks.values()])


def get_stock(call: Call) -> Any:
    return payloads.stock(_stock(call, int(call.args["stockId"])))


def save_stock(call: Call) -> Any:
    data = dict(call.arg("stock", {}))
    stock_id = call.args.get("stockId") or data.get("stock_id")
    if not data.get("name"):
        raise MagentoError('"%field" can not be empty.', {"field": "name"})
    channels = ((data.get("extension_attributes") or {}).get("sales_channels")) or []
    stock = call.store.stocks.get(int(stock_id)) if stock_id else None
    if stock is None:
        stock = Stock(
            int(stock_id) if stock_id else call.store.next_id("stock") + 1, str(data["name"])
        )
        call.store.stocks[stock.stock_id] = stock
    stock.name = str(data["name"])
    if channels:
        wanted = [(str(c.get("type")), str(c.get("code"))) for c in channels]
        for other in call.store.stocks.values():
            other.sales_channels = [c for c in other.sales_channels if c not in wanted]
        stock.sales_channels = wanted
    return stock.stock_id


def delete_stock(call: Call) -> Any:
    stock = _stock(call, int(call.args["stockId"]))
    if stock.stock_id == 1:
        raise MagentoError("Default Stock could not be deleted.")
    del call.store.stocks[stock.stock_id]
    call.store.links = [link for link in call.store.links if link.stock_id != stock.stock_id]


def list_links(call: Call) -> Any:
    return _listed(call, [payloads.link(link) for link in call.store.links])


def save_links(call: Call) -> Any:
    for raw in call.arg("links", []):
        stock_id, code = int(raw.get("stock_id") or 0), str(raw.get("source_code") or "")
        _stock(call, stock_id)
        _source(call, code)
        call.store.links = [
            link
            for link in call.store.links
            if (link.stock_id, link.source_code) != (stock_id, code)
        ]
        call.store.links.append(StockSourceLink(stock_id, code, int(raw.get("priority") or 0)))


def delete_links(call: Call) -> Any:
    gone = {
        (int(raw.get("stock_id") or 0), str(raw.get("source_code")))
        for raw in call.arg("links", [])
    }
    call.store.links = [
        link for link in call.store.links if (link.stock_id, link.source_code) not in gone
    ]


def list_source_items(call: Call) -> Any:
    items = sorted(call.store.source_items.values(), key=lambda i: (i.sku.lower(), i.source_code))
    return _listed(call, [payloads.source_item(i) for i in items])


def save_source_items(call: Call) -> Any:
    inventory.save_source_items(call.store, call.arg("sourceItems", []))


def delete_source_items(call: Call) -> Any:
    inventory.delete_source_items(call.store, call.arg("sourceItems", []))


def salable_quantity(call: Call) -> Any:
    return inventory.salable_quantity(call.store, call.args["sku"], int(call.args["stockId"]))


def is_salable(call: Call) -> Any:
    try:
        return (
            inventory.salable_quantity(call.store, call.args["sku"], int(call.args["stockId"])) > 0
        )
    except MagentoError:
        return False


def is_salable_for_qty(call: Call) -> Any:
    sku, stock_id = call.args["sku"], int(call.args["stockId"])
    salable = inventory.salable_quantity(call.store, sku, stock_id) >= call.args["requestedQty"]
    errors = (
        []
        if salable
        else [
            {"code": "is_correct_qty-max_sale_qty", "message": "The requested qty is not available"}
        ]
    )
    return {"salable": salable, "errors": errors}


def stock_resolver(call: Call) -> Any:
    wanted = (call.args["type"], call.args["code"])
    for stock in call.store.stocks.values():
        if wanted in stock.sales_channels:
            return payloads.stock(stock)
    raise NoSuchEntity(
        'No linked stock found for type "%type" and code "%code"',
        {"type": wanted[0], "code": wanted[1]},
    )


def _source(call: Call, code: str) -> Source:
    source = call.store.sources.get(code)
    if source is None:
        raise NoSuchEntity('Source with code "%value" does not exist.', {"value": code})
    return source


def _stock(call: Call, stock_id: int) -> Stock:
    stock = call.store.stocks.get(stock_id)
    if stock is None:
        raise NoSuchEntity('Stock with id "%value" does not exist.', {"value": stock_id})
    return stock


ENDPOINTS: Endpoints = {
    ("GET", "/V1/inventory/sources"): Endpoint(list_sources),
    ("POST", "/V1/inventory/sources"): Endpoint(save_source),
    ("GET", "/V1/inventory/sources/:sourceCode"): Endpoint(get_source),
    ("PUT", "/V1/inventory/sources/:sourceCode"): Endpoint(save_source),
    ("GET", "/V1/inventory/stocks"): Endpoint(list_stocks),
    ("POST", "/V1/inventory/stocks"): Endpoint(save_stock),
    ("GET", "/V1/inventory/stocks/:stockId"): Endpoint(get_stock),
    ("PUT", "/V1/inventory/stocks/:stockId"): Endpoint(save_stock),
    ("DELETE", "/V1/inventory/stocks/:stockId"): Endpoint(delete_stock),
    ("GET", "/V1/inventory/stock-source-links"): Endpoint(list_links, criteria_required=True),
    ("POST", "/V1/inventory/stock-source-links"): Endpoint(save_links),
    ("POST", "/V1/inventory/stock-source-links-delete"): Endpoint(delete_links),
    ("GET", "/V1/inventory/source-items"): Endpoint(list_source_items, criteria_required=True),
    ("POST", "/V1/inventory/source-items"): Endpoint(save_source_items),
    ("POST", "/V1/inventory/source-items-delete"): Endpoint(delete_source_items),
    ("GET", "/V1/inventory/get-product-salable-quantity/:sku/:stockId"): Endpoint(salable_quantity),
    ("GET", "/V1/inventory/is-product-salable/:sku/:stockId"): Endpoint(is_salable),
    (
        "GET",
        "/V1/inventory/is-product-salable-for-requested-qty/:sku/:stockId/:requestedQty",
    ): Endpoint(is_salable_for_qty),
    ("GET", "/V1/inventory/stock-resolver/:type/:code"): Endpoint(stock_resolver),
}
