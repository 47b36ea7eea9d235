'use strict';
// Vendure checks an API key against its stored hash on every request, with bcrypt by
// default: a few hundred milliseconds of CPU per call. An API key is 32 random bytes, so
// a plain SHA-256 is as safe for it as bcrypt and takes microseconds. Use it with
// `authOptions.adminApiKeyStrategy: new RandomBytesApiKeyStrategy({ hashingStrategy:
// new Sha256ApiKeyHashing() })` (keys made before the change must be made again).

const crypto = require('node:crypto');

const PREFIX = 'sha256:';

class Sha256ApiKeyHashing {
    hash(plaintext) {
        return Promise.resolve(PREFIX + crypto.createHash('sha256').update(plaintext).digest('hex'));
    }

    check(plaintext, hash) {
        const expected = Buffer.from(PREFIX + crypto.createHash('sha256').update(plaintext).digest('hex'));
        const stored = Buffer.from(String(hash));
        return Promise.resolve(stored.length === expected.length && crypto.timingSafeEqual(stored, expected));
    }
}

module.exports = { Sha256ApiKeyHashing };
