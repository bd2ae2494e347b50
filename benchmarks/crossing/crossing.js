'use strict';
// Times each way of crossing into WASM (built by ./run) on the same events
// as benchmarks/speed.js, against V8's own JSON round trip, in one run.

const fs = require('node:fs');
const path = require('node:path');
const crossing = require('./out/preflight_crossing.js');

const ROUNDS = 20;
const CALLS = 400;
const lines = fs.readFileSync(path.join(__dirname, '..', '..', 'samples', 'sentry-python-large-events.jsonl'), 'utf8').trim().split('\n');
const events = lines.map((line) => JSON.parse(line));

const runs = {
  '`JSON.parse(JSON.stringify(event))` (V8 alone)': (event) => JSON.parse(JSON.stringify(event)),
  '`JSON.stringify(event)` alone': (event) => JSON.stringify(event),
  'JSON text in and out (stringify, serde parse and serialise, `JSON.parse`)': (event) => JSON.parse(crossing.jsonInOut(JSON.stringify(event))),
  'JSON text in only (stringify, serde parse)': (event) => crossing.jsonIn(JSON.stringify(event)),
  'serde-wasm-bindgen in and out': (event) => crossing.serdeWasmBindgenInOut(event),
  'reading the JS object in place from Rust (js-sys), nothing out': (event) => crossing.readInPlace(event),
};
const timings = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, run] of Object.entries(runs)) {
    const start = process.hrtime.bigint();
    for (let call = 0; call < CALLS; call += 1) run(events[call % events.length]);
    timings[name].push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
  }
}
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
const yardstick = median(timings['`JSON.parse(JSON.stringify(event))` (V8 alone)']);
console.log('| Node, per event | µs | × JSON round trip |\n|---|---|---|');
for (const [name, values] of Object.entries(timings)) {
  const cost = median(values);
  console.log(`| ${name} | ${cost.toFixed(1)} | ${(cost / yardstick).toFixed(2)} |`);
}
