'use strict';
// Delivers signed webhooks to tillflow: at least once while this process lives, with
// capped exponential backoff and jitter, in order of occurrence per delivery. A full queue
// drops its oldest entry (tillflow's polling and reconciliation recover what is dropped).
// Nothing here ever throws to the caller.

const crypto = require('node:crypto');

const DEFAULTS = {
    timeoutMs: 5000,
    baseDelayMs: 500,
    maxDelayMs: 60000,
    maxAgeMs: 24 * 3600 * 1000,
    maxQueue: 10000,
    concurrency: 4,
};

function signature(secret, body) {
    return crypto.createHmac('sha256', secret).update(body).digest('base64');
}

function permanent(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

class Sender {
    constructor(options) {
        this.url = options.url;
        this.secret = options.secret;
        this.options = { ...DEFAULTS, ...options };
        this.log = options.logger || console;
        this.fetch = options.fetch || globalThis.fetch;
        this.random = options.random || Math.random;
        this.queue = [];
        this.inFlight = 0;
        this.timer = null;
        this.closed = false;
        this.failing = false;
    }

    // Queues one delivery; returns its id.
    send(topic, data) {
        const id = crypto.randomUUID();
        try {
            const body = JSON.stringify({ id, topic, occurred_at: new Date().toISOString(), data });
            if (this.queue.length >= this.options.maxQueue) {
                const dropped = this.queue.shift();
                this.log.warn(`tillflow: queue full, dropped delivery ${dropped.id} (${dropped.topic})`);
            }
            this.queue.push({ id, topic, body, attempts: 0, due: 0, since: Date.now() });
            this.pump();
        } catch (err) {
            this.log.error(`tillflow: could not queue ${topic}: ${err && err.message}`);
        }
        return id;
    }

    pending() {
        return this.queue.length + this.inFlight;
    }

    close() {
        this.closed = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
    }

    pump() {
        if (this.closed) return;
        const now = Date.now();
        while (this.inFlight < this.options.concurrency) {
            const index = this.queue.findIndex((item) => item.due <= now);
            if (index < 0) break;
            const [item] = this.queue.splice(index, 1);
            this.inFlight += 1;
            this.deliver(item)
                .catch((err) => this.log.error(`tillflow: delivery ${item.id} failed: ${err && err.message}`))
                .finally(() => {
                    this.inFlight -= 1;
                    this.pump();
                });
        }
        this.schedule();
    }

    schedule() {
        if (this.timer || this.closed || !this.queue.length) return;
        const next = Math.min(...this.queue.map((item) => item.due));
        const wait = Math.max(10, next - Date.now());
        this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
        }, wait);
        if (this.timer.unref) this.timer.unref();
    }

    async deliver(item) {
        let status = 0;
        let problem = '';
        try {
            const response = await this.fetch(this.url, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    'x-tillflow-topic': item.topic,
                    'x-tillflow-delivery': item.id,
                    'x-tillflow-signature': signature(this.secret, item.body),
                },
                body: item.body,
                signal: AbortSignal.timeout(this.options.timeoutMs),
            });
            status = response.status;
            if (response.body && response.body.cancel) await response.body.cancel();
        } catch (err) {
            problem = (err && ((err.cause && err.cause.code) || err.name)) || 'error';
        }
        if (status >= 200 && status < 300) {
            if (this.failing) this.log.warn('tillflow: reachable again, delivering the backlog');
            this.failing = false;
            return;
        }
        if (permanent(status)) {
            this.log.error(`tillflow: delivery ${item.id} (${item.topic}) refused with ${status}`);
            return;
        }
        this.retry(item, status ? `HTTP ${status}` : problem);
    }

    retry(item, reason) {
        item.attempts += 1;
        if (Date.now() - item.since > this.options.maxAgeMs) {
            this.log.error(`tillflow: gave up on delivery ${item.id} (${item.topic}): ${reason}`);
            return;
        }
        const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(item.attempts - 1, 20));
        item.due = Date.now() + cap * (0.5 + this.random() / 2);
        this.queue.push(item);
        if (!this.failing) {
            this.failing = true;
            this.log.warn(`tillflow: not reachable (${reason}); deliveries wait and are retried`);
        }
    }
}

module.exports = { Sender, signature };
