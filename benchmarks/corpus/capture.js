'use strict';
// Captures the ordinary-traffic corpus with the real @sentry/node: a small shop API on node:http.
//
// The JavaScript half of samples/corpus (see capture.py for the Python half and what the corpus is
// for). Requests arrive over a real socket; the handlers call an upstream service over HTTP (spans
// and breadcrumbs from @sentry/node's own http instrumentation), log with console (breadcrumbs),
// run database calls as the spans a database instrumentation writes (op db, db.system,
// db.statement), and report the errors they catch. A seeded generator picks the requests.
//
//     node benchmarks/corpus/capture.js   # after ./scripts/test (js-tests/node_modules); writes samples/corpus/node-{errors,spans}.jsonl
//     node benchmarks/corpus/capture.js --transactions   # the same traffic under traceLifecycle 'static':
//                                                        # samples/corpus/node-transactions.jsonl

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createRequire } = require('node:module');

const ROOT = path.resolve(__dirname, '..', '..');
const requireFromTests = createRequire(path.join(ROOT, 'js-tests', 'package.json'));
const { spawn } = require('node:child_process');
// The load generator runs in a child process without Sentry, so that its own
// requests leave no breadcrumbs in the shop's events.
const LOAD = process.argv[2] === '--load';
// Transactions as beforeSendTransaction is handed them: only under the static trace lifecycle.
const TRANSACTIONS = process.argv[2] === '--transactions';
const Sentry = LOAD ? null : requireFromTests('@sentry/node');

const OUT = path.join(ROOT, 'samples', 'corpus');
const REQUESTS = 240;

/** A small deterministic generator (mulberry32), so the corpus is the same on every run. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (low, high) => low + Math.floor(next() * (high - low + 1)), hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('') };
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function db(statement, rows) {
  return Sentry.startSpan(
    { name: statement, op: 'db', attributes: { 'db.system': 'postgresql', 'db.name': 'shop', 'db.statement': statement, 'db.user': 'shop_api', 'server.address': 'db.internal', 'server.port': 5432 } },
    () => rows,
  );
}

function shopHandler(upstream) {
  return async (request, response) => {
    const url = new URL(request.url, 'http://shop.example.com');
    try {
      if (url.pathname.startsWith('/api/orders/')) {
        const orderId = Number(url.pathname.split('/')[3]);
        db('SELECT id, customer_id, status, total_cents FROM orders WHERE id = $1', [orderId]);
        const items = (orderId % 6) + 2;
        for (let item = 0; item < items; item += 1) {
          db('SELECT sku, title, price_cents, stock FROM products WHERE id = $1', [item]);
          db('SELECT count(*) FROM order_items WHERE product_id = $1', [item]);
          await fetch(`${upstream}/inventory/v1/items/${orderId * 10 + item}?warehouse=ber-2`);
        }
        const shipping = await fetch(`${upstream}/shipping/v2/orders/${orderId}/tracking`);
        if (orderId % 3 === 0) {
          const summary = { order: orderId, items, shipping: shipping.status };
          throw new Error(`order ${orderId} is open but has a shipment: ${JSON.stringify(summary)}`);
        }
      } else if (url.pathname === '/api/checkout') {
        const payload = JSON.parse(await readBody(request));
        console.info(`checkout of ${payload.cart.length} items for customer ${payload.customer}`);
        for (const sku of payload.cart) {
          db('SELECT id, stock, price_cents FROM products WHERE sku = $1', [sku]);
          for (const warehouse of ['ber-2', 'ams-1', 'fra-3']) {
            db('SELECT quantity FROM reservations WHERE sku = $1 AND warehouse = $2', [sku, warehouse]);
            await fetch(`${upstream}/inventory/v1/reservations?sku=${sku}&warehouse=${warehouse}`);
          }
        }
        const outcome = payload.customer % 4 === 0 ? 'fail' : 'ok';
        const charge = await fetch(`${upstream}/payments/v1/charges/${outcome}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 1999 * payload.cart.length, currency: 'EUR' }),
        });
        if (charge.status !== 200) {
          console.error(`payment provider answered ${charge.status} for customer ${payload.customer}`);
          throw new TypeError(`payment declined by provider (status ${charge.status})`);
        }
      } else if (url.pathname === '/api/search') {
        const term = url.searchParams.get('q') || '';
        const results = term.length % 5;
        db('SELECT id, sku, title FROM products WHERE title ILIKE $1 LIMIT $2', [term, 10]);
        for (let row = 0; row < results * 4; row += 1) db('SELECT price_cents, stock FROM products WHERE id = $1', [row]);
        if (results === 0) {
          console.warn(`search for ${JSON.stringify(term)} found nothing`);
          throw new RangeError(`no products match ${JSON.stringify(term)}`);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (error) {
      Sentry.captureException(error);
      response.writeHead(500).end();
    }
  };
}

/** The requests of the corpus, against the shop at `shop`. */
async function load(shop) {
  const random = generator(20261201);
  const agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  for (let n = 0; n < REQUESTS; n += 1) {
    const headers = { 'user-agent': agent, accept: 'application/json', 'accept-language': 'de-DE,de;q=0.9', 'x-request-id': random.hex(16) };
    if (random.next() < 0.5) headers.cookie = `sessionid=${random.hex(32)}; theme=dark; consent=1`;
    if (random.next() < 0.3) headers.authorization = `Bearer ${random.hex(40)}`;
    const kind = n % 3;
    if (kind === 0) {
      await fetch(`${shop}/api/orders/${random.int(1, 400)}`, { headers });
    } else if (kind === 1) {
      const cart = Array.from({ length: random.int(2, 6) }, () => `SKU-${1000 + random.int(1, 80)}`);
      await fetch(`${shop}/api/checkout`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ customer: random.int(1, 40), cart }),
      });
    } else {
      const term = ['Product 1', 'lamp', 'walnut desk', 'Product 22', 'oak'][random.int(0, 4)];
      await fetch(`${shop}/api/search?q=${encodeURIComponent(term)}&limit=10`, { headers });
    }
  }
}

async function main() {
  const events = [];
  const spans = [];
  const transactions = [];
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    transport: (options) =>
      Sentry.createTransport(options, async (request) => {
        const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
        const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
        for (let index = 1; index < lines.length; index += 2) {
          if (lines[index].type === 'event') events.push(lines[index + 1]);
        }
        return { statusCode: 200 };
      }),
    // Streamed spans as beforeSendSpan is handed them (the envelope then
    // writes their attributes typed, `{value, type}`, which no hook sees).
    beforeSendSpan: (span) => {
      spans.push(structuredClone(span));
      return span;
    },
    ...(TRANSACTIONS
      ? {
          traceLifecycle: 'static',
          // Without the SDK's own state (scopes, functions), which is never sent.
          beforeSendTransaction: (transaction) => {
            const { sdkProcessingMetadata: _internal, ...sent } = transaction;
            transactions.push(JSON.parse(JSON.stringify(sent)));
            return transaction;
          },
        }
      : {}),
    sendDefaultPii: true,
    tracesSampleRate: 1,
    release: 'shop-api@3.14.2',
    environment: 'production',
    serverName: 'shop-api-7d9f8c-x2kq4',
  });

  const { server: upstreamServer, base: upstream } = await listen(async (request, response) => {
    await readBody(request);
    const status = request.url.includes('fail') ? 502 : 200;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
  });
  const { server: shopServer, base: shop } = await listen(shopHandler(upstream));

  await new Promise((resolve, reject) => {
    spawn(process.execPath, [__filename, '--load', shop], { stdio: 'inherit' }).on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the load generator exited with ${code}`)),
    );
  });
  await Sentry.flush(5000);
  shopServer.close();
  upstreamServer.close();

  fs.mkdirSync(OUT, { recursive: true });
  // Every sixteenth span: a few hundred, from every endpoint.
  // The shop's own transactions (the upstream stand-in's, in this process too, are not the app's),
  // every other one.
  const shops = transactions.filter((transaction) => / \/api\//.test(transaction.transaction));
  const written = TRANSACTIONS
    ? [['node-transactions', shops.filter((_, index) => index % 2 === 0)]]
    : [['node-errors', events], ['node-spans', spans.filter((_, index) => index % 16 === 0)]];
  for (const [name, list] of written) {
    const file = path.join(OUT, `${name}.jsonl`);
    fs.writeFileSync(file, list.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const sizes = list.map((event) => JSON.stringify(event).length).sort((a, b) => a - b);
    console.log(`${path.relative(ROOT, file)}: ${list.length} items, median ${(sizes[sizes.length >> 1] / 1024).toFixed(1)} KB`);
  }
  await Sentry.close(5000);
}

(LOAD ? load(process.argv[3]) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
