"""Sampling with the real sentry-sdk: `traces_sampler=pf.traces_sampler`."""

import pytest
import sentry_sdk

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

POLICY = {"sampling": {"traces": {"default_rate": 0.0, "rules": [
    {"name": "*/health*", "rate": 0, "force": True},
    {"name": "/api/payment*", "op": "http.server", "rate": 0.5},
]}}}
TRACE_ID = "67e5504410b1426f9247bb680e5fe0c8"


def headers(sample_rand, sampled=None):
    trace = f"{TRACE_ID}-{'b' * 16}" + ("" if sampled is None else f"-{int(sampled)}")
    return {
        "sentry-trace": trace,
        "baggage": f"sentry-trace_id={TRACE_ID},sentry-sample_rand={sample_rand}",
    }


def sent_transactions(*runs):
    transport = scenarios.RecordingTransport()
    pf = Preflight(POLICY)
    scenarios.init(transport=transport, traces_sampler=pf.traces_sampler)
    for name, incoming in runs:
        transaction = sentry_sdk.continue_trace(incoming, op="http.server", name=name)
        with sentry_sdk.start_transaction(transaction):
            pass
    sentry_sdk.flush()
    return [event["transaction"] for event in transport.events()]


def test_health_checks_are_never_sent_and_payments_follow_their_rule():
    sent = sent_transactions(
        ("/health", headers("0.01")),
        ("/api/payment/charge", headers("0.1")),
        ("/api/payment/refund", headers("0.9")),
        ("/other", headers("0.01")),
    )
    assert sent == ["/api/payment/charge"]


def test_a_child_service_follows_the_parents_decision():
    sent = sent_transactions(
        ("/api/payment/charge", headers("0.9", sampled=True)),
        ("/health", headers("0.01", sampled=True)),
        ("/other", headers("0.01", sampled=False)),
    )
    assert sent == ["/api/payment/charge"], "the sampled parent is followed; health is forced out"


def test_decisions_agree_with_relays_draw():
    pf = Preflight(POLICY)
    decision = pf.decide_trace({"name": "/api/payment/charge", "op": "http.server", "trace_id": TRACE_ID})
    assert decision == {"sampled": False, "sample_rate": 0.5, "sample_rand": 0.8117029693018862}
