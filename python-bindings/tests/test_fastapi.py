"""A FastAPI app served in-process, the real sentry-sdk with its FastAPI
integration, preflight's hooks, and an HTTP ingest on 127.0.0.1: what the
app sends carries none of the secrets its requests and code held."""

import json
import logging
import time

import pytest
import sentry_sdk
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.starlette import StarletteIntegration

from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

SECRETS = {
    "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXZhbHVl",
    "cookie": "session-cookie-value-7f3a9c",
    "api_key_query": "query-api-key-8d2e41",
    "body_password": "body-password-hunter2-5b1c",
    "card_in_body": "4111 1111 1111 1111",
    "local_token": "sk_live_51HxLocalVariableToken0000",
    "log_token": "ghp_LogBreadcrumbToken0123456789abcdefABCD",
    "email": "alice.liddell@example.org",
}
POLICY = {
    "sampling": {"traces": {"default_rate": 1.0, "rules": [{"name": "*/health*", "rate": 0, "force": True}]}},
}


class PaymentDeclined(Exception):
    """An error that carries its own tags, as sentry-sdk users attach them (the `SentryException` pattern)."""

    def __init__(self, message, tags):
        super().__init__(message)
        self.tags = tags


def make_app():
    app = FastAPI()
    logger = logging.getLogger("payments")

    @app.get("/health")
    async def health():
        return {"ok": True}

    @app.post("/checkout")
    async def checkout(request: Request):
        payload = await request.json()
        stripe_key = SECRETS["local_token"]  # a local variable of the failing frame
        logger.warning("charging with token %s for %s", SECRETS["log_token"], SECRETS["email"])
        raise RuntimeError(f"card declined for order {payload['order']} (key {stripe_key[:7]}…)")

    @app.get("/pay")
    async def pay():
        raise PaymentDeclined("insufficient funds", tags={"provider": "acme", "decline_code": "51"})

    return app


def serve_requests(ingest_server, **hooks):
    """Runs the three requests; returns the received envelopes as text, and their event payloads."""
    port = ingest_server.server_address[1]
    sentry_sdk.init(
        dsn=f"http://public@127.0.0.1:{port}/1",
        integrations=[StarletteIntegration(), FastApiIntegration()],
        send_default_pii=True,  # the SDK collects headers, cookies, bodies and users: the worst case
        include_local_variables=True,
        max_request_body_size="always",
        **hooks,
    )
    client = TestClient(make_app(), raise_server_exceptions=False)
    assert client.get("/health").status_code == 200
    checkout = client.post(
        f"/checkout?api_key={SECRETS['api_key_query']}&page=2",
        headers={"Authorization": SECRETS["authorization"], "Cookie": f"sessionid={SECRETS['cookie']}"},
        json={"order": "A-17", "password": SECRETS["body_password"], "card": SECRETS["card_in_body"]},
    )
    assert checkout.status_code == 500
    assert client.get("/pay").status_code == 500
    sentry_sdk.get_client().close(timeout=10)
    deadline = time.monotonic() + 10
    while len(ingest_server.received) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)

    bodies = [body for path, body in ingest_server.received if path.startswith("/api/1/envelope/")]
    items = [json.loads(line) for body in bodies for line in body.splitlines() if line.strip()]
    payloads = [item for item in items if "event_id" in item and ("exception" in item or item.get("type") == "transaction")]
    return b"\n".join(bodies).decode("utf-8", "replace"), payloads


def leaked(received):
    return [name for name, secret in SECRETS.items() if secret in received]


def test_without_preflight_the_app_sends_its_secrets(ingest_server):
    received, _ = serve_requests(ingest_server, traces_sample_rate=1.0)
    assert len(leaked(received)) >= 6, leaked(received)


def test_a_fastapi_app_sends_nothing_it_should_not(ingest_server):
    pf = Preflight(POLICY)
    received, payloads = serve_requests(
        ingest_server,
        traces_sampler=pf.traces_sampler,
        before_send=pf.before_send,
        before_send_transaction=pf.before_send_transaction,
        before_breadcrumb=pf.before_breadcrumb,
    )
    assert leaked(received) == []

    transactions = sorted(p["transaction"] for p in payloads if p.get("type") == "transaction")
    assert transactions == ["/checkout", "/pay"], "the /health transaction is never sent"

    errors = [p for p in payloads if "exception" in p]
    checkout_error = next(e for e in errors if e["exception"]["values"][-1]["type"] == "RuntimeError")
    request = checkout_error["request"]
    assert "[Filtered]" in json.dumps(request["headers"])
    assert "page=2" in request["query_string"]
    assert request["data"]["order"] == "A-17"
    frame = checkout_error["exception"]["values"][-1]["stacktrace"]["frames"][-1]
    assert frame["vars"]["stripe_key"] == "'[Filtered]'"  # sentry-sdk sends the repr
    messages = [crumb.get("message", "") for crumb in checkout_error["breadcrumbs"]["values"]]
    assert any("charging with token" in message for message in messages)

    declined = next(e for e in errors if e["exception"]["values"][-1]["type"] == "PaymentDeclined")
    assert declined["tags"]["provider"] == "acme"
    assert declined["tags"]["decline_code"] == "51"
