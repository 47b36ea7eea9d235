'use strict';
// The sender and the payload readers, without Vendure: `npm test` (node --test).

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { test } = require('node:test');

const { Sender, signature } = require('../src/sender');
const payloads = require('../src/payloads');

const quiet = { warn() {}, error() {} };

function receiver(statuses) {
    const seen = [];
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => {
            seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
            res.statusCode = statuses.length ? statuses.shift() : 200;
            res.end();
        });
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen })));
}

async function until(condition, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

test('retries with backoff, same delivery id, signed over the raw body', async () => {
    const { server, seen } = await receiver([503, 500]);
    const url = `http://127.0.0.1:${server.address().port}/webhooks/shop`;
    const sender = new Sender({ url, secret: 's3cret', logger: quiet, baseDelayMs: 20 });
    const id = sender.send('order.state', { id: '7', to: 'PaymentSettled' });
    await until(() => seen.length === 3 && sender.pending() === 0);
    sender.close();
    server.close();
    assert.deepEqual(new Set(seen.map((s) => s.headers['x-tillflow-delivery'])), new Set([id]));
    for (const { headers, body } of seen) {
        const expected = crypto.createHmac('sha256', 's3cret').update(body).digest('base64');
        assert.equal(headers['x-tillflow-signature'], expected);
        assert.equal(JSON.parse(body).topic, 'order.state');
    }
    assert.equal(signature('s3cret', seen[0].body), seen[0].headers['x-tillflow-signature']);
});

test('waits while tillflow is unreachable, then delivers', async () => {
    const port = await new Promise((resolve) => {
        const probe = http.createServer().listen(0, '127.0.0.1', () => {
            const { port: free } = probe.address();
            probe.close(() => resolve(free));
        });
    });
    const sender = new Sender({ url: `http://127.0.0.1:${port}/webhooks/shop`, secret: 'k',
        logger: quiet, baseDelayMs: 20, maxDelayMs: 50 });
    sender.send('customer.created', { id: '1' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(sender.pending(), 1);
    const seen = [];
    const server = http.createServer((req, res) => {
        seen.push(req.headers['x-tillflow-topic']);
        res.end();
    });
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    await until(() => seen.length === 1 && sender.pending() === 0);
    sender.close();
    server.close();
    assert.deepEqual(seen, ['customer.created']);
});

test('a refusal (4xx) is not retried', async () => {
    const { server, seen } = await receiver([401]);
    const sender = new Sender({ url: `http://127.0.0.1:${server.address().port}/x`, secret: 'k',
        logger: quiet, baseDelayMs: 10 });
    sender.send('product.updated', { id: '1' });
    await until(() => seen.length === 1 && sender.pending() === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    sender.close();
    server.close();
    assert.equal(seen.length, 1);
});

test('payload readers never throw on unloaded relations', () => {
    const hostile = new Proxy({}, { get() { throw new Error('relation not loaded'); } });
    const movement = { type: 'SALE', quantity: -1, stockLocationId: 1, productVariant: hostile,
        orderLine: hostile };
    assert.deepEqual(payloads.stockMovements({ type: 'SALE', stockMovements: [movement] }).movements[0],
        { type: 'SALE', variant_id: null, stock_location_id: '1', quantity: -1, order_id: null });
    assert.deepEqual(payloads.orderState({ order: hostile, fromState: 'A', toState: 'B' }),
        { id: null, code: null, from: 'A', to: 'B' });
    assert.deepEqual(payloads.variants({ entity: [{ id: 3, productId: 2, sku: 'X', enabled: true }] }),
        { variants: [{ id: '3', product_id: '2', sku: 'X', enabled: true }] });
    assert.deepEqual(payloads.product({ entity: hostile }), { id: null, enabled: null });
});
