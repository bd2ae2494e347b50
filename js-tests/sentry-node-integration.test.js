'use strict';
// preflightIntegration with the real @sentry/node: one line installs every
// hook, each after the user's own, so what a user's hook adds is scrubbed
// and what it drops stays dropped.

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { preflightIntegration } = require('sentry-preflight');
const { initRecordingEnvelopes } = require('./helpers/recording-sentry.js');

const TOKEN = 'PLANTED-integration-token-9a3f';
const ADDED = 'PLANTED-added-by-user-hook-61c0';
const EMAIL = 'ada.lovelace@example.com';
// Built at run time: frames' source lines (sent with the kept events) hold the code, not this text.
const DROPPED = ['dropped', 'by', 'the', 'user', 'hook'].join('-');

async function capture(options, send) {
  const envelopes = initRecordingEnvelopes({ enableLogs: true, ...options });
  send();
  await Sentry.flush(2000);
  await Sentry.close(2000);
  return envelopes.map((envelope) => envelope.text).join('\n');
}

test('the integration scrubs events, logs and breadcrumbs after the user hooks ran', async () => {
  const sent = await capture(
    {
      integrations: [preflightIntegration({})],
      // The user's hooks add a secret and drop what they do not want: preflight comes after them.
      beforeSend: (event) => {
        if (event.message === DROPPED) return null;
        event.extra = { ...event.extra, session_token: ADDED };
        return event;
      },
      beforeBreadcrumb: (crumb) => ({ ...crumb, data: { ...crumb.data, api_key: ADDED } }),
    },
    () => {
      Sentry.addBreadcrumb({ message: 'cart', data: { items: 3 } });
      Sentry.setExtra('access_token', TOKEN);
      Sentry.captureMessage(`checkout failed for ${EMAIL}`);
      Sentry.captureMessage(DROPPED);
      Sentry.logger.warn(`password=${TOKEN}`);
    },
  );
  for (const secret of [TOKEN, ADDED, EMAIL]) assert.ok(!sent.includes(secret), `${secret} was sent`);
  assert.ok(!sent.includes(DROPPED), 'the event the user hook dropped was sent');
  assert.match(sent, /checkout failed for \[Filtered\]/);
  assert.match(sent, /"session_token":"\[Filtered\]"/);
  assert.match(sent, /password=\[Filtered\]/);
});

test('sendDefaultPii decides the PII key list unless the policy says', async () => {
  const event = () => Sentry.captureEvent({ message: 'who', user: { email: EMAIL, ip_address: '203.0.113.5' } });
  const sentWithPii = await capture({ integrations: [preflightIntegration({})], sendDefaultPii: true }, event);
  assert.ok(sentWithPii.includes('203.0.113.5'), 'sendDefaultPii: true keeps the user address');
  const sentWithout = await capture({ integrations: [preflightIntegration({})], sendDefaultPii: false }, event);
  assert.ok(!sentWithout.includes('203.0.113.5'));
  const policySays = await capture(
    { integrations: [preflightIntegration({ scrub: { send_default_pii: false } })], sendDefaultPii: true },
    event,
  );
  assert.ok(!policySays.includes('203.0.113.5'), 'the policy wins over the SDK option');
});

test("attributes set on the scope, which join logs and metrics after their hooks, are scrubbed too", async () => {
  const sent = await capture({ integrations: [preflightIntegration({})] }, () => {
    Sentry.getCurrentScope().setAttributes({ 'customer.email': EMAIL, session_token: TOKEN, region: 'eu-west-1' });
    Sentry.logger.info('checkout started');
    Sentry.metrics.count('checkout.started', 1);
  });
  for (const secret of [TOKEN, EMAIL]) assert.ok(!sent.includes(secret), `${secret} was sent`);
  assert.match(sent, /"customer\.email":\{"value":"\[Filtered\]"/);
  assert.match(sent, /"region":\{"value":"eu-west-1"/);
  assert.match(sent, /"type":"log"/);
  assert.match(sent, /"type":"trace_metric"/);
});
