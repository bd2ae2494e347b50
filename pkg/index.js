'use strict';
// Node, CommonJS: the module is loaded synchronously when required, so a
// `Preflight` can be made at once; the whole core's module (Relay's rules,
// the rule sections, the regex engine) is loaded the first time a policy needs it. The wrapper itself is preflight.mjs.

const core = require('./wasm/nodejs/preflight_wasm.js');
const { PolicyError, makePreflight, makePreflightIntegration } = require('./preflight.cjs');

let full;
const fullModule = () => {
  if (full === undefined) full = require('./wasm/nodejs/preflight_full.js');
  return full;
};

const Preflight = makePreflight({ core, full: fullModule }, () => true);
const preflightIntegration = makePreflightIntegration(Preflight);

module.exports = { Preflight, PolicyError, preflightIntegration };
