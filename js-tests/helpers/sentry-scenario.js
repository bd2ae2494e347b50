'use strict';
// One real @sentry/node session with secrets planted across the scope, the
// request and a span, recorded at the transport. Each test file runs it once:
// @sentry/node sets up tracing once per process.

const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecordingEnvelopes } = require('./recording-sentry.js');

const SECRETS = {
  authorization: 'Bearer PLANTED-js-bearer-1c7e',
  cookie: 'PLANTED-js-session-cookie-98ab',
  query: 'PLANTED-js-query-token-3f02',
  extra: 'PLANTED-js-client-secret-5d64',
  context: 'PLANTED-js-card-token-e1a9',
  tag: 'PLANTED-js-tag-api-key-7b3c',
  crumb: 'PLANTED-js-crumb-token-0d5f',
  span: 'PLANTED-js-span-password-4e88',
  address: '203.0.113.99',
};

async function captureScenario(extraOptions) {
  const pf = new Preflight({});
  const envelopes = initRecordingEnvelopes({
    beforeSend: pf.beforeSend,
    beforeSendTransaction: pf.beforeSendTransaction,
    beforeSendSpan: pf.beforeSendSpan,
    beforeBreadcrumb: pf.beforeBreadcrumb,
    sendDefaultPii: true,
    tracesSampleRate: 1,
    ...extraOptions,
  });

  Sentry.setExtra('client_secret', SECRETS.extra);
  Sentry.setContext('payment', { provider: 'acme', card_token: SECRETS.context });
  Sentry.setTag('api_key', SECRETS.tag);
  Sentry.setUser({ id: '42', ip_address: SECRETS.address });
  Sentry.addBreadcrumb({ category: 'cart', message: 'loaded cart', data: { items: 3, auth_token: SECRETS.crumb } });
  Sentry.getIsolationScope().setSDKProcessingMetadata({
    normalizedRequest: {
      url: 'https://shop.example/checkout',
      method: 'POST',
      headers: { authorization: SECRETS.authorization, accept: 'text/html', cookie: `sessionid=${SECRETS.cookie}` },
      cookies: { sessionid: SECRETS.cookie, theme: 'dark' },
      query_string: `page=2&access_token=${SECRETS.query}`,
    },
  });
  Sentry.captureException(new Error('checkout failed'));
  Sentry.startSpan({ name: '/api/pay', op: 'http.server' }, () => {
    Sentry.startSpan({ name: 'SELECT * FROM cards', op: 'db.query' }, (span) => {
      span.setAttribute('db.password', SECRETS.span);
    });
  });
  await Sentry.flush(5000);
  await Sentry.close(5000);

  const all = envelopes.map((envelope) => envelope.text).join('\n');
  const leaked = Object.entries(SECRETS).filter(([, secret]) => all.includes(secret)).map(([name]) => name);
  return { leaked, items: envelopes.flatMap((envelope) => envelope.items) };
}

function assertErrorEventScrubbed(items) {
  const error = items.find((item) => item.header.type === 'event').payload;
  assert.equal(error.exception.values[0].value, 'checkout failed');
  assert.equal(error.request.headers.authorization, '[Filtered]');
  assert.equal(error.request.headers.accept, 'text/html');
  assert.equal(error.request.cookies.sessionid, '[Filtered]');
  assert.equal(error.request.cookies.theme, 'dark');
  assert.equal(error.request.query_string, 'page=2&access_token=[Filtered]');
  assert.equal(error.extra.client_secret, '[Filtered]');
  assert.equal(error.contexts.payment.card_token, '[Filtered]');
  assert.equal(error.contexts.payment.provider, 'acme');
  assert.equal(error.tags.api_key, '[Filtered]');
  assert.equal(error.user.id, '42');
  const crumb = error.breadcrumbs.find((b) => b.category === 'cart');
  assert.deepEqual(crumb.data, { items: 3, auth_token: '[Filtered]' });
  assert.deepEqual(error._meta.extra.client_secret[''].rem, [['@preflight:secret-key', 's', 0, 10]]);
}

module.exports = { captureScenario, assertErrorEventScrubbed };
