// The npm face of preflight: Sentry hooks backed by the Rust core in WASM.
//
// Everything that decides anything lives in the core. This wrapper only
// turns JS values into JSON text (JSON.stringify is native and cheaper than
// crossing the WASM boundary object by object), written straight into the
// module's memory, and applies what the core changed to a copy of the
// object along the changed paths (nothing the application or the SDK's
// scope holds is changed), turns the core's policy errors into `PolicyError`, makes the hooks safe to
// pass unbound (`beforeSend: pf.beforeSend`), and survives a trap in the
// module: the instance is reset, the policy loaded again, and the event that
// met the trap follows `on_error`.
//
// It is written once, as an ES module that imports nothing: the entry points
// hand it the wasm-bindgen glue of their platform (index.js for Node, web.js
// for browsers), and the build writes the CommonJS copy, preflight.cjs.
//
// There are two modules: `preflight_wasm`, the core without Relay's rules
// (`scrub.relay`, `scrub.datascrubbing`) and without the policy's rule
// sections (`filters`, fingerprint rules, sampling rules), and
// `preflight_full`, the whole core. A policy goes to the first, which refuses
// one that needs what it leaves out (`needsFullModule`); that policy then goes
// to the second, which a browser has loaded only if `init` was asked to.

/** A policy that cannot be loaded: `path` is the JSON path, `reason` says why. */
export class PolicyError extends Error {
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

/**
 * A lone surrogate, as JSON.stringify writes one (`\udXXX`; well-formed pairs
 * stay raw characters), not preceded by an escaped backslash. JSON parsers
 * outside JS reject it, so it is sent to the core as U+FFFD, the character
 * Python and Rust read broken text as.
 */
const LONE_SURROGATE = /(?<=(?:^|[^\\])(?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** A shallow copy of the event without the SDK's own member. */
function withoutInternal(event) {
  const { [SDK_INTERNAL]: _internal, ...rest } = event;
  return rest;
}

/**
 * JSON text of a value nested too deep for JSON.stringify (it overflows the
 * stack past a few thousand levels): containers more than `maxDepth` levels
 * below the root are written as null. The core's walk removes every
 * container it reaches at `maxDepth`, with a `_meta` remark, so what is cut
 * here never reaches the output; the core reads text nested too deep for
 * its parser the same way.
 */
function boundedText(value, maxDepth) {
  const depths = new WeakMap();
  return JSON.stringify(value, function cutDeep(_key, member) {
    if (member === null || typeof member !== 'object') return member;
    const depth = (depths.has(this) ? depths.get(this) : -1) + 1;
    if (depth > maxDepth) return null;
    depths.set(member, depth);
    return member;
  });
}

function boundedTextOrUndefined(value, maxDepth) {
  try {
    return boundedText(value, maxDepth);
  } catch (_) {
    return undefined;
  }
}

function policyText(policy) {
  if (typeof policy === 'string') return policy;
  const text = JSON.stringify(policy === undefined ? {} : policy);
  if (text === undefined) throw new PolicyError('', 'expected an object or JSON text');
  return text;
}

// Every trap resets the one instance of its module, in which all policies
// of that module live: each then loads its policy again before its next call.
const generations = new Map();
const generationOf = (glue) => generations.get(glue) || 0;

/** After a trap in `glue`'s module: a fresh instance for the next call, and every policy in it loaded again. */
function resetAfterTrap(glue) {
  glue.__wbg_reset_state();
  generations.set(glue, generationOf(glue) + 1);
}

/** The policy loaded by one module; a refusal as a `PolicyError` with `needsFullModule`. */
function loadCore(glue, text, sdkSendDefaultPii) {
  try {
    return new glue.WasmPreflight(text, sdkSendDefaultPii);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) resetAfterTrap(glue);
    if (typeof error === 'string') {
      const { path, reason, needsFullModule } = JSON.parse(error);
      const refusal = new PolicyError(path, reason);
      if (needsFullModule) refusal.needsFullModule = true;
      throw refusal;
    }
    throw new PolicyError('', String(error && error.message ? error.message : error));
  }
}

/**
 * Whether the policy needs the whole core, as the module without Relay's
 * rules, the rule sections and the regex engine says (a policy it refuses for another reason does not: loading it there
 * would fail the same way).
 */
export function policyNeedsFullModule(coreGlue, policy) {
  try {
    loadCore(coreGlue, policyText(policy)).free();
    return false;
  } catch (error) {
    return error instanceof PolicyError && error.needsFullModule === true;
  }
}

/**
 * What the core needs from the SDK's hint: the names of the error's class and
 * its base classes and an HTTP status it carries (for the filters), and the
 * `tags`, `contexts` and `fingerprint` it carries (merged into the event).
 * Without an error there is nothing to say: no text at all.
 */
function hintText(hint) {
  const error = hint ? hint.originalException : undefined;
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return undefined;
  try {
    const names = [];
    if (typeof error.name === 'string' && error.name) names.push(error.name);
    for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const name = proto.constructor && proto.constructor.name;
      if (typeof name === 'string' && name && !names.includes(name)) names.push(name);
    }
    const plainObject = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined);
    return JSON.stringify({
      exception_types: names,
      // The numbers among the candidates: which is an HTTP status is the core's to say (`Hint::from_json`).
      status_code: [error.status, error.statusCode].map((status) => (typeof status === 'number' ? status : null)),
      tags: plainObject(error.tags),
      contexts: plainObject(error.contexts),
      fingerprint: Array.isArray(error.fingerprint) ? error.fingerprint : undefined,
    });
  } catch (_) {
    return undefined;
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

/** The members of a sampling context the core reads, as JSON text. */
function samplingText(context) {
  const picked = {};
  for (const member of SAMPLING_MEMBERS) {
    if (context[member] !== undefined) picked[member] = context[member];
  }
  try {
    return JSON.stringify(picked);
  } catch (_) {
    return '{}';
  }
}

/** Whether a copy made by spreading serialises as the value did. */
function copiesBySpreading(value) {
  if (typeof value.toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets a member, `__proto__` included (as JSON.parse would make it), as an own property. */
function setMember(node, key, value) {
  if (key === '__proto__') Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
  else node[key] = value;
}

const hasOwn = (value, member) => Object.prototype.hasOwnProperty.call(value, member);

/**
 * A shallow copy of a plain object. Object.assign makes a copy that V8 adds
 * a member to (`_meta`) in less than half the time a spread's takes; but it
 * sets `__proto__` through the prototype's setter, where a spread defines it
 * as a member.
 */
const objectCopy = (value) => (hasOwn(value, '__proto__') ? { ...value } : Object.assign({}, value));

// Lone surrogates in a list left out of the text would not be read as
// U+FFFD (see LONE_SURROGATE): only where each string can be checked.
const canCheckText = typeof String.prototype.isWellFormed === 'function';

/** Whether `value` is a plain list of well-formed strings. */
function isListOfText(value) {
  if (!Array.isArray(value) || typeof value.toJSON === 'function') return false;
  for (const item of value) if (typeof item !== 'string' || !item.isWellFormed()) return false;
  return true;
}

/**
 * `event` for the core's text without the members of its `sdk` that no rule
 * reads (`unread`, the core's `UNREAD_SDK_MEMBERS`: the SDK's list of
 * integration names, a fifth of an ordinary error's text), or `event` itself
 * where the core states no such thing (a member that is not a list of text,
 * a value with its own `toJSON`).
 */
function withoutUnreadSdk(event, unread) {
  if (!canCheckText || event === null || typeof event !== 'object') return event;
  try {
    const sdk = event.sdk;
    if (!copiesBySpreading(event) || sdk === null || typeof sdk !== 'object' || Array.isArray(sdk) || !copiesBySpreading(sdk)) {
      return event;
    }
    const leftOut = unread.filter((member) => hasOwn(sdk, member) && isListOfText(sdk[member]));
    if (leftOut.length === 0) return event;
    const kept = {};
    for (const member of Object.keys(sdk)) if (!leftOut.includes(member)) setMember(kept, member, sdk[member]);
    const copy = objectCopy(event);
    copy.sdk = kept;
    return copy;
  } catch (_) {
    // A getter or a proxy that throws: the text of the event as it is says what becomes of it.
    return event;
  }
}

/** Whether a patch sets `sdk` or the whole event, where a member left out of the text would be lost. */
const setsSdk = (patch) => patch.some(([path]) => path.length === 0 || (path.length === 1 && path[0] === 'sdk'));

/**
 * `input` with the core's edits (`[[path, value], …]`): each object and array
 * on an edited path is copied, once, and the copy edited, so that nothing the
 * caller still holds changes. A value that is not plain data (a class with
 * `toJSON`) is copied as the JSON the core read of it.
 */
function patched(input, patch) {
  const copies = new Set();
  const own = (value) => {
    let copy;
    if (!copiesBySpreading(value)) copy = JSON.parse(JSON.stringify(value));
    else if (Array.isArray(value)) copy = value.slice();
    else copy = objectCopy(value);
    copies.add(copy);
    return copy;
  };
  let root = own(input);
  // The edits come in the order of the text, so an edit's path mostly
  // begins as the one before's: the copies along that one's parents
  // (`walked`, root first) are taken up where the paths agree.
  let previous = [];
  let walked = [root];
  for (const [path, value] of patch) {
    if (path.length === 0) {
      root = value;
      previous = [];
      walked = [root];
      continue;
    }
    let shared = 0;
    const limit = Math.min(path.length, previous.length) - 1;
    while (shared < limit && path[shared] === previous[shared]) shared += 1;
    walked.length = shared + 1;
    let node = walked[shared];
    for (let step = shared; step < path.length - 1; step += 1) {
      let child = node[path[step]];
      if (!copies.has(child)) {
        child = own(child);
        setMember(node, path[step], child);
      }
      node = child;
      walked.push(node);
    }
    setMember(node, path[path.length - 1], value);
    previous = path;
  }
  return root;
}

/**
 * The `Preflight` class over one platform's glue: `modules.core`, the core
 * without what `preflight_wasm` leaves out, and `modules.full()`, which gives
 * the glue of the whole core (or throws, saying how to load it). `ready()` says whether the core
 * module is instantiated (a browser loads it asynchronously first).
 */
export function makePreflight(modules, ready) {
  const encoder = new TextEncoder();
  // The policy in the module that can run it, and that module's glue.
  const load = (text, sdkSendDefaultPii) => {
    try {
      return { glue: modules.core, core: loadCore(modules.core, text, sdkSendDefaultPii) };
    } catch (error) {
      if (!(error instanceof PolicyError && error.needsFullModule)) throw error;
      const glue = modules.full();
      return { glue, core: loadCore(glue, text, sdkSendDefaultPii) };
    }
  };

  return class Preflight {
    /**
     * @param {object|string} [policy] the policy as an object or JSON text; omitted = defaults.
     * @param {{clock?: () => number}} [options] `clock`: seconds since the epoch, for budgets and time-ranged rules.
     */
    constructor(policy, options) {
      if (!ready()) throw new Error('sentry-preflight: call `await init()` before `new Preflight(…)`');
      const text = policyText(policy);
      // What the SDK's options say of personal data, where the policy is silent (the integration passes it).
      const sdkSendDefaultPii = options && typeof options.sdkSendDefaultPii === 'boolean' ? options.sdkSendDefaultPii : undefined;
      const loaded = load(text, sdkSendDefaultPii);
      const glue = loaded.glue;
      let core = loaded.core;
      let coreGeneration = generationOf(glue);
      // The module's memory, where inputs are written; a new instance has its own.
      let memory = glue.inputMemory();
      const dropsOnError = core.dropsOnError();
      const maxDepth = core.maxDepth();
      const unreadSdk = glue.unreadSdkMembers().split(',');
      const now = reader(options ? options.clock : undefined);

      // Calls the core; a trap resets the instance, so that the next call
      // meets a fresh one, and comes back as `failed`.
      const call = (use, failed) => {
        try {
          if (coreGeneration !== generationOf(glue)) {
            core = loadCore(glue, text, sdkSendDefaultPii);
            coreGeneration = generationOf(glue);
            memory = glue.inputMemory();
          }
          return use(core);
        } catch (error) {
          if (error instanceof WebAssembly.RuntimeError) resetAfterTrap(glue);
          return failed;
        }
      };

      // An input the core never saw (not serialisable) or a failure inside WASM
      // follows the policy's on_error: drop (null) or send as it is.
      const run = (input, method, ...args) => {
        // The SDK keeps its own state on the event (`sdkProcessingMetadata`:
        // scopes, the sampling context). It is never sent, it is circular, and
        // the SDK reads it after the hook, so it skips the core and is put back.
        const internal = input !== null && typeof input === 'object' ? input[SDK_INTERNAL] : undefined;
        const failed = dropsOnError ? null : input;
        const sent = internal === undefined ? input : withoutInternal(input);
        const result = answer(sent, method === 'processEvent' ? withoutUnreadSdk(sent, unreadSdk) : sent, method, args);
        if (result === undefined) return failed;
        if (result === sent) return input;
        if (internal !== undefined && result !== null) result[SDK_INTERNAL] = internal;
        return result;
      };

      // What the core makes of `sent`, read from the text of `shown` (`sent`
      // itself or `sent` without the members no rule reads): `sent` itself
      // when nothing changed, a copy with the changes, null when dropped, or
      // undefined when it could not be processed.
      const answer = (sent, shown, method, args) => {
        let text;
        // Whether `text` is the input as it is (not cut for depth, no lone surrogate replaced):
        // then an unchanged result hands back the input itself.
        let exact = true;
        try {
          text = JSON.stringify(shown);
        } catch (error) {
          if (shown !== sent) return answer(sent, sent, method, args);
          text = error instanceof RangeError ? boundedTextOrUndefined(sent, maxDepth) : undefined;
          exact = false;
        }
        if (text === undefined) return undefined;
        if (text.includes('\\ud')) {
          const replaced = text.replace(LONE_SURROGATE, '\\ufffd');
          // What is not the input's own text is read back whole.
          if (replaced !== text && shown !== sent) return answer(sent, sent, method, args);
          exact = exact && replaced === text;
          text = replaced;
        }
        const processed = call((current) => {
          // UTF-8 takes at most three bytes for each UTF-16 unit.
          const capacity = text.length * 3;
          const address = current.inputBuffer(capacity);
          const { written } = encoder.encodeInto(text, new Uint8Array(memory.buffer, address, capacity));
          // 0: as it came; 1: patched; 2: dropped.
          const code = current[method](written, ...args);
          return { code, patch: code === 1 ? current.takeOutput() : undefined };
        }, undefined);
        if (processed === undefined) return undefined;
        // Nothing to parse back: the object the SDK handed over, untouched.
        if (processed.code === 0 && exact) return sent;
        if (processed.code !== 0 && processed.code !== 1) return null;
        try {
          // What the core read was the input itself only when `exact`.
          const read = exact ? sent : JSON.parse(text);
          if (processed.code === 0) return read;
          const patch = JSON.parse(processed.patch);
          if (shown !== sent && setsSdk(patch)) return answer(sent, sent, method, args);
          return patched(read, patch);
        } catch (_) {
          return undefined;
        }
      };

      this.beforeSend = (event, hint) => run(event, 'processEvent', now(), hintText(hint));
      // A transaction goes the way an error does (the core tells them apart by the event's `type`).
      this.beforeSendTransaction = this.beforeSend;
      this.beforeBreadcrumb = (breadcrumb, _hint) => run(breadcrumb, 'processBreadcrumb');
      // A log's `message` may be the SDK's parameterised String object: it
      // crosses as its text, and comes back a plain string (the SDK sends
      // `String(message)`; the template and parameters are attributes by then).
      this.beforeSendLog = (log) => run(log, 'processLog');
      this.beforeSendMetric = (metric) => run(metric, 'processMetric');
      // A span cannot be dropped (the SDK would send the original): when it
      // cannot be processed, on_error "drop" sends it without its user data.
      this.beforeSendSpan = (span) => {
        const processed = run(span, 'processSpan');
        if (processed !== null) return processed;
        return withoutUserData(span);
      };
      // Sampling: the members of the context the core reads go to it as JSON
      // (@sentry/core also passes `normalizedRequest` and the function
      // `inheritOrSampleWith`, which the core has no use for); the core reads
      // both SDKs' shapes. A decision that cannot be made follows on_error:
      // "drop" samples out, "pass" keeps.
      const failedRate = dropsOnError ? 0 : 1;
      this.tracesSampler = (samplingContext) =>
        call((current) => current.tracesSampleRate(samplingText(samplingContext || {}), now()), failedRate);
      this.decideTrace = (context) =>
        call(
          (current) => {
            const decision = current.decideTrace(samplingText(context || {}), now());
            const result = { sampled: decision.sampled, sample_rate: decision.sampleRate, sample_rand: decision.sampleRand ?? null };
            decision.free();
            return result;
          },
          { sampled: failedRate === 1, sample_rate: failedRate, sample_rand: null },
        );
      Object.freeze(this);
    }
  };
}

/**
 * `preflightIntegration(policy)` for `Sentry.init({ integrations: [...] })`
 * over one platform's `Preflight`: every hook at once, each run after the
 * user's own (so nothing a user's hook adds leaves unscrubbed, and what a
 * user's hook drops stays dropped). The options are read when the client
 * sets the integration up, which is also when what the SDK collects is known
 * (`dataCollection.userInfo`, else `sendDefaultPii`): it decides
 * `scrub.send_default_pii` unless the policy says.
 *
 * `module` (browsers) is what loads the modules when the client is set up
 * before what the policy needs is ready (`{ ready(), load(options, policy) }`:
 * the core module not loaded yet, or the policy needing the second one, which
 * `new Preflight` says by an error with `fullModuleMissing`): a page can then
 * call `Sentry.init` at once and catch what is thrown while they load.
 */
export function makePreflightIntegration(Preflight, module) {
  return function preflightIntegration(policy, options) {
    return {
      name: 'Preflight',
      setup(client) {
        const clientOptions = client.getOptions();
        // What the SDK says of personal data: `dataCollection.userInfo` where set, else `sendDefaultPii`.
        const collection = clientOptions.dataCollection;
        const pii = collection && collection.userInfo !== undefined ? collection.userInfo : clientOptions.sendDefaultPii;
        const make = () => new Preflight(policy, { ...options, sdkSendDefaultPii: pii === undefined ? undefined : Boolean(pii) });
        const pf = !module || module.ready() ? makeOrWait(make, module, options, policy) : waitFor(module, make, options, policy);
        for (const hook of ['beforeSend', 'beforeSendTransaction', 'beforeBreadcrumb', 'beforeSendLog', 'beforeSendMetric']) {
          // Streamed spans (the default) send no transaction: @sentry/core warns
          // of a `beforeSendTransaction` it would ignore, and spans take beforeSendSpan.
          if (hook === 'beforeSendTransaction' && clientOptions.traceLifecycle === 'stream') continue;
          clientOptions[hook] = afterUsers(clientOptions[hook], pf[hook]);
        }
        // A span cannot be dropped: the user's hook, then preflight's, on what it returned.
        const usersSpanHook = clientOptions.beforeSendSpan;
        clientOptions.beforeSendSpan = usersSpanHook ? (span) => pf.beforeSendSpan(usersSpanHook(span)) : pf.beforeSendSpan;
        // Scope attributes (`Sentry.getCurrentScope().setAttributes(…)`) join a
        // log or metric after its hook ran: the envelope is where they first show.
        if (typeof client.on === 'function') client.on('beforeEnvelope', (envelope) => scrubTelemetryItems(envelope, pf));
      },
    };
  };
}

/** The hooks at once, or, for a policy whose module is not loaded yet, hooks that wait for it. */
function makeOrWait(make, module, options, policy) {
  try {
    return make();
  } catch (error) {
    if (!(module && error && error.fullModuleMissing)) throw error;
    return waitFor(module, make, options, policy);
  }
}

/** Hooks that wait while `module` loads what the policy needs, then make the `Preflight`. */
function waitFor(module, make, options, policy) {
  return untilReady(module.load(options, policy).then(make), policy);
}

/**
 * The hooks of a `Preflight` that is still being made (its module loading):
 * an event or transaction waits for it (@sentry/core takes a promise from
 * those hooks); breadcrumbs, logs and metrics cannot wait, and follow the
 * policy's `on_error` meanwhile: dropped (the default), or sent as they are
 * under `pass`; a span, which cannot be dropped, leaves without its user data
 * under `drop`. A module that fails to load fails every hook the same way; a
 * policy that fails to load (which only the loaded module could tell) drops all.
 */
function untilReady(making, policy) {
  let made;
  // `on_error: "pass"` is the policy's word only while it may yet load: a
  // policy the module refused (a Relay config or a rule only the second module reads)
  // passes nothing, and says why where the page's developer looks.
  let passes = policyPasses(policy);
  const loading = making.then(
    (pf) => (made = pf),
    (error) => {
      if (error instanceof PolicyError) {
        passes = false;
        console.error('sentry-preflight: the policy was refused; every item is dropped:', error);
      }
      return undefined;
    },
  );
  const waiting = (hook) => (item, hint) => {
    if (made) return made[hook](item, hint);
    return loading.then((pf) => (pf ? pf[hook](item, hint) : passes ? item : null));
  };
  const meanwhile = (hook) => (item, hint) => (made ? made[hook](item, hint) : passes ? item : null);
  return {
    beforeSend: waiting('beforeSend'),
    beforeSendTransaction: waiting('beforeSendTransaction'),
    beforeBreadcrumb: meanwhile('beforeBreadcrumb'),
    beforeSendLog: meanwhile('beforeSendLog'),
    beforeSendMetric: meanwhile('beforeSendMetric'),
    beforeSendSpan: (span) => (made ? made.beforeSendSpan(span) : passes ? span : withoutUserData(span)),
  };
}

/**
 * The core's `SPAN_USER_DATA`, which it exports as `spanUserData()`: needed
 * before any module is ready, so written here too; a test holds the two together.
 */
export const SPAN_USER_DATA = ['attributes', 'data'];

/** A span that could not be scrubbed, as it may leave: without its user data. */
function withoutUserData(span) {
  const stripped = { ...span };
  for (const member of SPAN_USER_DATA) stripped[member] = {};
  return stripped;
}

/**
 * Whether the policy says `on_error: "pass"`: read here only for the time
 * before the core is loaded, which would say it otherwise.
 */
function policyPasses(policy) {
  try {
    const parsed = typeof policy === 'string' ? JSON.parse(policy) : policy;
    return parsed !== null && typeof parsed === 'object' && parsed.on_error === 'pass';
  } catch (_) {
    return false;
  }
}

/** The hook of each envelope item type that holds a list of logs or metrics. */
const TELEMETRY_HOOKS = { log: 'beforeSendLog', trace_metric: 'beforeSendMetric' };

/**
 * Each log and metric of an envelope through its hook again, now with the
 * scope's attributes (processing twice changes nothing more); what the hook
 * drops leaves the list, and the item's count follows.
 */
function scrubTelemetryItems(envelope, pf) {
  const items = Array.isArray(envelope) ? envelope[1] : undefined;
  if (!Array.isArray(items)) return;
  for (const item of items) {
    const [header, payload] = Array.isArray(item) ? item : [];
    const hook = header && TELEMETRY_HOOKS[header.type];
    if (!hook || !payload || !Array.isArray(payload.items)) continue;
    payload.items = payload.items.map((entry) => pf[hook](entry)).filter((entry) => entry != null);
    header.item_count = payload.items.length;
  }
}

/** `own` after `user` (which may answer with a promise); null from either drops. */
function afterUsers(user, own) {
  if (!user) return own;
  return (item, hint) => {
    const result = user(item, hint);
    if (result && typeof result.then === 'function') {
      return result.then((resolved) => (resolved == null ? resolved : own(resolved, hint)));
    }
    return result == null ? result : own(result, hint);
  };
}
