"""preflight plugged into the real sentry-sdk: what leaves the process is scrubbed.

(a) a recording transport keeps the envelopes sentry-sdk would send;
(b) the real HTTP transport sends them to an ingest server on 127.0.0.1
    started here, and the received (decompressed) bytes are searched.
"""

import json
import time

import pytest
import sentry_sdk

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]


def hooks(pf):
    return {
        "before_send": pf.before_send,
        "before_send_transaction": pf.before_send_transaction,
        "before_breadcrumb": pf.before_breadcrumb,
    }


def leaked(data):
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    return sorted(name for name, secret in scenarios.SECRETS.items() if secret in text)


def test_without_preflight_the_secrets_do_leave():
    transport = scenarios.RecordingTransport()
    scenarios.init(transport=transport, traces_sample_rate=1.0)
    scenarios.run_all()
    assert len(leaked(json.dumps(transport.events()))) == len(scenarios.SECRETS)


def test_recording_transport_receives_scrubbed_events():
    transport = scenarios.RecordingTransport()
    scenarios.init(transport=transport, traces_sample_rate=1.0, **hooks(Preflight({})))
    scenarios.run_all()
    events = transport.events()
    assert len(events) == 5
    assert leaked(json.dumps(events)) == []

    request_error = next(e for e in events if e.get("exception") and e.get("request"))
    request = request_error["request"]
    assert request["headers"]["Authorization"] == "[Filtered]"
    assert request["headers"]["X-Api-Key"] == "[Filtered]"
    assert request["query_string"] == "page=2&api_token=[Filtered]"
    assert request["env"]["REMOTE_ADDR"] == "[Filtered]"
    frame = request_error["exception"]["values"][0]["stacktrace"]["frames"][-1]
    assert frame["vars"]["password"] == "[Filtered]"
    assert frame["vars"]["username"] == "'ada'"
    assert frame["function"] == "app"
    meta = request_error["_meta"]
    assert meta["request"]["headers"]["Authorization"][""]["rem"] == [["@preflight:secret-key", "s", 0, 10]]
    assert meta["request"]["query_string"][""]["rem"] == [["@preflight:secret-key", "s", 17, 27]]

    state_error = next(e for e in events if e.get("exception") and not e.get("request"))
    assert state_error["extra"]["client_secret"] == "[Filtered]"
    assert state_error["contexts"]["payment"] == {"provider": "acme", "card_token": "[Filtered]"}
    assert state_error["tags"]["api_key"] == "[Filtered]"
    crumb = state_error["breadcrumbs"]["values"][0]
    assert crumb["data"] == {"items": 3, "auth_token": "[Filtered]"}
    assert crumb["message"] == scenarios.KEPT["crumb_message"]

    transaction = next(e for e in events if e.get("transaction") == "/api/pay")
    span = transaction["spans"][0]
    assert span["data"]["http.authorization"] == "[Filtered]"
    assert span["op"] == scenarios.KEPT["span_op"]
    assert transaction["contexts"]["trace"]["trace_id"] == span["trace_id"]


def test_sentry_python_scrubber_and_preflight_together():
    """sentry-python's own EventScrubber misses `X-Api-Key`; preflight after it catches
    the rest and keeps the SDK's `_meta` remarks beside its own."""
    alone = scenarios.RecordingTransport()
    scenarios.init(transport=alone, traces_sample_rate=1.0, event_scrubber=None)
    scenarios.run_all()
    assert "api_key_header" in leaked(json.dumps(alone.events()))
    sentry_sdk.get_client().close()

    transport = scenarios.RecordingTransport()
    scenarios.init(transport=transport, traces_sample_rate=1.0, event_scrubber=None, **hooks(Preflight({})))
    scenarios.run_all()
    events = transport.events()
    assert leaked(json.dumps(events)) == []
    meta = events[0]["_meta"]["request"]["headers"]
    assert meta["Authorization"][""]["rem"] == [["!config", "s"]]
    assert meta["X-Api-Key"][""]["rem"] == [["@preflight:secret-key", "s", 0, 10]]


def test_streamed_spans_go_through_before_send_span():
    from sentry_sdk import traces

    transport = scenarios.RecordingTransport()
    pf = Preflight({})
    scenarios.init(transport=transport, traces_sample_rate=1.0, trace_lifecycle="stream", before_send_span=pf.before_send_span)
    sentry_sdk.set_user({"id": "42", "ip_address": scenarios.SECRETS["remote_addr"]})
    with traces.start_span(name="/api/pay"):
        with traces.start_span(name="SELECT", attributes={"db.password": scenarios.SECRETS["span_auth"], "db.system": "pg"}):
            pass
    sentry_sdk.flush()
    sent = b"".join(envelope.serialize() for envelope in transport.envelopes)
    assert b'"type":"span"' in sent
    assert leaked(sent) == []
    spans = [span for envelope in transport.envelopes for item in envelope.items for span in item.payload.json["items"]]
    query = next(span for span in spans if span["name"] == "SELECT")
    assert query["attributes"]["db.password"] == {"value": "[Filtered]", "type": "string"}
    assert query["attributes"]["user.ip_address"] == {"value": "[Filtered]", "type": "string"}
    assert query["attributes"]["db.system"] == {"value": "pg", "type": "string"}


def test_real_http_transport_sends_no_planted_secret(ingest_server):
    port = ingest_server.server_address[1]
    scenarios.init(dsn=f"http://public@127.0.0.1:{port}/1", traces_sample_rate=1.0, **hooks(Preflight({})))
    scenarios.run_all()
    sentry_sdk.get_client().close(timeout=10)
    deadline = time.monotonic() + 10
    while len(ingest_server.received) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)

    bodies = [body for path, body in ingest_server.received if path.startswith("/api/1/envelope/")]
    assert len(bodies) >= 5, f"received {len(ingest_server.received)} requests"
    received = b"\n".join(bodies)
    assert leaked(received) == []
    assert b"[Filtered]" in received
    assert scenarios.KEPT["query_page"].encode() in received
    assert b"@preflight:secret-key" in received
