// Compiled (not run) by types.test.js: the declarations in pkg/index.d.ts
// must fit @sentry/node's own option types.
import * as Sentry from '@sentry/node';
import { Preflight, PolicyError, type Policy } from 'sentry-preflight';

const policy: Policy = {
  scrub: { deny_keys: ['ssn'], patterns: ['@creditcard', '!@ip', { id: 'order', regex: 'ORD-[0-9]+', method: 'mask' }] },
  sampling: { traces: { default_rate: 0.1, rules: [{ name: '*/health*', rate: 0, force: true }] } },
  on_error: 'drop',
};
const pf = new Preflight(policy);
const fromText: Preflight = new Preflight('{}');

Sentry.init({
  dsn: 'http://public@127.0.0.1:9/1',
  beforeSend: pf.beforeSend,
  beforeSendTransaction: fromText.beforeSendTransaction,
  beforeBreadcrumb: pf.beforeBreadcrumb,
  beforeSendSpan: pf.beforeSendSpan,
  tracesSampler: pf.tracesSampler,
});

try {
  new Preflight('{"scrub": 1}');
} catch (error) {
  if (error instanceof PolicyError) {
    const where: string = error.path;
    const why: string = error.reason;
    console.log(where, why);
  }
}

const driven = new Preflight({ sampling: { budget: { max_events: 10, window_seconds: 60 } } }, { clock: () => 1_800_000_000 });
const decision: { sampled: boolean; sample_rate: number; sample_rand: number | null } = driven.decideTrace({ name: '/x' });
console.log(decision.sampled);

// A policy kept in its own constant: `satisfies Policy` checks it and keeps its literal types.
const ownPolicy = {
  scrub: { patterns: ['@email', '!@ip'] },
  sampling: { traces: { rules: [{ name: '/health', rate: 0 }, { op: 'db', factor: 0.5 }] } },
  filters: { ignore_logs: { levels: ['debug'] } },
} satisfies Policy;
const logs = new Preflight(ownPolicy);
Sentry.init({
  dsn: 'http://public@127.0.0.1:9/1',
  beforeSendLog: logs.beforeSendLog,
  beforeSendMetric: logs.beforeSendMetric,
});
const plain = pf.beforeSend({ message: 'a plain object passes' });
console.log(plain);
