"""Real sentry-sdk captures with planted secrets.

Each scenario makes sentry-sdk capture an event the way an application
would (a WSGI request that fails, an exception with secret locals, a log
record, a transaction with spans), with secrets planted where applications
leak them. The pytest suite runs the scenarios through preflight; run this
file as a script to regenerate the committed sample events the CLI demo uses:

    python python-bindings/tests/scenarios.py samples/sentry-python-events.jsonl
    python python-bindings/tests/scenarios.py samples/sentry-python-large-events.jsonl --large
    python python-bindings/tests/scenarios.py samples/sentry-python.envelope --envelope
"""

import json
import logging
import sys
import warnings
import wsgiref.util

import sentry_sdk
from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware
from sentry_sdk.scrubber import EventScrubber
from sentry_sdk.transport import Transport

# Every planted secret is distinct, so a leak can be found by searching bytes.
SECRETS = {
    "authorization_header": "Bearer PLANTED-bearer-3b1f9e",
    "api_key_header": "PLANTED-apikey-header-88c2",
    "session_cookie": "PLANTED-session-cookie-51aa",
    "csrf_cookie": "PLANTED-csrf-cookie-07de",
    "query_token": "PLANTED-query-token-c4e0",
    "remote_addr": "203.0.113.77",
    "local_password": "PLANTED-local-password-9d41",
    "local_db_secret": "PLANTED-db-secret-e7f3",
    "nested_private_key": "PLANTED-nested-private-key-2a6b",
    "crumb_token": "PLANTED-crumb-token-4c19",
    "extra_client_secret": "PLANTED-client-secret-aa30",
    "context_card_token": "PLANTED-card-token-61b8",
    "tag_api_key": "PLANTED-tag-api-key-0f5d",
    "span_auth": "PLANTED-span-authorization-73c2",
    "user_session": "PLANTED-user-session-d90e",
}

# Values that must survive scrubbing untouched.
KEPT = {
    "query_page": "page=2",
    "local_username": "ada",
    "crumb_message": "loaded cart",
    "span_op": "db.query",
}


class RecordingTransport(Transport):
    """Keeps every envelope sentry-sdk would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        """The event and transaction payloads, in capture order."""
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type in ("event", "transaction")
        ]


def init(**options):
    """sentry_sdk.init with full data collection and sentry-python's own scrubber off,
    so that what is scrubbed is scrubbed by the hooks under test."""
    options.setdefault("event_scrubber", EventScrubber(denylist=[], pii_denylist=[]))
    options.setdefault("dsn", "http://public@127.0.0.1:9/1")
    options.setdefault("default_integrations", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(send_default_pii=True, include_local_variables=True, **options)


def failing_request():
    """A WSGI app that fails while handling a request with secret headers, cookies and query."""

    def app(environ, start_response):
        password = SECRETS["local_password"]
        username = KEPT["local_username"]
        raise ValueError(f"checkout failed for {username} ({len(password)})")

    environ = {}
    wsgiref.util.setup_testing_defaults(environ)
    environ.update(
        {
            "PATH_INFO": "/checkout",
            "QUERY_STRING": f"{KEPT['query_page']}&api_token={SECRETS['query_token']}",
            "REMOTE_ADDR": SECRETS["remote_addr"],
            "HTTP_AUTHORIZATION": SECRETS["authorization_header"],
            "HTTP_X_API_KEY": SECRETS["api_key_header"],
            "HTTP_COOKIE": f"theme=dark; sessionid={SECRETS['session_cookie']}; csrftoken={SECRETS['csrf_cookie']}",
        }
    )
    try:
        SentryWsgiMiddleware(app)(environ, lambda status, headers: None)
    except ValueError:
        pass


def exception_with_secret_state():
    """An exception whose frame holds secrets, with breadcrumbs, extra, contexts, tags and user."""
    sentry_sdk.add_breadcrumb(
        category="cart",
        message=KEPT["crumb_message"],
        data={"items": 3, "auth_token": SECRETS["crumb_token"]},
    )
    sentry_sdk.set_extra("client_secret", SECRETS["extra_client_secret"])
    sentry_sdk.set_context("payment", {"provider": "acme", "card_token": SECRETS["context_card_token"]})
    sentry_sdk.set_tag("api_key", SECRETS["tag_api_key"])
    sentry_sdk.set_user({"id": "42", "user_session": SECRETS["user_session"]})

    def connect(host):
        db_secret = SECRETS["local_db_secret"]
        settings = {"host": host, "tls": {"private_key": SECRETS["nested_private_key"]}}
        raise ConnectionError(f"cannot reach {settings['host']} ({len(db_secret)})")

    try:
        connect("db.internal")
    except ConnectionError:
        sentry_sdk.capture_exception()


def log_record():
    """An error logged through the logging integration's event path."""
    logger = logging.getLogger("billing")
    with sentry_sdk.new_scope() as scope:
        scope.set_extra("session_key", SECRETS["user_session"])
        sentry_sdk.capture_message("invoice run failed", level="error")
    logger.debug("done")


def transaction_with_spans():
    """A transaction whose span carries secret data."""
    with sentry_sdk.start_transaction(op="http.server", name="/api/pay"):
        with sentry_sdk.start_span(op=KEPT["span_op"], name="SELECT * FROM cards") as span:
            span.set_data("db.system", "postgresql")
            span.set_data("http.authorization", SECRETS["span_auth"])


SCENARIOS = [failing_request, exception_with_secret_state, log_record, transaction_with_spans]


def deep_failure(depth, order):
    """A chained exception thrown from deep in a call stack full of locals,
    the shape (and size, 15-20 KB) of a real production error event."""
    cart = {"items": [{"sku": f"SKU-{depth}-{n}", "qty": n, "price_cents": 1999 + n} for n in range(4)], "currency": "EUR"}
    settings = {"retries": 3, "timeout_s": 2.5, "endpoint": "https://payments.example/v2/charge",
                "auth": {"client_id": "shop-web", "client_secret": SECRETS["extra_client_secret"]}}
    if depth > 0:
        return deep_failure(depth - 1, order)
    try:
        raise TimeoutError(f"payment provider timed out after {settings['timeout_s']}s for order {order} ({len(cart)})")
    except TimeoutError as cause:
        raise RuntimeError(f"checkout failed for order {order}") from cause


def large_events(count=8):
    """Errors with long stacks, breadcrumbs and request data."""
    for index in range(count):
        sentry_sdk.get_isolation_scope().clear_breadcrumbs()
        with sentry_sdk.new_scope() as scope:
            for crumb in range(24):
                sentry_sdk.add_breadcrumb(
                    category="http" if crumb % 2 else "query",
                    message=f"GET https://api.example.com/v1/items/{crumb}?page={crumb}&access_token={SECRETS['query_token']}",
                    data={"status_code": 200, "duration_ms": 12.5 + crumb, "reason": "OK", "user": f"user-{crumb}@example.com"},
                )
            scope.set_context("order", {"id": f"ORD-2024-{index:06d}", "total_cents": 7996, "card_token": SECRETS["context_card_token"]})
            scope.set_user({"id": str(1000 + index), "email": f"buyer{index}@example.com", "ip_address": SECRETS["remote_addr"]})
            try:
                deep_failure(3 + index % 4, f"ORD-2024-{index:06d}")
            except RuntimeError:
                sentry_sdk.capture_exception()


def run_all():
    for scenario in SCENARIOS:
        scenario()
    sentry_sdk.flush()


def main(path, mode):
    transport = RecordingTransport()
    init(transport=transport, traces_sample_rate=1.0, release="shop@1.4.2", environment="demo")
    if mode == "--envelope":
        failing_request()
        sentry_sdk.flush()
        with open(path, "wb") as out:
            for envelope in transport.envelopes:
                out.write(envelope.serialize())
        print(f"wrote {len(transport.envelopes)} envelopes to {path}")
        return
    if mode == "--large":
        large_events()
        sentry_sdk.flush()
    else:
        run_all()
    with open(path, "w", encoding="utf-8") as out:
        for event in transport.events():
            out.write(json.dumps(event, sort_keys=False) + "\n")
    print(f"wrote {len(transport.events())} events to {path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
