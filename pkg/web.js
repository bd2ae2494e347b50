// Browsers and bundlers, ES modules: the modules are fetched and compiled
// asynchronously, so `await init()` comes before the first `new Preflight(…)`;
// `preflightIntegration` may be given to `Sentry.init` before, and loads them.
// `init()` finds the .wasm beside this file (`new URL(…, import.meta.url)`,
// which bundlers understand); pass a URL, a Response or the module's bytes
// to load it from elsewhere.
//
// The core module leaves Relay's rules out (a policy with `scrub.relay` or
// `scrub.datascrubbing` needs them); the second module holds the core with
// them, and is fetched only when `init` is told to: for a `policy` that
// needs it, or always when `relay` is given without a policy.

import initCoreGlue, * as core from './wasm/web/preflight_wasm.js';
import initRelayGlue, * as relay from './wasm/web/preflight_relay.js';
import { PolicyError, makePreflight, makePreflightIntegration, policyNeedsRelayRules } from './preflight.mjs';

/** One module's load, started once; a failed load may be tried again (another URL, the network back). */
function loader(initGlue) {
  let ready = false;
  let loading;
  return {
    ready: () => ready,
    load(source) {
      if (!loading) {
        loading = initGlue(source === undefined ? undefined : { module_or_path: source }).then(
          () => {
            ready = true;
          },
          (error) => {
            loading = undefined;
            throw error;
          },
        );
      }
      return loading;
    },
  };
}

const coreModule = loader(initCoreGlue);
const relayModule = loader(initRelayGlue);

export async function init(moduleOrPath, options) {
  await coreModule.load(moduleOrPath);
  const relaySource = options ? options.relay : undefined;
  const wanted =
    options && options.policy !== undefined
      ? policyNeedsRelayRules(core, options.policy)
      : relaySource !== undefined && relaySource !== false;
  if (wanted) await relayModule.load(relaySource === true || relaySource === false ? undefined : relaySource);
}

function relayGlue() {
  if (!relayModule.ready()) {
    const missing = new Error(
      "sentry-preflight: this policy uses Relay's rules (scrub.relay or scrub.datascrubbing), which live in a second module: " +
        '`await init(source, { policy })` loads it for the policy (or `{ relay: true }`, or `{ relay: url }`)',
    );
    // What the integration waits on (it loads the module) rather than throws.
    missing.relayModuleMissing = true;
    throw missing;
  }
  return relay;
}

export const Preflight = makePreflight({ core, relay: relayGlue }, coreModule.ready);
/**
 * The integration: usable before `init()` has finished (it starts the load,
 * from `options.module` and, for a policy that needs it, `options.relayModule`
 * when given); events wait for the modules.
 */
export const preflightIntegration = makePreflightIntegration(Preflight, {
  ready: coreModule.ready,
  load: (options, policy) => init(options && options.module, { policy, relay: options && options.relayModule }),
});
export { PolicyError };
