// Compiled (not run) by types.test.js: the browser entry's declarations.
import { init, preflightIntegration, Preflight } from 'sentry-preflight/web';

const integration = preflightIntegration({ scrub: { patterns: ['@email'] } }, { module: new URL('https://cdn.example/preflight.wasm') });
init('/preflight.wasm').then(() => new Preflight({}));
console.log(integration.name);
