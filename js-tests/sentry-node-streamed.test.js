'use strict';
// preflight plugged into the real @sentry/node: what its transport is handed is scrubbed.

const test = require('node:test');
const assert = require('node:assert/strict');
const { captureScenario, assertErrorEventScrubbed } = require('./helpers/sentry-scenario.js');

test('streamed spans (the default lifecycle): nothing planted reaches the transport', async () => {
  const { leaked, items } = await captureScenario({});
  assert.deepEqual(leaked, []);
  assertErrorEventScrubbed(items);
  const spans = items.filter((item) => item.header.type === 'span').flatMap((item) => item.payload.items);
  const query = spans.find((span) => span.name === 'SELECT * FROM cards');
  assert.deepEqual(query.attributes['db.password'], { value: '[Filtered]', type: 'string' });
  assert.deepEqual(query.attributes['user.ip_address'], { value: '[Filtered]', type: 'string' });
  assert.deepEqual(query.attributes['user.id'], { value: '42', type: 'string' });
  assert.equal(query.attributes['sentry.op'].value, 'db.query');
});
