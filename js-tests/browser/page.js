// The page of browser.test.js, bundled by esbuild the way an app bundles
// @sentry/browser and sentry-preflight (the package's "browser" entry).
import * as Sentry from '@sentry/browser';
import { init, Preflight } from 'sentry-preflight';

// @sentry/browser names a pageload "Pageload" when it samples it; the path is an attribute.
// A sampling rule is one of the rule sections: `init` fetches the whole core's module for it.
const POLICY = {
  sampling: { traces: { default_rate: 0, rules: [{ op: 'pageload', attributes: { 'url.path': '/checkout' }, rate: 1 }] } },
};

async function main() {
  await init(undefined, { policy: POLICY });
  const pf = new Preflight(POLICY);
  window.samplerDecisions = {
    checkout: pf.tracesSampler({ name: 'Pageload', attributes: { 'sentry.op': 'pageload', 'url.path': '/checkout' } }),
    health: pf.tracesSampler({ name: 'Pageload', attributes: { 'sentry.op': 'pageload', 'url.path': '/health' } }),
  };
  Sentry.init({
    dsn: `http://public@${window.location.host}/1`,
    integrations: [Sentry.browserTracingIntegration()],
    beforeSend: pf.beforeSend,
    tracesSampler: pf.tracesSampler,
    enableLogs: true,
    beforeSendLog: pf.beforeSendLog,
    beforeSendMetric: pf.beforeSendMetric,
  });
  // A log and a metric carrying the same card and email: sent by flush().
  Sentry.logger.warn(Sentry.logger.fmt`card ${'4111 1111 1111 1111'} declined for ${'jane.doe@example.com'}`);
  Sentry.metrics.count('checkout.declined', 1, { attributes: { email: 'jane.doe@example.com' } });
  Sentry.flush();
  setTimeout(() => {
    const error = new Error('payment declined for card 4111 1111 1111 1111 of jane.doe@example.com');
    error.name = 'PaymentError';
    throw error;
  });
}

main().catch((error) => {
  window.pageFailure = String(error && error.stack ? error.stack : error);
});
