export * from './index';

/**
 * Loads the module (browsers and bundlers): before the first `new Preflight(…)`.
 * Without an argument the `.wasm` beside `web.js` is fetched; a URL, a
 * `Response`, the module's bytes or a compiled `WebAssembly.Module` may be given instead.
 */
export declare function init(
  moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
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
    module?: string | URL | Request | Response | BufferSource | WebAssembly.Module;
  },
): { name: 'Preflight'; setup(client: { getOptions(): Record<string, unknown> }): void };

