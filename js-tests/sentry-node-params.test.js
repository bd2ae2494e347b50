'use strict';
// Span data with the real @sentry/node: secrets redacted, long values cut at a
// character boundary, nested objects flattened, SQL literals out of descriptions.

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecording } = require('./helpers/recording-sentry.js');

const LONG = '注文の詳細😀'.repeat(400);

test('transaction spans arrive redacted, cut and flattened', async () => {
  const pf = new Preflight({ params: { max_value_bytes: 256, tag_params: ['order_id'] } });
  const payloads = initRecording({
    beforeSendTransaction: pf.beforeSendTransaction,
    tracesSampleRate: 1,
    traceLifecycle: 'static',
  });
  Sentry.startSpan({ name: '/orders', op: 'http.server' }, () => {
    Sentry.startSpan({ name: "SELECT * FROM orders WHERE email = 'ada@example.com' AND id = 42", op: 'db.sql.query' }, (span) => {
      span.setAttribute('rpc.param.order_id', 'ORD-77');
      span.setAttribute('rpc.param.api_token', 'tok-PLANTED');
      span.setAttribute('note', LONG);
      span.setAttribute('ids', [1, 2, 3]);
    });
  });
  await Sentry.flush(5000);
  await Sentry.close(5000);

  const transaction = payloads.find((payload) => payload.type === 'transaction');
  const span = transaction.spans.find((s) => s.op === 'db.sql.query');
  assert.equal(span.description, 'SELECT * FROM orders WHERE email = %s AND id = %s');
  assert.equal(span.data['rpc.param.api_token'], '[Filtered]');
  assert.deepEqual(span.data.ids, [1, 2, 3]);
  const note = span.data.note;
  assert.ok(Buffer.byteLength(note, 'utf8') <= 256 && note.endsWith('...'));
  assert.ok(LONG.startsWith(note.slice(0, -3)), 'cut at a character boundary');
  assert.equal(transaction.tags.order_id, 'ORD-77');
  assert.ok(!JSON.stringify(payloads).includes('tok-PLANTED'));
});
