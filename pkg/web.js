// Browsers and bundlers, ES modules: the modules are fetched and compiled
// asynchronously, so `await init()` comes before the first `new Preflight(…)`;
// `preflightIntegration` may be given to `Sentry.init` before, and loads them.
// `init()` finds the .wasm beside this file (`new URL(…, import.meta.url)`,
// which bundlers understand); pass a URL, a Response or the module's bytes
// to load it from elsewhere.
//
// The core module leaves out Relay's rules (`scrub.relay`,
// `scrub.datascrubbing`), the policy's rule sections (`filters`,
// fingerprint rules, sampling rules) and the regex engine (custom
// patterns, a `params.redact_keys` regex that is not a list of words); the second module is the whole core,
// fetched only when `init` is told to: for a `policy` that needs it, or
// always when `full` is given without a policy.

import initCoreGlue, * as core from './wasm/web/preflight_wasm.js';
import initFullGlue, * as full from './wasm/web/preflight_full.js';
import { PolicyError, makePreflight, makePreflightIntegration, policyNeedsFullModule } from './preflight.mjs';

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
const fullModule = loader(initFullGlue);

export async function init(moduleOrPath, options) {
  await coreModule.load(moduleOrPath);
  const fullSource = options ? options.full : undefined;
  const wanted =
    options && options.policy !== undefined
      ? policyNeedsFullModule(core, options.policy)
      : fullSource !== undefined && fullSource !== false;
  if (wanted) await fullModule.load(fullSource === true || fullSource === false ? undefined : fullSource);
}

function fullGlue() {
  if (!fullModule.ready()) {
    const missing = new Error(
      "sentry-preflight: this policy uses Relay's rules or a rule section (filters, fingerprint or sampling rules), " +
        'which live in a second module: `await init(source, { policy })` loads it for the policy (or `{ full: true }`, or `{ full: url }`)',
    );
    // What the integration waits on (it loads the module) rather than throws.
    missing.fullModuleMissing = true;
    throw missing;
  }
  return full;
}

export const Preflight = makePreflight({ core, full: fullGlue }, coreModule.ready);
/**
 * The integration: usable before `init()` has finished (it starts the load,
 * from `options.module` and, for a policy that needs it, `options.fullModule`
 * when given); events wait for the modules.
 */
export const preflightIntegration = makePreflightIntegration(Preflight, {
  ready: coreModule.ready,
  load: (options, policy) => init(options && options.module, { policy, full: options && options.fullModule }),
});
export { PolicyError };
