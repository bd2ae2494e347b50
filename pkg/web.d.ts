export * from './index';

/**
 * Loads the module (browsers and bundlers): before the first `new Preflight(…)`.
 * Without an argument the `.wasm` beside `web.js` is fetched; a URL, a
 * `Response`, the module's bytes or a compiled `WebAssembly.Module` may be given instead.
 */
export declare function init(
  moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
