// Browsers and bundlers, ES modules: the module is fetched and compiled
// asynchronously, so `await init()` comes before the first `new Preflight(…)`;
// `preflightIntegration` may be given to `Sentry.init` before, and loads it.
// `init()` finds the .wasm beside this file (`new URL(…, import.meta.url)`,
// which bundlers understand); pass a URL, a Response or the module's bytes
// to load it from elsewhere.

import initGlue, * as glue from './wasm/web/preflight_wasm.js';
import { PolicyError, makePreflight, makePreflightIntegration } from './preflight.mjs';

let ready = false;
let loading;

export function init(moduleOrPath) {
  if (!loading) {
    loading = initGlue(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(
      () => {
        ready = true;
      },
      (error) => {
        // A failed load may be tried again (another URL, the network back).
        loading = undefined;
        throw error;
      },
    );
  }
  return loading;
}

export const Preflight = makePreflight(glue, () => ready);
/**
 * The integration: usable before `init()` has finished (it starts the load,
 * from `options.module` when given); events wait for the module.
 */
export const preflightIntegration = makePreflightIntegration(Preflight, { ready: () => ready, load: init });
export { PolicyError };
