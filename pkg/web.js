// Browsers and bundlers, ES modules: the module is fetched and compiled
// asynchronously, so `await init()` comes before the first `new Preflight(…)`.
// `init()` finds the .wasm beside this file (`new URL(…, import.meta.url)`,
// which bundlers understand); pass a URL, a Response or the module's bytes
// to load it from elsewhere.

import initGlue, * as glue from './wasm/web/preflight_wasm.js';
import { PolicyError, makePreflight, makePreflightIntegration } from './preflight.mjs';

let ready = false;

export async function init(moduleOrPath) {
  await initGlue(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
  ready = true;
}

export const Preflight = makePreflight(glue, () => ready);
/** The integration: made when the client sets it up, so after `await init()`. */
export const preflightIntegration = makePreflightIntegration(Preflight);
export { PolicyError };
