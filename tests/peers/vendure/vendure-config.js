'use strict';
// The Vendure the tests run against: SQLite through sql.js in one file, loopback only,
// API keys allowed, the dummy payment handler, and tillflow's plugin from
// integrations/vendure-plugin posting to TILLFLOW_WEBHOOK_URL.

const path = require('node:path');
const {
    DefaultLogger, LogLevel, RandomBytesApiKeyStrategy, dummyPaymentHandler,
} = require('@vendure/core');

const root = path.resolve(__dirname, '..', '..', '..');
const { TillflowPlugin, Sha256ApiKeyHashing } = require(path.join(root, 'integrations', 'vendure-plugin'));

function env(name, fallback) {
    const value = process.env[name];
    if (value === undefined || value === '') {
        if (fallback === undefined) throw new Error(`${name} is not set`);
        return fallback;
    }
    return value;
}

function buildConfig() {
    // Without a webhook URL the plugin still adds its order field, and sends nothing.
    const plugins = [process.env.TILLFLOW_WEBHOOK_URL
        ? TillflowPlugin.init({
            url: env('TILLFLOW_WEBHOOK_URL'),
            secret: env('TILLFLOW_WEBHOOK_SECRET'),
            baseDelayMs: Number(env('TILLFLOW_RETRY_BASE_MS', '500')),
        })
        : TillflowPlugin];
    return {
        apiOptions: {
            hostname: '127.0.0.1',
            cors: { origin: false },
            csrfPrevention: true,
            port: Number(env('VENDURE_PORT')),
            adminApiPath: 'admin-api',
            shopApiPath: 'shop-api',
        },
        authOptions: {
            tokenMethod: ['bearer', 'cookie', 'api-key'],
            superadminCredentials: {
                identifier: env('VENDURE_SUPERADMIN', 'superadmin'),
                password: env('VENDURE_SUPERADMIN_PASSWORD', 'superadmin'),
            },
            cookieOptions: { secret: 'tillflow-peer-cookie' },
            requireVerification: false,
            adminApiKeyStrategy: new RandomBytesApiKeyStrategy({ hashingStrategy: new Sha256ApiKeyHashing() }),
        },
        dbConnectionOptions: {
            type: 'sqljs',
            location: env('VENDURE_DB'),
            autoSave: true,
            synchronize: true,
            logging: false,
        },
        paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
        logger: new DefaultLogger({ level: LogLevel[env('VENDURE_LOG_LEVEL', 'Warn')] }),
        plugins,
    };
}

module.exports = { buildConfig };
