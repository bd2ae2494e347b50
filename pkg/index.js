'use strict';
// Node, CommonJS: the module is loaded synchronously when required, so a
// `Preflight` can be made at once; the module with Relay's rules is loaded
// the first time a policy needs it. The wrapper itself is preflight.mjs.

const core = require('./wasm/nodejs/preflight_wasm.js');
const { PolicyError, makePreflight, makePreflightIntegration } = require('./preflight.cjs');

let relay;
const relayModule = () => {
  if (relay === undefined) relay = require('./wasm/nodejs/preflight_relay.js');
  return relay;
};

const Preflight = makePreflight({ core, relay: relayModule }, () => true);
const preflightIntegration = makePreflightIntegration(Preflight);

module.exports = { Preflight, PolicyError, preflightIntegration };
