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
