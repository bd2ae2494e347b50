'use strict';
// @sentry/browser and the package's browser build in headless Chromium:
// a page bundled by esbuild, served on 127.0.0.1, throws an error carrying a
// card number and an email while its URL carries a token; the envelopes
// @sentry/browser's own transport posts to the local server must hold none
// of them, nor may the log and the metric it sends with the same card and
// email (`beforeSendLog`, `beforeSendMetric`), and the pageload must follow
// the policy's sampler (@sentry/browser 11 streams it as span items).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const esbuild = require('esbuild');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.PREFLIGHT_CHROMIUM || '/usr/bin/chromium';
const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const TOKEN = 'tok_51HqLyjWDarjtT1zdp7dc';
const RELAY_POLICY = { scrub: { relay: { applications: { $string: ['@email:replace'] } } } };
const RELAY_MODULE = '/pkg/wasm/web/preflight_full_bg.wasm';

function bundle() {
  const result = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'browser', 'page.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const PKG = path.dirname(require.resolve('sentry-preflight/package.json'));
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** An envelope @sentry/browser's transport posted, kept as text. */
function keepEnvelope(request, response, envelopes) {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    envelopes.push(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200).end('{}');
  });
}

/**
 * Serves the page, the bundle and the .wasm beside it, the package's files
 * as they are under /pkg/ (for a page without a bundler), and records every
 * envelope posted.
 */
function serve(script) {
  const wasm = fs.readFileSync(require.resolve('sentry-preflight/preflight.wasm'));
  const full = fs.readFileSync(require.resolve('sentry-preflight/preflight-full.wasm'));
  const envelopes = [];
  const requested = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    requested.push(url.pathname);
    if (request.method === 'POST' && url.pathname === '/api/1/envelope/') return keepEnvelope(request, response, envelopes);
    if (url.pathname.startsWith('/pkg/')) {
      const file = path.join(PKG, path.normalize(url.pathname.slice('/pkg/'.length)));
      if (!file.startsWith(PKG) || !fs.existsSync(file)) return response.writeHead(404).end();
      return response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'text/plain' }).end(fs.readFileSync(file));
    }
    if (url.pathname === '/unbundled') {
      return response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module">
        import { init, Preflight } from '/pkg/web.js';
        await init();
        window.scrubbed = new Preflight().beforeSend({ message: 'card ${CARD} of ${EMAIL}' }).message;
      </script>`);
    }
    if (url.pathname === '/relay-integration') {
      // The integration set up before anything is loaded, as a page calling Sentry.init at once does.
      return response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module">
        import { preflightIntegration } from '/pkg/web.js';
        const options = {};
        preflightIntegration(${JSON.stringify(RELAY_POLICY)}).setup({ getOptions: () => options });
        window.scrubbed = (await options.beforeSend({ message: 'mail ${EMAIL} now' }, {})).message;
      </script>`);
    }
    if (url.pathname === '/relay-bad-policy') {
      // A Relay config only the second module can refuse, under on_error "pass", set up after init().
      const policy = { on_error: 'pass', scrub: { relay: { applications: { '$string && (': ['@ip'] } } } };
      return response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module">
        import { init, preflightIntegration } from '/pkg/web.js';
        await init();
        const options = {};
        preflightIntegration(${JSON.stringify(policy)}).setup({ getOptions: () => options });
        const sent = await options.beforeSend({ message: 'mail ${EMAIL} now' }, {});
        window.scrubbed = sent === null ? 'dropped' : sent.message;
      </script>`);
    }
    if (url.pathname === '/relay') {
      return response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module">
        import { init, Preflight } from '/pkg/web.js';
        const policy = ${JSON.stringify(RELAY_POLICY)};
        await init(undefined, { policy: {} });
        try {
          new Preflight(policy);
        } catch (error) {
          window.before = error.message;
        }
        await init(undefined, { policy });
        window.scrubbed = new Preflight(policy).beforeSend({ message: 'mail ${EMAIL} now' }).message;
      </script>`);
    }
    const files = {
      '/bundle.js': ['text/javascript', script],
      '/preflight_wasm_bg.wasm': ['application/wasm', wasm],
      '/preflight_full_bg.wasm': ['application/wasm', full],
    };
    const [type, body] = files[url.pathname] || [
      'text/html',
      '<!doctype html><title>checkout</title><script type="module" src="/bundle.js"></script>',
    ];
    response.writeHead(200, { 'content-type': type }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, envelopes, requested })));
}

/** Debian's Chromium, headless, with nothing of its own reaching the network. */
function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The items of an envelope: a header line, then a header and a payload line per item. */
function items(envelope) {
  const lines = envelope.split('\n').filter(Boolean);
  const parsed = [];
  for (let i = 1; i + 1 < lines.length; i += 2) parsed.push({ header: JSON.parse(lines[i]), payload: JSON.parse(lines[i + 1]) });
  return parsed;
}

test('in Chromium, @sentry/browser sends only scrubbed envelopes and samples by the policy', async (t) => {
  const { server, envelopes } = await serve(bundle());
  t.after(() => server.close());
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const { port } = server.address();
  await page.goto(`http://127.0.0.1:${port}/checkout?token=${TOKEN}&step=2`);

  const deadline = Date.now() + 15000;
  const kinds = () => envelopes.flatMap(items).map((item) => item.header.type);
  const sent = (kind) => kinds().includes(kind);
  while (Date.now() < deadline && !['event', 'span', 'log', 'trace_metric'].every(sent)) {
    await page.waitForTimeout(100);
  }
  assert.equal(await page.evaluate(() => window.pageFailure), undefined);
  assert.deepEqual(await page.evaluate(() => window.samplerDecisions), { checkout: 1, health: 0 });

  const all = envelopes.join('\n');
  for (const secret of [CARD, EMAIL, TOKEN]) assert.ok(!all.includes(secret), `${secret} left the page`);
  const event = envelopes.flatMap(items).find((item) => item.header.type === 'event').payload;
  assert.equal(event.exception.values[0].type, 'PaymentError');
  assert.match(event.exception.values[0].value, /^payment declined for card \[Filtered\] of \[Filtered\]$/);
  assert.match(event.request.url, /step=2/);
  assert.ok(event._meta, 'the remarks of what was scrubbed travel with the event');
  const spans = envelopes.flatMap(items).find((item) => item.header.type === 'span');
  assert.ok(spans, 'the pageload was sampled by the policy and sent');
  assert.match(JSON.stringify(spans.payload), /"pageload"/);
  const [log] = envelopes.flatMap(items).find((item) => item.header.type === 'log').payload.items;
  assert.equal(log.body, 'card [Filtered] declined for [Filtered]');
  assert.equal(log.attributes['sentry.message.template'].value, 'card %s declined for %s');
  assert.match(log.attributes['sentry.sdk.name'].value, /^sentry\.javascript\.browser/);
  const [metric] = envelopes.flatMap(items).find((item) => item.header.type === 'trace_metric').payload.items;
  assert.equal(metric.name, 'checkout.declined');
  assert.equal(metric.attributes.email.value, '[Filtered]');
});

/** One of the pages without a bundler, opened until it has set `window.scrubbed`; the paths it requested, its console errors. */
async function openUnbundled(t, pathname) {
  const { server, requested } = await serve('');
  t.after(() => server.close());
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}${pathname}`);
  await page.waitForFunction(() => window.scrubbed !== undefined, null, { timeout: 15000 });
  return { page, requested, consoleErrors };
}

test('in Chromium, the web build loads with <script type="module">, without a bundler', async (t) => {
  const { page, requested } = await openUnbundled(t, '/unbundled');
  assert.equal(await page.evaluate(() => window.scrubbed), 'card [Filtered] of [Filtered]');
  assert.ok(requested.includes('/pkg/wasm/web/preflight_wasm_bg.wasm'));
  assert.ok(!requested.includes(RELAY_MODULE), "a policy without Relay's rules never fetches their module");
});

test("in Chromium, init fetches the module with Relay's rules for a policy that needs them, and only then", async (t) => {
  const { page, requested } = await openUnbundled(t, '/relay');
  assert.match(await page.evaluate(() => window.before), /second module.*init\(source, \{ policy \}\)/);
  assert.equal(await page.evaluate(() => window.scrubbed), 'mail [email] now');
  assert.equal(requested.filter((file) => file === RELAY_MODULE).length, 1);
});

test("in Chromium, the integration set up before the modules load fetches Relay's for a policy that needs it", async (t) => {
  const { page, requested } = await openUnbundled(t, '/relay-integration');
  assert.equal(await page.evaluate(() => window.scrubbed), 'mail [email] now');
  assert.ok(requested.includes(RELAY_MODULE));
});

test('in Chromium, a Relay config the second module refuses drops everything and says so, even under on_error pass', async (t) => {
  const { page, consoleErrors } = await openUnbundled(t, '/relay-bad-policy');
  assert.equal(await page.evaluate(() => window.scrubbed), 'dropped');
  assert.ok(
    consoleErrors.some((text) => text.includes('the policy was refused') && text.includes('scrub.relay.applications')),
    `the refusal is on the console: ${JSON.stringify(consoleErrors)}`,
  );
});

/** A page, bundled into a fresh folder as esbuild writes it for an app (the .wasm by the file loader). */
async function bundleWithFileLoader(page) {
  const outdir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'preflight-esbuild-'));
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'browser', page)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir,
    loader: { '.wasm': 'file' },
    logLevel: 'silent',
  });
  return outdir;
}

/**
 * Serves `outdir` as a site whose page runs `script`, under a
 * Content-Security-Policy when given one, and records every envelope posted.
 */
function serveFolder(outdir, script, csp) {
  const envelopes = [];
  const server = http.createServer((request, response) => {
    const name = new URL(request.url, 'http://127.0.0.1').pathname.slice(1);
    if (request.method === 'POST' && name === 'api/1/envelope/') return keepEnvelope(request, response, envelopes);
    const file = path.join(outdir, path.normalize(name));
    if (name && file.startsWith(outdir) && fs.existsSync(file)) {
      return response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'text/plain' }).end(fs.readFileSync(file));
    }
    if (name) return response.writeHead(404).end();
    const headers = { 'content-type': 'text/html', ...(csp ? { 'content-security-policy': csp } : {}) };
    return response
      .writeHead(200, headers)
      .end(`<!doctype html><script type="module" src="/${script}"></script>`);
  });
  server.envelopes = envelopes;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test("in Chromium, esbuild's file loader ships the module, and a strict CSP needs 'wasm-unsafe-eval'", async (t) => {
  const outdir = await bundleWithFileLoader('page-file-loader.js');
  t.after(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const shipped = fs.readdirSync(outdir).filter((file) => file.endsWith('.wasm'));
  assert.equal(shipped.length, 1, 'esbuild copied the module beside the bundle');
  assert.notEqual(shipped[0], 'preflight_wasm_bg.wasm', 'the glue does not fetch it by its own name');
  const browser = await launch();
  t.after(() => browser.close());
  for (const [csp, expected] of [
    [undefined, /^card \[Filtered\] of \[Filtered\]$/],
    ["script-src 'self' 'wasm-unsafe-eval'", /^card \[Filtered\] of \[Filtered\]$/],
    ["script-src 'self'", /^CompileError: /],
  ]) {
    const server = await serveFolder(outdir, 'page-file-loader.js', csp);
    t.after(() => server.close());
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.scrubbed !== undefined, null, { timeout: 15000 });
    assert.match(await page.evaluate(() => window.scrubbed), expected, `CSP ${csp}`);
    await page.close();
  }
});

test('in Chromium, an error thrown while the module loads is caught, and leaves scrubbed', async (t) => {
  const outdir = await bundleWithFileLoader('page-early.js');
  t.after(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const server = await serveFolder(outdir, 'page-early.js');
  t.after(() => server.close());
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const deadline = Date.now() + 15000;
  const events = () => server.envelopes.flatMap(items).filter((item) => item.header.type === 'event');
  while (Date.now() < deadline && events().length === 0) await page.waitForTimeout(100);
  const [event] = events();
  assert.ok(event, 'the error thrown before the module was ready was sent');
  assert.match(event.payload.exception.values[0].value, /^thrown while loading, for card \[Filtered\] of \[Filtered\]$/);
  const all = server.envelopes.join('\n');
  for (const secret of [CARD, EMAIL, 'early-secret-1f3a']) assert.ok(!all.includes(secret), `${secret} left the page`);
});

