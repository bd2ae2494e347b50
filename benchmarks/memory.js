'use strict';
// 1 000 000 beforeSend calls in one process: the JS heap (after a full GC)
// and the memory outside it (`external`, where the WASM module's linear
// memory lives) must stay flat. Run by hand, numbers reported in the README:
//
//     node --expose-gc benchmarks/memory.js        (after ./scripts/test has built pkg/)

const fs = require('node:fs');
const path = require('node:path');
const { Preflight } = require('../pkg');

const CALLS = 1_000_000;
const CHECKPOINTS = [10_000, 250_000, 500_000, 750_000, CALLS];

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
const lines = fs.readFileSync(path.join(__dirname, '..', 'samples', 'sentry-python-events.jsonl'), 'utf8').trim().split('\n');
const events = lines.map((line) => JSON.parse(line));
const preflight = new Preflight();

const mib = (bytes) => (bytes / 1024 / 1024).toFixed(2);
console.log(`${events.length} sentry-sdk events (${lines.map((line) => line.length).join(', ')} bytes), each given fresh to beforeSend\n`);
console.log('| calls | JS heap used (MiB) | external, incl. WASM memory (MiB) | seconds |');
console.log('|---|---|---|---|');
const start = process.hrtime.bigint();
let calls = 0;
for (const checkpoint of CHECKPOINTS) {
  for (; calls < checkpoint; calls += 1) {
    const event = structuredClone(events[calls % events.length]);
    if (preflight.beforeSend(event, {}) === null) throw new Error('an event was dropped');
  }
  global.gc();
  const { heapUsed, external } = process.memoryUsage();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`| ${calls.toLocaleString('en')} | ${mib(heapUsed)} | ${mib(external)} | ${seconds.toFixed(0)} |`);
}
