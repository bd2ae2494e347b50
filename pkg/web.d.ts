export * from './index';

/** Where a module comes from, as `init` takes it. */
export type ModuleSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the modules (browsers and bundlers): before the first `new Preflight(…)`.
 * Without an argument the core's `.wasm` beside `web.js` is fetched; a URL, a
 * `Response`, the module's bytes or a compiled `WebAssembly.Module` may be given instead.
 *
 * Relay's rules (`scrub.relay`, `scrub.datascrubbing`), the policy's rule
 * sections (`filters`, `fingerprint.rules` and `parameterize_messages`, the
 * rules of `sampling.traces` and `sampling.errors`) and the regex engine (a
 * custom `scrub.patterns` regex, a `params.redact_keys` that is more than a
 * list of words) live in a second module
 * (`sentry-preflight/preflight-full.wasm`), fetched only when asked: with
 * `policy`, when that policy needs it (from `full` when given, else beside
 * `web.js`; `full: false` does not keep out what the policy needs); without
 * `policy`, when `full` is given (`true`: beside `web.js`).
 */
export declare function init(
  moduleOrPath?: ModuleSource,
  options?: { policy?: import('./index').Policy | string; full?: ModuleSource | boolean },
): Promise<void>;

/**
 * Every hook at once (see `index.d.ts`), usable before `init()` has finished:
 * the client's setup starts the load (from `options.module` when given, as
 * `init` takes it), events and transactions wait for the module, and
 * breadcrumbs, logs and metrics follow the policy's `on_error` meanwhile.
 */
export declare function preflightIntegration(
  policy?: import('./index').Policy | string,
  options?: import('./index').PreflightOptions & {
    module?: ModuleSource;
    /** Where the whole core's module is, for a policy that needs it. */
    fullModule?: ModuleSource;
  },
): { name: 'Preflight'; setup(client: { getOptions(): Record<string, unknown> }): void };

