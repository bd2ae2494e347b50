// Must NOT compile (types.test.js checks that tsc rejects it): a policy is
// an object or JSON text, never a number.
import { Preflight } from 'sentry-preflight';

new Preflight(42);
