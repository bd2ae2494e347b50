'use strict';
// Per-call cost in Node of preflight's sampling hooks against a hand-written
// tracesSampler with the same rules, in one run.
//
//     node benchmarks/sampling.js        (after ./scripts/test has built pkg/wasm)

const { Preflight } = require('../pkg');

const ROUNDS = 10;
const CALLS = 20000;
const POLICY = {
  sampling: {
    traces: {
      default_rate: 0.05,
      rules: [
        { name: '*/health*', rate: 0, force: true },
        { name: '/api/payment*', op: 'http.server', rate: 0.5 },
        { name: '/api/*', attributes: { 'http.request.method': 'POST' }, rate: 0.25 },
      ],
    },
  },
};
// What @sentry/core passes to tracesSampler for an incoming request (no parent decision).
const CONTEXT = {
  name: 'GET /api/orders',
  attributes: { 'sentry.op': 'http.server', 'http.request.method': 'GET', 'sentry.source': 'route' },
  parentSampled: undefined,
  parentSampleRate: undefined,
  normalizedRequest: { url: 'http://localhost/api/orders', method: 'GET', headers: { host: 'localhost' } },
};

/** A glob as a team writes it by hand: `*` → `.*`, anchored. */
function globRegex(glob) {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
const HEALTH = globRegex('*/health*');
const PAYMENT = globRegex('/api/payment*');
const API = globRegex('/api/*');

/** The same three rules as a team writes them today. */
function handWrittenSampler(context) {
  if (context.parentSampled !== undefined) return context.parentSampled ? 1 : 0;
  const name = context.name || '';
  const attributes = context.attributes || {};
  if (HEALTH.test(name)) return 0;
  if (PAYMENT.test(name) && attributes['sentry.op'] === 'http.server') return 0.5;
  if (API.test(name) && attributes['http.request.method'] === 'POST') return 0.25;
  return 0.05;
}

function perCall(call) {
  const timings = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < CALLS; index += 1) call(CONTEXT);
    timings.push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)];
}

function main() {
  const pf = new Preflight(POLICY);
  if (pf.tracesSampler(CONTEXT) !== handWrittenSampler(CONTEXT)) throw new Error('the samplers disagree');
  const runs = {
    'preflight `tracesSampler` (3 rules)': pf.tracesSampler,
    'preflight `decideTrace` (3 rules, with Relay\'s draw)': pf.decideTrace,
    'hand-written `tracesSampler` (the same rules, RegExp)': handWrittenSampler,
  };
  console.log(`| Node ${process.version}, per sampling call (median of ${ROUNDS} rounds of ${CALLS}) | µs |`);
  console.log('|---|---|');
  for (const [name, run] of Object.entries(runs)) console.log(`| ${name} | ${perCall(run).toFixed(2)} |`);
}

main();
