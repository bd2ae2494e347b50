'use strict';
// The npm face of preflight: Sentry hooks backed by the Rust core in WASM.
//
// Everything that decides anything lives in the core. This wrapper only
// turns JS values into JSON text and back (JSON.stringify/JSON.parse are
// native and cheaper than crossing the WASM boundary object by object),
// turns the core's policy errors into `PolicyError`, and makes the hooks
// safe to pass unbound: `beforeSend: pf.beforeSend`.

const { WasmPreflight } = require('./wasm/preflight_wasm.js');

/** A policy that cannot be loaded: `path` is the JSON path, `reason` says why. */
class PolicyError extends Error {
  constructor(path, reason) {
    super(path ? `${path}: ${reason}` : `policy: ${reason}`);
    this.name = 'PolicyError';
    this.path = path;
    this.reason = reason;
  }
}

const SDK_INTERNAL = 'sdkProcessingMetadata';

/** What the core reads of a sampling context, in @sentry/core's, sentry-python's and its own spelling. */
const SAMPLING_MEMBERS = [
  'name',
  'op',
  'attributes',
  'parentSampled',
  'parentSampleRate',
  'traceId',
  'sampleRand',
  'transaction_context',
  'trace_id',
  'parent_sampled',
  'parent_sample_rate',
  'sample_rand',
  'environment',
  'release',
];

/** A shallow copy of the event without the SDK's own member. */
function withoutInternal(event) {
  const { [SDK_INTERNAL]: _internal, ...rest } = event;
  return rest;
}

function policyText(policy) {
  if (typeof policy === 'string') return policy;
  const text = JSON.stringify(policy === undefined ? {} : policy);
  if (text === undefined) throw new PolicyError('', 'expected an object or JSON text');
  return text;
}

function loadCore(policy) {
  try {
    return new WasmPreflight(policyText(policy));
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    if (typeof error === 'string') {
      const { path, reason } = JSON.parse(error);
      throw new PolicyError(path, reason);
    }
    throw new PolicyError('', String(error && error.message ? error.message : error));
  }
}

/**
 * What the core needs from the SDK's hint: the names of the error's class and
 * its base classes and an HTTP status it carries (for the filters), and the
 * `tags`, `contexts` and `fingerprint` it carries (merged into the event).
 */
function hintText(hint, now) {
  const error = hint ? hint.originalException : undefined;
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return JSON.stringify({ now });
  try {
    const names = [];
    if (typeof error.name === 'string' && error.name) names.push(error.name);
    for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const name = proto.constructor && proto.constructor.name;
      if (typeof name === 'string' && name && !names.includes(name)) names.push(name);
    }
    const status = [error.status, error.statusCode].find((s) => Number.isInteger(s) && s >= 100 && s <= 599);
    const plainObject = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined);
    return JSON.stringify({
      now,
      exception_types: names,
      status_code: status,
      tags: plainObject(error.tags),
      contexts: plainObject(error.contexts),
      fingerprint: Array.isArray(error.fingerprint) ? error.fingerprint : undefined,
    });
  } catch (_) {
    return JSON.stringify({ now });
  }
}

/** Seconds from the caller's clock; a clock that throws or gives no number gives no time. */
function reader(clock) {
  if (clock === undefined) return () => Date.now() / 1000;
  return () => {
    try {
      const now = clock();
      return typeof now === 'number' && Number.isFinite(now) ? now : undefined;
    } catch (_) {
      return undefined;
    }
  };
}

class Preflight {
  /**
   * @param {object|string} [policy] the policy as an object or JSON text; omitted = defaults.
   * @param {{clock?: () => number}} [options] `clock`: seconds since the epoch, for budgets and time-ranged rules.
   */
  constructor(policy, options) {
    const core = loadCore(policy);
    const dropsOnError = core.dropsOnError();
    const now = reader(options ? options.clock : undefined);

    // An input the core never saw (not serialisable) or a trap inside WASM
    // follows the policy's on_error: drop (null) or send as it is.
    const run = (input, method, hint) => {
      // The SDK keeps its own state on the event (`sdkProcessingMetadata`:
      // scopes, the sampling context). It is never sent, it is circular, and
      // the SDK reads it after the hook, so it skips the core and is put back.
      const internal = input !== null && typeof input === 'object' ? input[SDK_INTERNAL] : undefined;
      let text;
      try {
        text = JSON.stringify(internal === undefined ? input : withoutInternal(input));
      } catch (_) {
        text = undefined;
      }
      if (text === undefined) return dropsOnError ? null : input;
      let processed;
      try {
        processed = core[method](text, hint);
      } catch (_) {
        return dropsOnError ? null : input;
      }
      const output = processed.output;
      processed.free();
      if (output === undefined) return null;
      const result = JSON.parse(output);
      if (internal !== undefined) result[SDK_INTERNAL] = internal;
      return result;
    };

    this.beforeSend = (event, hint) => run(event, 'processEvent', hintText(hint, now()));
    this.beforeSendTransaction = (event, hint) => run(event, 'processEvent', hintText(hint, now()));
    this.beforeBreadcrumb = (breadcrumb, _hint) => run(breadcrumb, 'processBreadcrumb');
    // A span cannot be dropped (the SDK would send the original): when it
    // cannot be processed, on_error "drop" sends it without its user data.
    this.beforeSendSpan = (span) => {
      const processed = run(span, 'processSpan');
      if (processed !== null) return processed;
      return { ...span, attributes: {}, data: {} };
    };
    // Sampling: the members of the context the core reads go to it as JSON
    // (@sentry/core also passes `normalizedRequest` and the function
    // `inheritOrSampleWith`, which the core has no use for); the core reads
    // both SDKs' shapes.
    const samplingText = (context) => {
      const picked = {};
      for (const member of SAMPLING_MEMBERS) {
        if (context[member] !== undefined) picked[member] = context[member];
      }
      try {
        return JSON.stringify(picked);
      } catch (_) {
        return '{}';
      }
    };
    this.tracesSampler = (samplingContext) => core.tracesSampleRate(samplingText(samplingContext || {}), now());
    this.decideTrace = (context) => {
      const decision = core.decideTrace(samplingText(context || {}), now());
      const result = { sampled: decision.sampled, sample_rate: decision.sampleRate, sample_rand: decision.sampleRand ?? null };
      decision.free();
      return result;
    };
    Object.freeze(this);
  }
}

module.exports = { Preflight, PolicyError };
