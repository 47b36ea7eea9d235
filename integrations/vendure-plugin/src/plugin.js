'use strict';
// The Vendure plugin: subscribes to events (published after their transaction commits)
// and hands them to the Sender. Plain JavaScript, so decorators are applied by hand.

const core = require('@vendure/core');
const payloads = require('./payloads');
const { Sender } = require('./sender');

const loggerContext = 'TillflowPlugin';

// [event class name in @vendure/core, topic (null: "<prefix>.<event.type>"), payload]
const SUBSCRIPTIONS = [
    ['ProductEvent', 'product', payloads.product],
    ['ProductVariantEvent', 'variant', payloads.variants],
    ['StockMovementEvent', 'stock.movement', payloads.stockMovements],
    ['CustomerEvent', 'customer', payloads.customer],
    ['OrderStateTransitionEvent', 'order.state', payloads.orderState],
    ['OrderLineEvent', 'order.line', payloads.orderLine],
    ['RefundStateTransitionEvent', 'refund.state', payloads.refundState],
];

function topicOf(base, event) {
    if (base.includes('.')) return base;
    const type = payloads.read(() => event.type);
    return typeof type === 'string' ? `${base}.${type}` : base;
}

const logger = {
    warn: (message) => core.Logger.warn(message, loggerContext),
    error: (message) => core.Logger.error(message, loggerContext),
};

class TillflowPlugin {
    constructor(eventBus) {
        this.eventBus = eventBus;
        this.subscriptions = [];
        this.sender = null;
    }

    // options: { url: tillflow's webhook URL for this connection, secret, timeoutMs?, ... }
    static init(options) {
        if (!options || !options.url || !options.secret) {
            throw new Error('TillflowPlugin.init needs { url, secret }');
        }
        TillflowPlugin.options = { ...options };
        return TillflowPlugin;
    }

    onApplicationBootstrap() {
        const options = TillflowPlugin.options;
        if (!options) {
            core.Logger.warn('TillflowPlugin loaded without init(): nothing is sent', loggerContext);
            return;
        }
        this.sender = new Sender({ logger, ...options });
        for (const [name, base, describe] of SUBSCRIPTIONS) {
            const type = core[name];
            if (!type) continue; // an older Vendure without this event
            this.subscriptions.push(this.eventBus.ofType(type).subscribe({
                next: (event) => this.forward(base, describe, event),
                error: (err) => logger.error(`event stream ${name} ended: ${err && err.message}`),
            }));
        }
    }

    forward(base, describe, event) {
        try {
            this.sender.send(topicOf(base, event), describe(event));
        } catch (err) {
            logger.error(`could not forward ${base}: ${err && err.message}`);
        }
    }

    onApplicationShutdown() {
        for (const subscription of this.subscriptions) subscription.unsubscribe();
        this.subscriptions = [];
        if (this.sender) this.sender.close();
    }
}

Reflect.defineMetadata('design:paramtypes', [core.EventBus], TillflowPlugin);
// Orders tillflow makes from till sales carry the sale's identifier, so tillflow finds
// an order an earlier try made instead of making a second one.
function configuration(config) {
    const fields = config.customFields.Order || (config.customFields.Order = []);
    if (!fields.some((field) => field.name === 'tillflowSaleId')) {
        fields.push({
            name: 'tillflowSaleId',
            type: 'string',
            nullable: true,
            unique: true,
            internal: false,
            public: false,
            readonly: false,
            label: [{ languageCode: 'en', value: 'tillflow sale' }],
        });
    }
    return config;
}

core.VendurePlugin({
    imports: [core.PluginCommonModule],
    configuration,
    compatibility: '^3.6.0',
})(TillflowPlugin);

module.exports = { TillflowPlugin };
