// The page of benchmarks/chromium/run.js, bundled by esbuild as an app bundles
// sentry-preflight (the package's "browser" entry): it times each hook against
// a JSON round trip of the same items, as benchmarks/speed.js does in Node
// (fresh copies made outside the timing, a new policy each round so that its
// memos start empty, the two taking turns, the median of the rounds).
import { init, Preflight } from 'sentry-preflight';

const ROUNDS = 40;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function perItem(items, make) {
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const run = make();
    const batch = items.map((item) => structuredClone(item));
    const start = performance.now();
    for (const item of batch) run(item);
    times.push(((performance.now() - start) * 1000) / batch.length);
  }
  return median(times);
}

async function main() {
  await init();
  const corpora = await (await fetch('/corpora.json')).json();
  const results = [];
  for (const { file, hook, items } of corpora) {
    const preflightTimes = [];
    const roundTripTimes = [];
    // Taking turns, a round of each at a time.
    for (let turn = 0; turn < 5; turn += 1) {
      preflightTimes.push(perItem(items, () => {
        const pf = new Preflight();
        return (item) => pf[hook](item, {});
      }));
      roundTripTimes.push(perItem(items, () => (item) => JSON.parse(JSON.stringify(item))));
    }
    results.push({ file, hook, count: items.length, preflight: median(preflightTimes), roundTrip: median(roundTripTimes) });
  }
  window.results = results;
}

main().catch((error) => {
  window.failure = String((error && error.stack) || error);
});
