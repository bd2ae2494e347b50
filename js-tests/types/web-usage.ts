// Compiled (not run) by types.test.js: the browser entry's declarations.
import { init, preflightIntegration, Preflight } from 'sentry-preflight/web';

const integration = preflightIntegration({ scrub: { patterns: ['@email'] } }, { module: new URL('https://cdn.example/preflight.wasm') });
init('/preflight.wasm').then(() => new Preflight({}));
console.log(integration.name);
// Relay's rules and the rule sections live in a second module: loaded for the policy that needs them, or from a URL.
const relayPolicy = { scrub: { relay: { applications: { $string: ['@email:replace'] } } } } as const;
init(undefined, { policy: relayPolicy }).then(() => new Preflight(relayPolicy));
init('/preflight.wasm', { full: '/preflight-full.wasm' });
preflightIntegration(relayPolicy, { fullModule: new URL('https://cdn.example/preflight-full.wasm') });
