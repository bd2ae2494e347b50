'use strict';
// The package's two modules in Node: every policy goes first to the core
// without Relay's rules, the rule sections (filters, fingerprint rules,
// sampling rules) and a regex engine, which refuses one that needs them (and only such a one);
// the wrapper then loads the whole core's module, the first time only.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PKG = path.dirname(require.resolve('sentry-preflight/package.json'));
const coreGlue = require(path.join(PKG, 'wasm', 'nodejs', 'preflight_wasm.js'));

const RELAY_POLICY = { scrub: { relay: { applications: { $string: ['@email:replace'] } } } };
const DATASCRUBBING_POLICY = { scrub: { datascrubbing: { scrubData: true, scrubDefaults: true } } };

/** What the core module answers for a policy: loaded, or its refusal as the wrapper reads it. */
function coreAnswer(policy) {
  try {
    new coreGlue.WasmPreflight(JSON.stringify(policy)).free();
    return 'loaded';
  } catch (error) {
    return JSON.parse(error);
  }
}

test('the core module refuses a policy that needs Relay\'s rules, naming the member, and loads the rest', () => {
  assert.deepEqual(coreAnswer(RELAY_POLICY), {
    path: 'scrub.relay',
    reason: "needs Relay's rules, which this build leaves out (the JS package loads its module with them)",
    needsFullModule: true,
  });
  assert.equal(coreAnswer(DATASCRUBBING_POLICY).path, 'scrub.datascrubbing');
  assert.equal(coreAnswer(DATASCRUBBING_POLICY).needsFullModule, true);
  assert.equal(coreAnswer({ scrub: { datascrubbing: { scrubData: false } } }), 'loaded', 'settings that scrub nothing need no rules');
  assert.equal(coreAnswer({}), 'loaded');
  const bad = coreAnswer({ scrub: { deny_keys: 3 } });
  assert.equal(bad.path, 'scrub.deny_keys');
  assert.equal(bad.needsFullModule, false, 'any other refusal is final');
});

const RULE_POLICIES = [
  ['filters', { filters: { ignore_errors: ['Boom'] } }],
  ['filters', { filters: { presets: ['sentry-javascript'] } }],
  ['filters', { filters: { ignore_logs: { levels: ['debug'] } } }],
  ['fingerprint.rules', { fingerprint: { rules: ['type:PaymentError -> payments'] } }],
  ['fingerprint.parameterize_messages', { fingerprint: { parameterize_messages: true } }],
  ['sampling.traces.rules', { sampling: { traces: { rules: [{ name: '/health*', rate: 0 }] } } }],
  ['sampling.errors.rules', { sampling: { errors: { rules: [{ type: 'Timeout*', rate: 0.1 }] } } }],
];

/** Each `[path, policy]` is refused by the core module at `path`, needing `what` of the whole core. */
function assertLeftOut(policies, what) {
  for (const [path, policy] of policies) {
    assert.deepEqual(
      coreAnswer(policy),
      { path, reason: `needs ${what}, which this build leaves out (the JS package loads its module with them)`, needsFullModule: true },
      JSON.stringify(policy),
    );
  }
}

test('the core module refuses a policy with a rule section, naming the member, and loads empty sections', () => {
  assertLeftOut(RULE_POLICIES, "the policy's rule sections");
  const withoutRules = {
    filters: { ignore_errors: [], ignore_logs: { levels: [] } },
    fingerprint: { rules: [], parameterize_messages: false },
    sampling: {
      traces: { default_rate: 0.5, rules: [] },
      errors: { default_rate: 0.5, rules: [] },
      budget: { max_events: 10, window_seconds: 60 },
    },
  };
  assert.equal(coreAnswer(withoutRules), 'loaded', 'rates and the budget need no rules');
  // A filters section this module cannot read as empty goes to the whole core, which says what is wrong.
  assert.equal(coreAnswer({ filters: { ignore_error: [] } }).needsFullModule, true);
  assert.equal(coreAnswer({ filters: { ignore_logs: [] } }).needsFullModule, true, 'ignore_logs is an object');
  const { Preflight, PolicyError } = require('sentry-preflight');
  assert.throws(
    () => new Preflight({ filters: { ignore_error: [] } }),
    (error) => error instanceof PolicyError && error.path === 'filters.ignore_error' && !error.needsFullModule,
  );
  assert.equal(coreAnswer({ sampling: { traces: { default_rate: 2 } } }).needsFullModule, false);
});

const REGEX_POLICIES = [
  ['scrub.patterns[0].regex', { scrub: { patterns: [{ id: 'order', regex: 'ORD-\\d+' }] } }],
  ['params.redact_keys', { params: { redact_keys: '(?i)^rpc\\.param\\.card' } }],
  ['params.redact_keys', { params: { redact_keys: 'token|(' } }],
];

test('the core module has no regex engine: it refuses a policy\'s own regexes and runs lists of words', () => {
  assertLeftOut(REGEX_POLICIES, 'a regex engine');
  const words = {
    scrub: { patterns: ['!@email', '@iban'] },
    params: { redact_keys: '(?i)password|pin', extra_keys: ['x-api-key', 'iban'] },
  };
  assert.equal(coreAnswer(words), 'loaded', 'built-in patterns and lists of words need no regex engine');
});

test('a list of words in params.redact_keys redacts span data in the core module as the regex would', () => {
  const { Preflight } = require('sentry-preflight');
  const span = (data) => ({
    span_id: 'cccccccccccccccc',
    trace_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    op: 'rpc',
    description: 'charge',
    start_timestamp: 1,
    timestamp: 2,
    data,
  });
  const data = { 'rpc.param.X-API-Key': 'k-1', 'rpc.param.payer_IBAN': 'DE89', 'rpc.param.Pin': '1234', 'rpc.param.order': 'A-1' };
  const words = new Preflight({ scrub: { defaults: false }, params: { redact_keys: '(?i)pin', extra_keys: ['x-api-key', 'iban'] } });
  // The same keys as a regex that is not a list of words: the whole core's regex-lite.
  const regex = new Preflight({ scrub: { defaults: false }, params: { redact_keys: '(?i)pin|x-api-key|iba[n]' } });
  const fromWords = words.beforeSendSpan(span({ ...data })).data;
  assert.deepEqual(fromWords, regex.beforeSendSpan(span({ ...data })).data);
  assert.equal(fromWords['rpc.param.order'], 'A-1');
  assert.equal(fromWords['rpc.param.Pin'], '[Filtered]');
  assert.equal(fromWords['rpc.param.X-API-Key'], '[Filtered]');
  assert.equal(fromWords['rpc.param.payer_IBAN'], '[Filtered]');
});

test('a policy with rule sections runs in the whole core, which reads its rules itself', () => {
  const { Preflight, PolicyError } = require('sentry-preflight');
  const filtered = new Preflight({ filters: { ignore_errors: ['Boom'] } });
  assert.equal(filtered.beforeSend({ exception: { values: [{ type: 'Boom', value: 'x' }] } }), null);
  const grouped = new Preflight({ fingerprint: { rules: ['type:PaymentError -> payments'] } });
  const event = grouped.beforeSend({ exception: { values: [{ type: 'PaymentError', value: 'declined' }] } });
  assert.deepEqual(event.fingerprint, ['payments']);
  const sampler = new Preflight({ sampling: { traces: { rules: [{ name: '/health*', rate: 0 }] } } });
  assert.equal(sampler.tracesSampler({ name: '/health/live' }), 0);
  assert.equal(sampler.tracesSampler({ name: '/checkout' }), 1);
  assert.throws(
    () => new Preflight({ sampling: { traces: { rules: [{ name: 3, rate: 0 }] } } }),
    (error) => error instanceof PolicyError && error.path === 'sampling.traces.rules[0].name' && !error.needsFullModule,
    'a malformed rule is refused with its own path by the module that reads rules',
  );
});

// A fresh process, so that nothing another test loaded is in require's cache.
test('a process loads the whole core\'s module only when a policy needs it, and then runs it', () => {
  const script = `
    const { Preflight } = require('sentry-preflight');
    const fullLoaded = () => Object.keys(require.cache).some((file) => file.endsWith('preflight_full.js'));
    const seen = {};
    seen.defaults = new Preflight().beforeSend({ message: 'mail jane@example.com' }).message;
    new Preflight({ sampling: { traces: { default_rate: 0.5 } }, tags: { required: ['release'] } });
    new Preflight({ params: { redact_keys: '(?i)password|pin', extra_keys: ['x-api-key'] } });
    seen.afterDefaults = fullLoaded();
    seen.custom = new Preflight({ scrub: { patterns: [{ id: 'order', regex: 'ORD-\\\\d+' }] } }).beforeSend({ message: 'order ORD-123 failed' }).message;
    const relay = new Preflight(${JSON.stringify(RELAY_POLICY)});
    seen.afterRelay = fullLoaded();
    seen.relay = relay.beforeSend({ message: 'mail jane@example.com now' });
    seen.legacy = new Preflight(${JSON.stringify(DATASCRUBBING_POLICY)}).beforeSend({ extra: { password: 'hunter2' } }).extra;
    console.log(JSON.stringify(seen));`;
  const seen = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }));
  assert.equal(seen.defaults, 'mail [Filtered]');
  assert.equal(seen.afterDefaults, false, 'the default policy, or one without rules or regexes, never loads it');
  assert.equal(seen.custom, 'order [Filtered] failed', "a pattern of the user's own, run by the whole core");
  assert.equal(seen.afterRelay, true);
  assert.equal(seen.relay.message, 'mail [email] now', "Relay's rule, as Relay writes it");
  assert.deepEqual(seen.relay._meta.message[''].rem, [['@email:replace', 's', 5, 12]]);
  assert.deepEqual(seen.legacy, { password: '[Filtered]' });
});

test('a malformed Relay config is refused by the whole core\'s module, with its own path', () => {
  const { Preflight, PolicyError } = require('sentry-preflight');
  assert.throws(
    () => new Preflight({ scrub: { relay: { applications: { '$string && (': ['@ip'] } } } }),
    (error) => error instanceof PolicyError && error.path.startsWith('scrub.relay.applications') && !error.needsFullModule,
  );
});
