'use strict';
// Sentry.init with a transport that keeps the payload of every envelope item
// it is handed: what @sentry/node would send, after the hooks ran.

const Sentry = require('@sentry/node');

function initRecording(options) {
  const payloads = [];
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    transport: (transportOptions) =>
      Sentry.createTransport(transportOptions, async (request) => {
        const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
        const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
        for (let index = 1; index < lines.length; index += 2) payloads.push(lines[index + 1]);
        return { statusCode: 200 };
      }),
    ...options,
  });
  return payloads;
}

module.exports = { initRecording };
