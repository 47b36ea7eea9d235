'use strict';
// What each Vendure event tells tillflow: ids and a few fields, read defensively. An event
// may carry entities whose relations were never loaded; reading one must not throw inside
// Vendure's event bus, so every read goes through `read`, and tillflow fetches the current
// state through the Admin API anyway.

function read(fn) {
    try {
        const value = fn();
        return value === undefined ? null : value;
    } catch (err) {
        return null;
    }
}

function id(value) {
    return value === null || value === undefined ? null : String(value);
}

function product(event) {
    const entity = event.entity || {};
    return { id: id(read(() => entity.id)), enabled: read(() => entity.enabled) };
}

function variants(event) {
    const list = Array.isArray(event.entity) ? event.entity : [event.entity];
    return {
        variants: list.filter(Boolean).map((v) => ({
            id: id(read(() => v.id)),
            product_id: id(read(() => v.productId)),
            sku: read(() => v.sku),
            enabled: read(() => v.enabled),
        })),
    };
}

function stockMovements(event) {
    const list = read(() => event.stockMovements) || [];
    return {
        type: read(() => event.type),
        movements: list.map((m) => ({
            type: read(() => m.type),
            variant_id: id(read(() => m.productVariant && m.productVariant.id)),
            stock_location_id: id(read(() => m.stockLocationId)),
            quantity: read(() => m.quantity),
            order_id: id(read(() => m.orderLine && m.orderLine.orderId)),
        })),
    };
}

function customer(event) {
    const entity = event.entity || {};
    return { id: id(read(() => entity.id)) };
}

function orderState(event) {
    return {
        id: id(read(() => event.order.id)),
        code: read(() => event.order.code),
        from: read(() => event.fromState),
        to: read(() => event.toState),
    };
}

function orderLine(event) {
    return {
        id: id(read(() => event.order.id) || read(() => event.orderLine.orderId)),
        line_id: id(read(() => event.orderLine.id)),
        change: read(() => event.type),
    };
}

function refundState(event) {
    return {
        id: id(read(() => event.order.id)),
        refund_id: id(read(() => event.refund.id)),
        to: read(() => event.toState),
    };
}

module.exports = { product, variants, stockMovements, customer, orderState, orderLine, refundState, read };
