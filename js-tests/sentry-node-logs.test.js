'use strict';
// Logs and metrics through the real @sentry/node: `beforeSendLog` and
// `beforeSendMetric` take out what the log and trace_metric items would carry
// (a log's secret is in its message and in its `sentry.message.parameter.*`
// attribute; a metric's in its attributes).

const test = require('node:test');
const assert = require('node:assert/strict');
const Sentry = require('@sentry/node');
const { Preflight } = require('sentry-preflight');
const { initRecordingEnvelopes } = require('./helpers/recording-sentry.js');

const CARD = '4111 1111 1111 1111';
const EMAIL = 'ada.lovelace@example.com';
const PASSWORD = 'PLANTED-js-log-password-77c1';
const TOKEN = 'ghp_PLANTEDjsTokenABCDEFGHIJKLMNOPQRSTUV';
const PLANTED = [CARD, EMAIL, PASSWORD, TOKEN];

async function capture(hooks) {
  const envelopes = initRecordingEnvelopes({ release: 'shop@1.2.3', environment: 'prod', enableLogs: true, ...hooks });
  Sentry.logger.info(Sentry.logger.fmt`card ${CARD} for ${EMAIL}`);
  Sentry.logger.warn(`password=${PASSWORD} token ${TOKEN}`, { 'user.login': 'ada' });
  Sentry.metrics.count('checkout.failed', 1, { attributes: { email: EMAIL, region: 'eu-west-1' } });
  await Sentry.flush(2000);
  await Sentry.close(2000);
  return {
    text: envelopes.map((envelope) => envelope.text).join('\n'),
    items: envelopes.flatMap((envelope) => envelope.items),
  };
}

function entries(items, type) {
  return items.filter((item) => item.header.type === type).flatMap((item) => item.payload.items);
}

test('without the hooks, logs and metrics carry every planted secret', async () => {
  const { text } = await capture({});
  assert.deepEqual(PLANTED.filter((secret) => !text.includes(secret)), []);
});

test('logs and metrics leave without a planted secret, their protocol attributes intact', async () => {
  const pf = new Preflight({});
  const { text, items } = await capture({ beforeSendLog: pf.beforeSendLog, beforeSendMetric: pf.beforeSendMetric });
  assert.deepEqual(PLANTED.filter((secret) => text.includes(secret)), []);

  const logs = entries(items, 'log');
  assert.equal(logs.length, 2);
  const card = logs.find((log) => log.attributes['sentry.message.template']);
  assert.equal(card.body, 'card [Filtered] for [Filtered]');
  assert.equal(card.attributes['sentry.message.template'].value, 'card %s for %s');
  assert.equal(card.attributes['sentry.message.parameter.0'].value, '[Filtered]');
  assert.equal(card.attributes['sentry.message.parameter.1'].value, '[Filtered]');
  assert.equal(card.attributes['sentry.release'].value, 'shop@1.2.3');
  assert.equal(card.attributes['sentry.environment'].value, 'prod');
  assert.match(card.attributes['sentry.sdk.name'].value, /^sentry\.javascript\.node/);
  assert.equal(card.level, 'info');

  const login = logs.find((log) => log.level === 'warn');
  assert.equal(login.body, 'password=[Filtered] token [Filtered]');
  assert.equal(login.attributes['user.login'].value, 'ada');

  const [metric] = entries(items, 'trace_metric');
  assert.deepEqual([metric.name, metric.type, metric.value], ['checkout.failed', 'counter', 1]);
  assert.equal(metric.attributes.email.value, '[Filtered]');
  assert.equal(metric.attributes.region.value, 'eu-west-1');
});
