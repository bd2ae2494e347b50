'use strict';
// preflight plugged into the real @sentry/node: what its transport is handed is scrubbed.

const test = require('node:test');
const assert = require('node:assert/strict');
const { captureScenario, assertErrorEventScrubbed } = require('./helpers/sentry-scenario.js');

test('static lifecycle: transactions go through beforeSendTransaction', async () => {
  const { leaked, items } = await captureScenario({ traceLifecycle: 'static' });
  assert.deepEqual(leaked, []);
  assertErrorEventScrubbed(items);
  const transaction = items.find((item) => item.header.type === 'transaction').payload;
  const span = transaction.spans.find((s) => s.op === 'db.query');
  assert.equal(span.data['db.password'], '[Filtered]');
  assert.equal(span.trace_id, transaction.contexts.trace.trace_id);
});
