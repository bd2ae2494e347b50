'use strict';
// Node, CommonJS: the module is loaded synchronously when required, so a
// `Preflight` can be made at once. The wrapper itself is preflight.mjs.

const glue = require('./wasm/nodejs/preflight_wasm.js');
const { PolicyError, makePreflight, makePreflightIntegration } = require('./preflight.cjs');

const Preflight = makePreflight(glue, () => true);
const preflightIntegration = makePreflightIntegration(Preflight);

module.exports = { Preflight, PolicyError, preflightIntegration };
