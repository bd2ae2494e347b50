'use strict';
// Sampling with the real @sentry/node: `tracesSampler: pf.tracesSampler`.

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecording } = require('./helpers/recording-sentry.js');

const POLICY = {
  sampling: {
    traces: {
      default_rate: 0,
      rules: [
        { name: '*/health*', rate: 0, force: true },
        { name: '/api/payment*', op: 'http.server', rate: 0.5 },
      ],
    },
  },
};
const TRACE_ID = '67e5504410b1426f9247bb680e5fe0c8';

function incoming(sampleRand, sampled) {
  return {
    sentryTrace: `${TRACE_ID}-${'b'.repeat(16)}${sampled === undefined ? '' : `-${sampled ? 1 : 0}`}`,
    baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=${sampleRand}`,
  };
}

test('health checks are never sent, payments follow their rule, children follow their parent', async () => {
  const pf = new Preflight(POLICY);
  const payloads = initRecording({ tracesSampler: pf.tracesSampler, traceLifecycle: 'static' });
  const runs = [
    ['/health', incoming('0.01')],
    ['/api/payment/charge', incoming('0.1')],
    ['/api/payment/refund', incoming('0.9')],
    ['/other', incoming('0.01')],
    ['/api/payment/child', incoming('0.9', true)],
    ['/health/child', incoming('0.01', true)],
  ];
  for (const [name, headers] of runs) {
    Sentry.continueTrace(headers, () => Sentry.startSpan({ name, op: 'http.server', forceTransaction: true }, () => {}));
  }
  await Sentry.flush(5000);
  await Sentry.close(5000);
  const sent = payloads.filter((payload) => payload.type === 'transaction').map((payload) => payload.transaction);
  assert.deepEqual(sent.sort(), ['/api/payment/charge', '/api/payment/child']);
});

test('decideTrace agrees with Relay\'s draw', () => {
  const pf = new Preflight(POLICY);
  assert.deepEqual(pf.decideTrace({ name: '/api/payment/charge', op: 'http.server', trace_id: TRACE_ID }), {
    sampled: false,
    sample_rate: 0.5,
    sample_rand: 0.8117029693018862,
  });
});

test('the budget holds errors and transactions apart with the real SDK', async () => {
  const clock = { now: 1000 };
  const pf = new Preflight({ sampling: { budget: { max_events: 3, window_seconds: 60 } } }, { clock: () => clock.now });
  const payloads = initRecording({
    beforeSend: pf.beforeSend,
    beforeSendTransaction: pf.beforeSendTransaction,
    tracesSampleRate: 1,
    traceLifecycle: 'static',
  });
  for (let index = 0; index < 5; index += 1) Sentry.captureMessage(`burst ${index}`);
  Sentry.startSpan({ name: '/checkout', op: 'http.server', forceTransaction: true }, () => {});
  // The SDK runs beforeSend asynchronously: let this burst go through before the clock moves.
  await Sentry.flush(5000);
  clock.now += 20; // a third of the window: one token back
  for (let index = 0; index < 2; index += 1) Sentry.captureMessage(`later ${index}`);
  await Sentry.flush(5000);
  await Sentry.close(5000);
  const sent = payloads.filter((p) => p.message || p.type === 'transaction').map((p) => p.message || p.transaction);
  // The SDK's async processing may hand the events of one burst over in any order.
  const count = (prefix) => sent.filter((name) => name.startsWith(prefix)).length;
  assert.deepEqual([count('burst '), count('/checkout'), count('later ')], [3, 1, 1], sent.join(', '));
});

test('a launch rule decays with the clock in the real SDK', async () => {
  const clock = { now: 250 };
  const pf = new Preflight(
    {
      sampling: {
        traces: {
          default_rate: 0,
          rules: [
            {
              name: '/launch*',
              rate: 1,
              time_range: { start: '1970-01-01T00:00:00Z', end: '1970-01-01T00:16:40Z' },
              decay: { type: 'linear', decayed_value: 0 },
            },
          ],
        },
      },
    },
    { clock: () => clock.now },
  );
  const payloads = initRecording({ tracesSampler: pf.tracesSampler, traceLifecycle: 'static' });
  const run = (name, sampleRand) =>
    Sentry.continueTrace(incoming(sampleRand), () => Sentry.startSpan({ name, op: 'http.server', forceTransaction: true }, () => {}));
  run('/launch/a', '0.7'); // a quarter through the range: rate 0.75
  run('/launch/b', '0.8');
  clock.now = 1000; // the range has ended: the default rate, 0
  run('/launch/c', '0.01');
  await Sentry.flush(5000);
  await Sentry.close(5000);
  const sent = payloads.filter((payload) => payload.type === 'transaction').map((payload) => payload.transaction);
  assert.deepEqual(sent, ['/launch/a']);
  clock.now = 250;
  assert.equal(pf.tracesSampler({ name: '/launch/x' }), 0.75);
});

test('a broken clock never breaks the hooks', () => {
  const pf = new Preflight(
    {
      sampling: {
        budget: { max_events: 1, window_seconds: 1 },
        traces: { rules: [{ rate: 0, time_range: { end: '2100-01-01T00:00:00Z' } }] },
      },
    },
    {
      clock: () => {
        throw new Error('no time today');
      },
    },
  );
  assert.deepEqual(pf.beforeSend({ message: 'first' }, {}), { message: 'first' });
  assert.equal(pf.beforeSend({ message: 'second' }, {}), null, 'without a time no token comes back');
  assert.equal(pf.tracesSampler({ name: '/x' }), 1, 'a time-ranged rule needs a time');
});
