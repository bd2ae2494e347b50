'use strict';
// Per-event cost in Node of preflight's beforeSend and its peers, on the
// same events in one run: a JSON round trip of the event (the yardstick),
// a plain JS walk replacing values under denylisted keys (what teams write by
// hand), and fast-redact with the same keys as a path list.
//
// Two corpora: ordinary traffic, captured from a shop API with the real
// @sentry/node by benchmarks/corpus/capture.js (a table each for its errors,
// its transactions under traceLifecycle 'static', and its streamed spans:
// samples/corpus/node-{errors,transactions,spans}.jsonl), and the secret-laden samples
// (samples/sentry-python-large-events.jsonl: 8 real sentry-sdk errors,
// 16-20 KB). Each scrubber gets fresh copies (made outside the timing); the
// scrubbers take turns round after round; the median time is reported, and
// the median of the ratios to the round trip timed in the same round.
//
//     node benchmarks/speed.js        (after ./scripts/test has built pkg/)

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const { Preflight } = require('../pkg');
const fastRedact = createRequire(path.join(__dirname, '../js-tests/package.json'))('fast-redact');

const ROUNDS = 40;
const ROOT = path.join(__dirname, '..');
// sentry-python's DEFAULT_DENYLIST, the list a hand-written walk starts from.
const DENYLIST = [
  'password', 'passwd', 'secret', 'api_key', 'apikey', 'auth', 'credentials', 'mysql_pwd',
  'privatekey', 'private_key', 'token', 'session', 'csrftoken', 'sessionid', 'x_csrftoken',
  'x_forwarded_for', 'set_cookie', 'cookie', 'authorization', 'x_api_key', 'aiohttp_session',
  'connect.sid', 'csrf_token', 'csrf', '_csrf', '_csrf_token', 'PHPSESSID', '_session', 'symfony',
  'user_session', '_xsrf', 'XSRF-TOKEN',
];
const DENIED = new Set(DENYLIST.map((key) => key.toLowerCase()));

function denylistWalk(value) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) denylistWalk(value[i]);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (DENIED.has(key.toLowerCase())) value[key] = '[Filtered]';
      else denylistWalk(value[key]);
    }
  }
  return value;
}

// The same keys where Sentry events carry user data, as fast-redact paths.
const PLACES = [
  'request.headers', 'request.cookies', 'request.data', 'extra', 'user', 'contexts.*',
  'breadcrumbs.values[*].data', 'exception.values[*].stacktrace.frames[*].vars',
];
const quote = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
const redact = fastRedact({
  paths: PLACES.flatMap((place) => DENYLIST.map((key) => `${place}${quote(key)}`)),
  censor: '[Filtered]',
  serialize: false,
});

async function perEvent(runs, originals) {
  const timings = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // A turn of the event loop between rounds, as a process has between
    // events: a dropped policy is freed only by its FinalizationRegistry
    // callback, and without one 120 rounds of new policies gave the
    // secret-laden samples 6.3-6.7x (the module's heap grows; see README).
    await new Promise((resolve) => setImmediate(resolve));
    for (const [name, entry] of Object.entries(runs)) {
      // A run is a function, or { fresh } that makes one for each round,
      // outside the timing.
      const made = typeof entry === 'function' ? { run: entry } : entry.fresh();
      const batch = originals.map((event) => structuredClone(event));
      const start = process.hrtime.bigint();
      for (const event of batch) made.run(event);
      timings[name].push(Number(process.hrtime.bigint() - start) / 1000 / batch.length);
    }
  }
  return timings;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function table(file, hook = 'beforeSend') {
  const lines = fs.readFileSync(path.join(ROOT, 'samples', file), 'utf8').trim().split('\n');
  const originals = lines.map((line) => JSON.parse(line));
  const runs = {
    // A new policy each round: its memos start empty, so each event finds
    // only what the events before it left, as in a process that has just
    // started (not the same events of the round before).
    [`preflight defaults (\`${hook}\`)`]: {
      fresh: () => {
        const preflight = new Preflight();
        return { run: (event) => preflight[hook](event, {}) };
      },
    },
    '`JSON.parse(JSON.stringify(event))`': (event) => JSON.parse(JSON.stringify(event)),
    'plain JS denylist walk (sentry-python\'s key list, every level)': denylistWalk,
  };
  // fast-redact's paths are an event's places; a span has none of them.
  if (hook !== 'beforeSendSpan') runs['fast-redact, the same keys at the places events carry user data'] = redact;
  const timings = await perEvent(runs, originals);
  // Each ratio is taken round by round, against the round trip timed in the
  // same round, then the median of those: the machine's speed drifts over a
  // run (by half on a shared one), and a ratio of two medians mixes rounds.
  const yardstick = timings['`JSON.parse(JSON.stringify(event))`'];
  const ratio = (values) => median(values.map((value, round) => value / yardstick[round]));
  const sizes = lines.map((line) => line.length).sort((a, b) => a - b);
  console.log(`\n\`samples/${file}\`: ${lines.length} items, median ${(sizes[sizes.length >> 1] / 1024).toFixed(1)} KB; median of ${ROUNDS} rounds (×: the median of each round's ratio)\n`);
  console.log('| Node, per event | µs | × JSON round trip |');
  console.log('|---|---|---|');
  for (const [name, values] of Object.entries(timings)) {
    console.log(`| ${name} | ${median(values).toFixed(1)} | ${ratio(values).toFixed(2)} |`);
  }
}

(async () => {
  await table('corpus/node-errors.jsonl');
  await table('corpus/node-transactions.jsonl', 'beforeSendTransaction');
  await table('corpus/node-spans.jsonl', 'beforeSendSpan');
  await table('sentry-python-large-events.jsonl');
})();
