'use strict';
// Starts the peer: `node start.js`. A database file that does not exist yet is created
// and seeded (zone, country, tax rate, shipping and the dummy payment method) first.
// Prints "tillflow-vendure-peer ready <port>" once it serves, which is later than /health.

const fs = require('node:fs');
const { bootstrap } = require('@vendure/core');
const { populate } = require('@vendure/core/cli');
const { buildConfig } = require('./vendure-config');

const initialData = {
    defaultLanguage: 'en',
    defaultZone: 'Europe',
    countries: [
        { code: 'GB', name: 'United Kingdom', zone: 'Europe' },
        { code: 'US', name: 'United States of America', zone: 'Americas' },
    ],
    taxRates: [{ name: 'Standard Tax', percentage: 0 }],
    shippingMethods: [{ name: 'Standard Shipping', price: 0 }],
    paymentMethods: [{
        name: 'Dummy Payment',
        handler: { code: 'dummy-payment-handler', arguments: [{ name: 'automaticSettle', value: 'true' }] },
    }],
    collections: [],
};

async function main() {
    process.env.VENDURE_DISABLE_TELEMETRY = 'true';
    const config = buildConfig();
    const fresh = !fs.existsSync(config.dbConnectionOptions.location);
    const app = fresh
        ? await populate(() => bootstrap(config), initialData)
        : await bootstrap(config);
    const stop = () => app.close().then(() => process.exit(0), () => process.exit(1));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    console.log(`tillflow-vendure-peer ready ${config.apiOptions.port}`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
