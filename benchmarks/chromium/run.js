'use strict';
// The hooks' cost in headless Chromium (Debian's, as the browser test drives
// it), where a phone's cost is felt: the page (page.js, bundled by esbuild
// with the package's browser build) times each hook against a JSON round trip
// of the same items, on the corpora of benchmarks/speed.js, and this prints
// the table.
//
//     node benchmarks/chromium/run.js        (after ./scripts/test has built pkg/ and js-tests/)

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createRequire } = require('node:module');

const ROOT = path.join(__dirname, '..', '..');
const fromTests = createRequire(path.join(ROOT, 'js-tests', 'package.json'));
const esbuild = fromTests('esbuild');
const { chromium } = fromTests('playwright-core');

const CORPORA = [
  ['corpus/node-errors.jsonl', 'beforeSend'],
  ['corpus/node-transactions.jsonl', 'beforeSendTransaction'],
  ['corpus/node-spans.jsonl', 'beforeSendSpan'],
  ['sentry-python-large-events.jsonl', 'beforeSend'],
];

function corpora() {
  return CORPORA.map(([file, hook]) => ({
    file,
    hook,
    items: fs.readFileSync(path.join(ROOT, 'samples', file), 'utf8').trim().split('\n').map((line) => JSON.parse(line)),
  }));
}

async function main() {
  const script = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'page.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    nodePaths: [path.join(ROOT, 'js-tests', 'node_modules')],
  }).outputFiles[0].text;
  const wasm = fs.readFileSync(fromTests.resolve('sentry-preflight/preflight.wasm'));
  const body = JSON.stringify(corpora());
  const files = {
    '/bundle.js': ['text/javascript', script],
    '/preflight_wasm_bg.wasm': ['application/wasm', wasm],
    '/corpora.json': ['application/json', body],
  };
  const server = http.createServer((request, response) => {
    const [type, content] = files[new URL(request.url, 'http://127.0.0.1').pathname] || [
      'text/html',
      '<!doctype html><title>timing</title><script type="module" src="/bundle.js"></script>',
    ];
    response.writeHead(200, { 'content-type': type }).end(content);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.PREFLIGHT_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.results || window.failure, null, { timeout: 30 * 60 * 1000, polling: 1000 });
    const failure = await page.evaluate(() => window.failure);
    if (failure) throw new Error(failure);
    const version = browser.version();
    console.log(`\nHeadless Chromium ${version}, per item, median of 5 turns of 40 rounds each\n`);
    console.log('| corpus | hook | items | preflight µs | JSON round trip µs | × |');
    console.log('|---|---|---|---|---|---|');
    for (const row of await page.evaluate(() => window.results)) {
      console.log(`| \`${row.file}\` | \`${row.hook}\` | ${row.count} | ${row.preflight.toFixed(1)} | ${row.roundTrip.toFixed(1)} | ${(row.preflight / row.roundTrip).toFixed(2)} |`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
