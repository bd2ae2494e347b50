// Must NOT compile (types.test.js checks that tsc rejects each line): a
// policy is an object or JSON text, never a number, and a misspelt member
// is caught before the policy is ever loaded.
import { Preflight } from 'sentry-preflight';

new Preflight(42);
new Preflight({ scrub: { deny_key: ['ssn'] } });
