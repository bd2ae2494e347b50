'use strict';
// The Preflight class: policies, unbound hooks, failures that follow on_error.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Preflight, PolicyError } = require('./helpers/package.js');

test('a policy may be an object, JSON text, or omitted', () => {
  const event = () => ({ extra: { customer_ref: 'C-1042', password: 'p' } });
  const denied = { scrub: { deny_keys: ['customer_ref'] } };
  assert.equal(new Preflight(denied).beforeSend(event()).extra.customer_ref, '[Filtered]');
  assert.equal(new Preflight(JSON.stringify(denied)).beforeSend(event()).extra.customer_ref, '[Filtered]');
  const defaults = new Preflight().beforeSend(event());
  assert.equal(defaults.extra.customer_ref, 'C-1042');
  assert.equal(defaults.extra.password, '[Filtered]');
});

test('a bad policy throws PolicyError with the JSON path', () => {
  assert.throws(
    () => new Preflight({ scrub: { deny_keys: ['a', 7] } }),
    (error) =>
      error instanceof PolicyError &&
      error instanceof Error &&
      error.path === 'scrub.deny_keys[1]' &&
      error.reason === 'expected a string, found a number' &&
      error.message === 'scrub.deny_keys[1]: expected a string, found a number',
  );
  assert.throws(() => new Preflight('{oops'), (error) => error instanceof PolicyError && error.path === '');
});

test('hooks work unbound', () => {
  const { beforeSend, beforeSendTransaction, beforeBreadcrumb } = new Preflight({});
  assert.equal(beforeSend({ extra: { token: 't' } }).extra.token, '[Filtered]');
  const transaction = beforeSendTransaction({ type: 'transaction', spans: [{ data: { 'db.password': 'x' } }] });
  assert.equal(transaction.spans[0].data['db.password'], '[Filtered]');
  assert.deepEqual(beforeBreadcrumb({ data: { auth: 'a' } }), { data: { auth: '[Filtered]' } });
});

test('what cannot be processed follows on_error', () => {
  const circular = { extra: { password: 'p' } };
  circular.extra.self = circular;
  assert.equal(new Preflight({}).beforeSend(circular), null);
  assert.equal(new Preflight({ on_error: 'pass' }).beforeSend(circular), circular);
  assert.equal(new Preflight({}).beforeSend([1, 2]), null);
  assert.equal(new Preflight({}).beforeSend({ big: 1n }), null);
});

test("the SDK's own state on the event rides along untouched", () => {
  const internal = { scope: null };
  internal.scope = internal;
  const out = new Preflight({}).beforeSend({ extra: { token: 't' }, sdkProcessingMetadata: internal });
  assert.equal(out.sdkProcessingMetadata, internal);
  assert.equal(out.extra.token, '[Filtered]');
  // Also when nothing changed but the text the core read was not the event's
  // own (a lone surrogate crosses as U+FFFD): the event comes back read from that text.
  const unchanged = new Preflight({}).beforeSend({ message: 'half \ud800 a pair', sdkProcessingMetadata: internal });
  assert.equal(unchanged.message, 'half \ufffd a pair');
  assert.equal(unchanged.sdkProcessingMetadata, internal);
});

test('only what changed is new: the objects on a changed path are copies, the rest are the objects given', () => {
  const pf = new Preflight();
  const order = { id: 'ORD-1', lines: [{ sku: 'A' }] };
  const user = { id: 7, email: 'ada@example.com' };
  const event = { message: 'checkout failed', contexts: { order }, user, extra: { note: 'call 4111 1111 1111 1111' } };
  const frozen = JSON.stringify(event);
  const out = pf.beforeSend(event);
  assert.equal(JSON.stringify(event), frozen, 'nothing the application holds changed');
  assert.notEqual(out, event);
  assert.equal(out.contexts.order, order, 'an untouched subtree is the very object');
  assert.notEqual(out.extra, event.extra);
  assert.equal(out.extra.note, 'call [Filtered]');
  assert.notEqual(out.user, user);
  assert.equal(out.user.email, '[Filtered]');
  assert.equal(out.user.id, 7);
  assert.ok(out._meta.extra.note[''].rem.length > 0);
});

test('an object that serialises through toJSON is patched as the JSON the core read of it', () => {
  class Credentials {
    constructor() {
      this.hidden = 'not serialised';
    }
    toJSON() {
      return { password: 'hunter2', region: 'eu' };
    }
  }
  const out = new Preflight().beforeSend({ message: 'x', extra: { login: new Credentials() } });
  assert.deepEqual(JSON.parse(JSON.stringify(out.extra.login)), { password: '[Filtered]', region: 'eu' });
  assert.equal(out.extra.login.hidden, undefined);
});

test('a member named __proto__ is patched as a member, never as the prototype', () => {
  const event = JSON.parse('{"message": "x", "extra": {"__proto__": {"password": "hunter2"}}}');
  const out = new Preflight().beforeSend(event);
  assert.equal(Object.getPrototypeOf(out.extra), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(out)).extra, { ['__proto__']: { password: '[Filtered]' } });
  assert.equal({}.password, undefined);
});

test("the SDK's list of integrations skips the core and comes back the very list, wherever leaving it out changes nothing", () => {
  const integrations = ['Http', 'password=hunter2', 'ada@example.com', '4111 1111 1111 1111'];
  const sdk = { name: 'sentry.javascript.node', version: '11.12.0', integrations, packages: [{ name: 'npm:@sentry/node', version: '11.12.0' }] };
  const event = { message: 'card 4111 1111 1111 1111', user: { ip_address: '10.0.0.1' }, sdk };
  const out = new Preflight().beforeSend(event);
  assert.equal(out.message, 'card [Filtered]');
  assert.equal(out.sdk, sdk, 'the sdk object itself: nothing in it changed');
  assert.equal(out.sdk.integrations, integrations);
  assert.deepEqual(Object.keys(out.sdk), ['name', 'version', 'integrations', 'packages']);
  // What the core gives with the list in its text (a list it reads whole, for
  // the lone surrogate) is the same, but for that character.
  const broken = { ...event, sdk: { ...sdk, integrations: [...integrations, 'cut \ud83d'] } };
  const whole = new Preflight().beforeSend(broken);
  assert.deepEqual(whole.sdk.integrations, [...integrations, 'cut \ufffd']);
  assert.deepEqual({ ...whole, sdk: undefined }, { ...out, sdk: undefined });
  // Relay's rules (the whole core) give `sdk` no personal data but `client_ip`: the same list, untouched.
  const relay = new Preflight({ scrub: { relay: { applications: { '$string': ['@anything:replace'] } } } }).beforeSend(event);
  assert.equal(relay.message, '[Filtered]');
  assert.equal(relay.sdk.integrations, integrations);
  // An sdk that throws when read follows on_error, as any event that cannot be written.
  const throwing = { message: 'm' };
  Object.defineProperty(throwing, 'sdk', { enumerable: true, get() { throw new Error('no'); } });
  assert.equal(new Preflight().beforeSend(throwing), null);
  assert.equal(new Preflight({ on_error: 'pass' }).beforeSend(throwing), throwing);
});
