'use strict';
// tillflow's Vendure plugin: see README.md.
const { TillflowPlugin } = require('./src/plugin');
const { Sender, signature } = require('./src/sender');
const { Sha256ApiKeyHashing } = require('./src/api-key-hashing');

module.exports = { TillflowPlugin, Sender, signature, Sha256ApiKeyHashing };
