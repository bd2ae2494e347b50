"""Span data with the real sentry-sdk: secrets redacted, long values cut at a
character boundary, nested dicts flattened, SQL literals out of descriptions."""

import pytest
import sentry_sdk

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

LONG = "注文の詳細😀" * 400


def test_transaction_spans_arrive_redacted_cut_and_flattened():
    transport = scenarios.RecordingTransport()
    pf = Preflight({"params": {"max_value_bytes": 256, "tag_params": ["order_id"]}})
    scenarios.init(transport=transport, traces_sample_rate=1.0, before_send_transaction=pf.before_send_transaction)
    with sentry_sdk.start_transaction(op="http.server", name="/orders"):
        with sentry_sdk.start_span(op="db.sql.query", name="SELECT * FROM orders WHERE email = 'ada@example.com' AND id = 42") as span:
            span.set_data("rpc.param.order_id", "ORD-77")
            span.set_data("rpc.param.api_token", "tok-PLANTED")
            span.set_data("db.params", {"limit": 5, "filter": {"status": "open"}})
            span.set_data("note", LONG)
    sentry_sdk.flush()
    [transaction] = transport.events()
    [span] = [s for s in transaction["spans"] if s["op"] == "db.sql.query"]
    data = span["data"]
    assert span["description"] == "SELECT * FROM orders WHERE email = %s AND id = %s"
    assert data["rpc.param.api_token"] == "[Filtered]"
    assert data["db.params.limit"] == 5 and data["db.params.filter.status"] == "open"
    assert "db.params" not in data
    note = data["note"]
    assert len(note.encode("utf-8")) <= 256 and note.endswith("...")
    assert LONG.startswith(note[:-3]), "cut at a character boundary, nothing garbled"
    assert transaction["tags"]["order_id"] == "ORD-77"
    assert "tok-PLANTED" not in str(transaction)
