"""Captures the ordinary-traffic corpus with the real sentry-sdk: a small shop API on FastAPI.

What a web app's Sentry traffic is made of, not secret-laden samples: errors of a few KB (local
variables, logging and http breadcrumbs, request data, one or two values a scrubber should take
out: a session cookie, an Authorization header, the user's email or address) and transactions with
tens of db and http spans. Every event comes from sentry-sdk's own integrations (Starlette/FastAPI,
logging, httpx, and the SQL span helper its database integrations use), driven through the ASGI
interface as a server would, with a real upstream HTTP server on 127.0.0.1. A seeded generator
picks the requests, so the corpus is the same on every run of the same versions.

    .venv/bin/python benchmarks/corpus/capture.py   # writes samples/corpus/python-*.jsonl
"""

import asyncio
import http.server
import json
import logging
import pathlib
import random
import sqlite3
import threading
import warnings

import httpx
import sentry_sdk
from fastapi import FastAPI, HTTPException, Request
from sentry_sdk.scrubber import EventScrubber
from sentry_sdk.tracing_utils import record_sql_queries
from sentry_sdk.transport import Transport

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "samples" / "corpus"
SEED = 20261201
REQUESTS = 320

logger = logging.getLogger("shop.api")
logger.setLevel(logging.INFO)
# sentry-sdk's logging integration records from the logger itself; nothing is printed.
logger.addHandler(logging.NullHandler())
logger.propagate = False


class Upstream(http.server.BaseHTTPRequestHandler):
    """The services the shop calls: payments, inventory, shipping."""

    def do_GET(self):
        self._answer()

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self._answer()

    def _answer(self):
        status = 502 if "fail" in self.path else 200
        body = json.dumps({"ok": status == 200, "path": self.path}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_upstream():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def database():
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.executescript(
        """
        create table customers (id integer primary key, name text, email text, country text);
        create table products (id integer primary key, sku text, title text, price_cents integer, stock integer);
        create table orders (id integer primary key, customer_id integer, status text, total_cents integer,
                             created_at text);
        create table order_items (id integer primary key, order_id integer, product_id integer, quantity integer);
        """
    )
    rng = random.Random(SEED)
    for customer in range(1, 41):
        connection.execute("insert into customers values (?, ?, ?, ?)",
                           (customer, f"Customer {customer}", f"customer{customer}@example.org",
                            rng.choice(["DE", "FR", "US", "GB", "NL"])))
    for product in range(1, 81):
        connection.execute("insert into products values (?, ?, ?, ?, ?)",
                           (product, f"SKU-{1000 + product}", f"Product {product}", rng.randint(199, 9999),
                            rng.randint(0, 40)))
    for order in range(1, 401):
        connection.execute("insert into orders values (?, ?, ?, ?, ?)",
                           (order, rng.randint(1, 40), rng.choice(["paid", "shipped", "open"]),
                            rng.randint(500, 50000), f"2026-11-{rng.randint(1, 30):02d}T10:{order % 60:02d}:00Z"))
        for item in range(rng.randint(2, 8)):
            connection.execute("insert into order_items (order_id, product_id, quantity) values (?, ?, ?)",
                               (order, rng.randint(1, 80), rng.randint(1, 3)))
    return connection


def query(connection, sql, params=()):
    """One SQL statement with the span and breadcrumb sentry-sdk's database integrations record."""
    cursor = connection.cursor()
    with record_sql_queries(cursor, sql, params, paramstyle="qmark", executemany=False, span_origin="auto.db.shop"):
        cursor.execute(sql, params)
        return cursor.fetchall()


def make_app(connection, upstream):
    app = FastAPI()

    @app.get("/api/orders/{order_id}")
    async def order(order_id: int, request: Request):
        rows = query(connection, "SELECT id, customer_id, status, total_cents FROM orders WHERE id = ?", (order_id,))
        if not rows:
            logger.warning("order %s not found", order_id)
            raise HTTPException(status_code=404)
        items = query(connection, "SELECT product_id, quantity FROM order_items WHERE order_id = ?", (order_id,))
        products = []
        async with httpx.AsyncClient() as client:
            for product, quantity in items:
                products.append(query(connection, "SELECT sku, title, price_cents, stock FROM products WHERE id = ?",
                                      (product,)))
                query(connection, "SELECT count(*) FROM order_items WHERE product_id = ?", (product,))
                await client.get(f"{upstream}/inventory/v1/items/{product}", params={"warehouse": "ber-2"})
            shipping = await client.get(f"{upstream}/shipping/v2/orders/{order_id}/tracking")
        status = rows[0][2]
        if status == "open" and order_id % 3 == 0:
            try:
                summary = {"order": order_id, "items": len(items), "shipping": shipping.status_code}
                raise ValueError(f"order {order_id} is open but has a shipment: {summary}")
            except ValueError:
                # Reported and answered: the kind of error most of an app's Sentry traffic is.
                sentry_sdk.capture_exception()
                raise HTTPException(status_code=409)
        return {"order": rows[0], "products": products}

    @app.get("/api/customers/{customer_id}/orders")
    async def customer_orders(customer_id: int, page: int = 1):
        customer = query(connection, "SELECT id, name, email, country FROM customers WHERE id = ?", (customer_id,))
        sentry_sdk.set_user({"id": str(customer_id), "email": customer[0][2] if customer else None})
        orders = query(connection, "SELECT id, status, total_cents, created_at FROM orders WHERE customer_id = ? "
                                   "ORDER BY created_at DESC LIMIT 12 OFFSET ?", (customer_id, (page - 1) * 12))
        lines = []
        # One query per order and per item: the N+1 pattern a transaction with tens of spans shows.
        for order_id, *_ in orders:
            for product_id, quantity in query(connection, "SELECT product_id, quantity FROM order_items "
                                                          "WHERE order_id = ?", (order_id,)):
                lines.append(query(connection, "SELECT sku, price_cents FROM products WHERE id = ?", (product_id,)))
        async with httpx.AsyncClient() as client:
            for region in ("eu-west-1", "us-east-1"):
                await client.get(f"{upstream}/loyalty/v1/points", params={"customer": customer_id, "region": region})
        if customer_id % 20 == 0:
            totals = [line[0][1] for line in lines if line]
            average = sum(totals) / (len(totals) - len(totals))
            return {"average": average}
        return {"orders": orders, "lines": len(lines)}

    @app.post("/api/checkout")
    async def checkout(request: Request):
        payload = await request.json()
        cart = payload.get("cart", [])
        logger.info("checkout of %d items for customer %s", len(cart), payload.get("customer"))
        stock = []
        async with httpx.AsyncClient() as client:
            for sku in cart:
                stock.append(query(connection, "SELECT id, stock, price_cents FROM products WHERE sku = ?", (sku,)))
                for warehouse in ("ber-2", "ams-1", "fra-3"):
                    query(connection, "SELECT quantity FROM order_items WHERE product_id = ? AND order_id > ?",
                          (stock[-1][0][0] if stock[-1] else 0, len(warehouse)))
                    await client.get(f"{upstream}/inventory/v1/reservations",
                                     params={"sku": sku, "warehouse": warehouse})
            path = "fail" if payload.get("customer", 0) % 4 == 0 else "ok"
            response = await client.post(f"{upstream}/payments/v1/charges/{path}",
                                         json={"amount": sum(row[0][2] for row in stock if row), "currency": "EUR"})
        if response.status_code != 200:
            logger.error("payment provider answered %s for customer %s", response.status_code, payload.get("customer"))
            if payload.get("customer", 0) % 16 == 0:
                raise RuntimeError(f"payment declined by provider (status {response.status_code})")
            raise HTTPException(status_code=402)
        return {"charged": True}

    @app.get("/api/search")
    async def search(q: str, limit: int = 10):
        rows = query(connection, "SELECT id, sku, title FROM products WHERE title LIKE ? LIMIT ?", (f"%{q}%", limit))
        details = [query(connection, "SELECT price_cents, stock FROM products WHERE id = ?", (row[0],)) for row in rows]
        if not rows and len(q) > 6:
            try:
                raise LookupError(f"no products match {q!r}")
            except LookupError:
                logger.exception("search for %r found nothing", q)
        return {"results": rows, "details": details}

    @app.get("/health")
    async def health():
        return {"ok": True}

    return app


async def call(app, method, path, query_string="", headers=(), body=b""):
    """One request through the ASGI interface, as a server hands it to the app."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query_string.encode(), "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
        "client": ("203.0.113.57", 51234), "server": ("shop.example.com", 443),
    }
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        pass

    try:
        await app(scope, receive, send)
    except Exception:
        pass


BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"


def requests(rng):
    for n in range(REQUESTS):
        headers = [("host", "shop.example.com"), ("user-agent", BROWSER), ("accept", "application/json"),
                   ("accept-language", "de-DE,de;q=0.9,en;q=0.8"), ("x-request-id", f"{rng.getrandbits(64):016x}")]
        if rng.random() < 0.5:
            headers.append(("cookie", f"sessionid={rng.getrandbits(128):032x}; theme=dark; consent=1"))
        if rng.random() < 0.3:
            headers.append(("authorization", f"Bearer {rng.getrandbits(160):040x}"))
        kind = n % 4
        if kind == 0:
            yield "GET", f"/api/orders/{rng.randint(1, 230)}", "", headers, b""
        elif kind == 1:
            yield "GET", f"/api/customers/{rng.randint(1, 40)}/orders", "page=1", headers, b""
        elif kind == 2:
            body = json.dumps({"customer": rng.randint(1, 40),
                               "cart": [f"SKU-{1000 + rng.randint(1, 80)}" for _ in range(rng.randint(2, 7))]})
            yield "POST", "/api/checkout", "", headers + [("content-type", "application/json")], body.encode()
        else:
            term = rng.choice(["Product 1", "Product 22", "lamp", "walnut desk", "Product 7"])
            yield "GET", "/api/search", f"q={term.replace(' ', '+')}&limit=10", headers, b""


class Recording(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction"):
                self.events.append(item.payload.json)


def main():
    upstream = start_upstream()
    connection = database()
    transport = Recording()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(
            dsn="http://public@127.0.0.1:9/1",
            transport=transport,
            # The raw events: what a before_send hook is handed before any scrubbing.
            event_scrubber=EventScrubber(denylist=[], pii_denylist=[]),
            send_default_pii=True,
            traces_sample_rate=1.0,
            release="shop-api@3.14.2",
            environment="production",
            server_name="shop-api-7d9f8c-x2kq4",
        )
    app = make_app(connection, upstream)
    rng = random.Random(SEED)

    async def run():
        for method, path, query_string, headers, body in requests(rng):
            await call(app, method, path, query_string, headers, body)

    asyncio.run(run())
    sentry_sdk.flush()
    errors = [event for event in transport.events if event.get("type") != "transaction"]
    # Every fifth transaction: as many as there are errors, of every endpoint.
    transactions = [event for event in transport.events if event.get("type") == "transaction"][::5]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, events in (("python-errors", errors), ("python-transactions", transactions)):
        path = OUT / f"{name}.jsonl"
        path.write_text("".join(json.dumps(event, sort_keys=True) + "\n" for event in events), encoding="utf-8")
        sizes = sorted(len(json.dumps(event)) for event in events)
        spans = sorted(len(event.get("spans", [])) for event in events)
        print(f"{path.relative_to(ROOT)}: {len(events)} events, median {sizes[len(sizes) // 2] / 1024:.1f} KB "
              f"({sizes[0] / 1024:.1f}-{sizes[-1] / 1024:.1f}), median {spans[len(spans) // 2]} spans")


if __name__ == "__main__":
    main()
