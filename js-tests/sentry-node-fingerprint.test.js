'use strict';
// Fingerprint rules and error attributes with the real @sentry/node: an error
// class carrying `tags`, `contexts` and `fingerprint` (read by the wrapper from
// hint.originalException) arrives with them merged, and the rules group it.

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecording } = require('./helpers/recording-sentry.js');

class SentryError extends Error {
  constructor(message, { tags, contexts, fingerprint } = {}) {
    super(message);
    // Sentry reports `name` as the exception type: name subclasses after themselves.
    this.name = new.target.name;
    this.tags = tags;
    this.contexts = contexts;
    this.fingerprint = fingerprint;
  }
}
class PaymentError extends SentryError {}
class InventoryError extends SentryError {}

test('error attributes are merged and fingerprint rules group the events', async () => {
  const pf = new Preflight({
    fingerprint: {
      rules: [
        'error.type:PaymentError tags.provider:* -> payment-error, {{ tags.provider }}',
        'message:"order *" -> order, {{ message }}',
      ],
      parameterize_messages: true,
    },
  });
  const payloads = initRecording({
    beforeSend: pf.beforeSend,
  });

  Sentry.captureException(
    new PaymentError('card declined', { tags: { provider: 'acme' }, contexts: { payment: { amount_cents: 1299, api_key: 'k-1' } } }),
  );
  Sentry.captureException(new InventoryError('out of stock', { fingerprint: ['inventory', '{{ default }}'] }));
  Sentry.captureMessage('order 123 failed');
  Sentry.captureMessage('order 456 failed');
  await Sentry.flush(5000);
  await Sentry.close(5000);

  const byValue = (value) => payloads.filter((payload) => payload.exception?.values.at(-1).value === value);
  const [payment] = byValue('card declined');
  const [inventory] = byValue('out of stock');
  const [first] = byValue('order 123 failed');
  const [second] = byValue('order 456 failed');
  assert.equal(payloads.length, 4);
  assert.equal(payment.exception.values.at(-1).type, 'PaymentError');
  assert.equal(payment.tags.provider, 'acme');
  assert.equal(payment.contexts.payment.amount_cents, 1299);
  assert.equal(payment.contexts.payment.api_key, '[Filtered]');
  assert.deepEqual(payment.fingerprint, ['payment-error', 'acme']);
  assert.deepEqual(inventory.fingerprint, ['inventory', '{{ default }}']);
  // @sentry/node gives a message a synthetic exception (value = the message)
  // and a stack trace; the rule's {{ message }} is parameterised.
  assert.deepEqual(first.fingerprint, ['order', 'order <int> failed']);
  assert.deepEqual(second.fingerprint, first.fingerprint);
});
