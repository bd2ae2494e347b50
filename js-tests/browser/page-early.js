// A page that calls Sentry.init at once, before the module has loaded, so
// that what is thrown while it loads is caught: the integration starts the
// load, the error waits for it and leaves scrubbed; a breadcrumb made
// meanwhile cannot wait, and is dropped (on_error's default).
import * as Sentry from '@sentry/browser';
import { preflightIntegration } from 'sentry-preflight';
import wasmUrl from 'sentry-preflight/preflight.wasm';

Sentry.init({
  dsn: `http://public@${window.location.host}/1`,
  integrations: [preflightIntegration({}, { module: new URL(wasmUrl, import.meta.url) })],
});
Sentry.addBreadcrumb({ message: 'early password=early-secret-1f3a' });
throw new Error('thrown while loading, for card 4111 1111 1111 1111 of jane.doe@example.com');
