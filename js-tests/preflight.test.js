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
});
