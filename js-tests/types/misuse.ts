// Must NOT compile (types.test.js checks that tsc rejects each line): a
// policy is an object or JSON text, never a number, and a misspelt member
// is caught before the policy is ever loaded.
import * as Sentry from '@sentry/node';
import { Preflight, type Policy } from 'sentry-preflight';

new Preflight(42);
new Preflight({ scrub: { deny_key: ['ssn'] } });
const misspeltFamily: Policy = { scrub: { patterns: ['@emial'] } };
const ruleWithoutRate: Policy = { sampling: { traces: { rules: [{ name: '/health' }] } } };
const pf = new Preflight({});
Sentry.init({ beforeSendLog: pf.beforeSend });
Sentry.init({ beforeSendMetric: pf.beforeSendLog });
Sentry.init({ beforeSend: pf.beforeSendTransaction, beforeSendTransaction: pf.beforeSend });
console.log(misspeltFamily, ruleWithoutRate);
