'use strict';
// Sentry.init with a transport that keeps what @sentry/node would send,
// after the hooks ran: every envelope's text and items, or just the items'
// payloads.

const Sentry = require('@sentry/node');

/** An envelope's text and its items, each a header and a payload. */
function envelopeItems(body) {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const items = [];
  for (let index = 1; index < lines.length; index += 2) items.push({ header: lines[index], payload: lines[index + 1] });
  return { text, items };
}

/** Sentry.init with a transport handing `keep` each envelope, as `envelopeItems` reads it. */
function initKeeping(keep, options) {
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    transport: (transportOptions) =>
      Sentry.createTransport(transportOptions, async (request) => {
        keep(envelopeItems(request.body));
        return { statusCode: 200 };
      }),
    ...options,
  });
}

/** Sentry.init recording every envelope (`{text, items}`; a live list). */
function initRecordingEnvelopes(options) {
  const envelopes = [];
  initKeeping((envelope) => envelopes.push(envelope), options);
  return envelopes;
}

/** Sentry.init recording the payload of every envelope item (a live list). */
function initRecording(options) {
  const payloads = [];
  initKeeping((envelope) => payloads.push(...envelope.items.map((item) => item.payload)), options);
  return payloads;
}

module.exports = { envelopeItems, initRecording, initRecordingEnvelopes };
