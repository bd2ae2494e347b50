'use strict';
// The package's two modules in Node: every policy goes to the core without
// Relay's rules first, which refuses one that needs them (and only such a
// one); the wrapper then loads the module with them, the first time only.

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
    needsRelayRules: true,
  });
  assert.equal(coreAnswer(DATASCRUBBING_POLICY).path, 'scrub.datascrubbing');
  assert.equal(coreAnswer(DATASCRUBBING_POLICY).needsRelayRules, true);
  assert.equal(coreAnswer({ scrub: { datascrubbing: { scrubData: false } } }), 'loaded', 'settings that scrub nothing need no rules');
  assert.equal(coreAnswer({}), 'loaded');
  const bad = coreAnswer({ scrub: { deny_keys: 3 } });
  assert.equal(bad.path, 'scrub.deny_keys');
  assert.equal(bad.needsRelayRules, false, 'any other refusal is final');
});

// A fresh process, so that nothing another test loaded is in require's cache.
test('a process loads the module with Relay\'s rules only when a policy needs it, and then runs it', () => {
  const script = `
    const { Preflight } = require('sentry-preflight');
    const relayLoaded = () => Object.keys(require.cache).some((file) => file.endsWith('preflight_relay.js'));
    const seen = {};
    seen.defaults = new Preflight().beforeSend({ message: 'mail jane@example.com' }).message;
    seen.afterDefaults = relayLoaded();
    const relay = new Preflight(${JSON.stringify(RELAY_POLICY)});
    seen.afterRelay = relayLoaded();
    seen.relay = relay.beforeSend({ message: 'mail jane@example.com now' });
    seen.legacy = new Preflight(${JSON.stringify(DATASCRUBBING_POLICY)}).beforeSend({ extra: { password: 'hunter2' } }).extra;
    console.log(JSON.stringify(seen));`;
  const seen = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }));
  assert.equal(seen.defaults, 'mail [Filtered]');
  assert.equal(seen.afterDefaults, false, 'the default policy never loads it');
  assert.equal(seen.afterRelay, true);
  assert.equal(seen.relay.message, 'mail [email] now', "Relay's rule, as Relay writes it");
  assert.deepEqual(seen.relay._meta.message[''].rem, [['@email:replace', 's', 5, 12]]);
  assert.deepEqual(seen.legacy, { password: '[Filtered]' });
});

test('a malformed Relay config is refused by the module with the rules, with its own path', () => {
  const { Preflight, PolicyError } = require('sentry-preflight');
  assert.throws(
    () => new Preflight({ scrub: { relay: { applications: { '$string && (': ['@ip'] } } } }),
    (error) => error instanceof PolicyError && error.path.startsWith('scrub.relay.applications') && !error.needsRelayRules,
  );
});
