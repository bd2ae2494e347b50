'use strict';
// Where the time of one `beforeSend` goes in Node, step by step, on the
// events of a JSONL file: the wrapper's `JSON.stringify`, writing the text
// into the module's memory, the core (read, rules, patch), taking the patch
// out and `JSON.parse` of it, against the whole hook and a JSON round trip
// of the same event. The steps call the module's glue as the wrapper does,
// with the whole default policy (one policy: its memos warm after the
// first round, unlike speed.js, which starts each round with a new one).
//
//     node benchmarks/breakdown.js samples/sentry-python-large-events.jsonl

const fs = require('node:fs');
const path = require('node:path');

const PKG = path.join(__dirname, '..', 'pkg');
const glue = require(path.join(PKG, 'wasm', 'nodejs', 'preflight_wasm.js'));
const { Preflight } = require(PKG);

const ROUNDS = 60;
// V8 compiles a hot WASM function with its optimising tier only after a while:
// the first rounds of each loop (20 here) are not counted.
const WARMUP = 20;
const file = process.argv[2];
if (!file) throw new Error('usage: node benchmarks/breakdown.js EVENTS.jsonl');
const events = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

const core = new glue.WasmPreflight('{}');
const hooks = new Preflight({});
const encoder = new TextEncoder();
const steps = { stringify: 0, write: 0, core: 0, 'take patch': 0, 'parse patch': 0, 'whole hook': 0, 'JSON round trip': 0 };
let patchBytes = 0;
const now = () => process.hrtime.bigint();

for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
  const counted = round >= WARMUP;
  for (const event of events) {
    let start = now();
    const lap = (step) => {
      const end = now();
      if (counted) steps[step] += Number(end - start);
      start = end;
    };
    const text = JSON.stringify(event);
    lap('stringify');
    // UTF-8 takes at most three bytes for each UTF-16 unit, as in the wrapper.
    const capacity = text.length * 3;
    const address = core.inputBuffer(capacity);
    const { written } = encoder.encodeInto(text, new Uint8Array(glue.inputMemory().buffer, address, capacity));
    lap('write');
    const code = core.processEvent(written, Date.now() / 1000, undefined);
    lap('core');
    const patch = code === 1 ? core.takeOutput() : '[]';
    lap('take patch');
    JSON.parse(patch);
    lap('parse patch');
    if (counted) patchBytes += patch.length;
  }
}
// The whole hook in a loop of its own: its policy and the steps' are two, and
// the thread's memo of searched texts is kept for one policy at a time.
for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
  const counted = round >= WARMUP;
  for (const event of events) {
    const copy = structuredClone(event);
    let start = now();
    hooks.beforeSend(copy, {});
    let end = now();
    if (counted) steps['whole hook'] += Number(end - start);
    start = end;
    JSON.parse(JSON.stringify(event));
    if (counted) steps['JSON round trip'] += Number(now() - start);
  }
}

const calls = ROUNDS * events.length;
console.log(`${path.basename(file)}: ${events.length} events, ${ROUNDS} rounds; the patch ${Math.round(patchBytes / calls)} bytes an event`);
for (const [step, nanoseconds] of Object.entries(steps)) {
  console.log(`${step.padEnd(16)} ${(nanoseconds / calls / 1000).toFixed(1).padStart(7)} µs`);
}
