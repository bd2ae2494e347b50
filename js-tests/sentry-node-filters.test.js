'use strict';
// Filters with the real @sentry/node: dropped events never reach the transport.
// The wrapper names the error's class and its base classes from
// hint.originalException, so a subclass of an ignored error is ignored too,
// and an HTTP status the error carries counts as the response's.

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecording } = require('./helpers/recording-sentry.js');

class ClientDisconnect extends Error {}
class UpstreamDisconnect extends ClientDisconnect {}
class NotFound extends Error {
  constructor(message) {
    super(message);
    this.status = 404;
  }
}

test('ignored errors (by base class, by status, by message) and transactions never reach the transport', async () => {
  const pf = new Preflight({
    filters: {
      ignore_errors: ['ClientDisconnect', 're:(?i)timeout'],
      ignore_status: [404],
      ignore_transactions: ['*/health*'],
    },
  });
  const payloads = initRecording({
    beforeSend: pf.beforeSend,
    beforeSendTransaction: pf.beforeSendTransaction,
    tracesSampleRate: 1,
    traceLifecycle: 'static',
  });

  Sentry.captureException(new UpstreamDisconnect('client went away'));
  Sentry.captureException(new NotFound('no such order'));
  Sentry.captureException(new Error('upstream Timeout after 30s'));
  Sentry.captureException(new Error('kept: a real problem'));
  Sentry.startSpan({ name: 'GET /healthz', op: 'http.server' }, () => {});
  Sentry.startSpan({ name: 'GET /api/orders', op: 'http.server' }, () => {});
  await Sentry.flush(5000);
  await Sentry.close(5000);

  const errors = payloads.filter((payload) => payload.exception).map((payload) => payload.exception.values.at(-1).value);
  const transactions = payloads.filter((payload) => payload.type === 'transaction').map((payload) => payload.transaction);
  assert.deepEqual(errors, ['kept: a real problem']);
  assert.deepEqual(transactions, ['GET /api/orders']);
});
