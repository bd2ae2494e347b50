"""Sampling with the real sentry-sdk: `traces_sampler=pf.traces_sampler`."""

import pytest
import sentry_sdk

import scenarios
from conftest import Clock
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


def test_the_budget_holds_errors_and_transactions_apart_with_the_real_sdk():
    clock = Clock(1_000.0)
    pf = Preflight({"sampling": {"budget": {"max_events": 3, "window_seconds": 60}}}, clock=clock)
    transport = scenarios.RecordingTransport()
    scenarios.init(
        transport=transport,
        before_send=pf.before_send,
        before_send_transaction=pf.before_send_transaction,
        traces_sample_rate=1.0,
    )
    for index in range(5):
        sentry_sdk.capture_message(f"burst {index}")
    with sentry_sdk.start_transaction(name="/checkout", op="http.server"):
        pass
    clock.now += 20  # a third of the window: one token back
    for index in range(2):
        sentry_sdk.capture_message(f"later {index}")
    sentry_sdk.flush()
    sent = [event.get("message") or event.get("transaction") for event in transport.events()]
    assert sent == ["burst 0", "burst 1", "burst 2", "/checkout", "later 0"]


def test_a_launch_rule_decays_with_the_clock_in_the_real_sdk():
    clock = Clock(250.0)
    pf = Preflight(
        {"sampling": {"traces": {"default_rate": 0, "rules": [{
            "name": "/launch*",
            "rate": 1,
            "time_range": {"start": "1970-01-01T00:00:00Z", "end": "1970-01-01T00:16:40Z"},
            "decay": {"type": "linear", "decayed_value": 0},
        }]}}},
        clock=clock,
    )
    transport = scenarios.RecordingTransport()
    scenarios.init(transport=transport, traces_sampler=pf.traces_sampler)

    def run(name, sample_rand):
        transaction = sentry_sdk.continue_trace(headers(sample_rand), op="http.server", name=name)
        with sentry_sdk.start_transaction(transaction):
            pass

    run("/launch/a", "0.7")  # a quarter through the range: rate 0.75
    run("/launch/b", "0.8")
    clock.now = 1_000.0  # the range has ended: the default rate, 0
    run("/launch/c", "0.01")
    sentry_sdk.flush()
    assert [event["transaction"] for event in transport.events()] == ["/launch/a"]
    clock.now = 250.0
    assert pf.traces_sampler({"transaction_context": {"name": "/launch/x"}}) == 0.75


def test_a_broken_clock_never_breaks_the_hooks():
    def clock():
        raise RuntimeError("no time today")

    pf = Preflight({"sampling": {"budget": {"max_events": 1, "window_seconds": 1},
                                 "traces": {"rules": [{"rate": 0, "time_range": {"end": "2100-01-01T00:00:00Z"}}]}}},
                   clock=clock)
    assert pf.before_send({"message": "first"}, {}) == {"message": "first"}
    assert pf.before_send({"message": "second"}, {}) is None, "without a time no token comes back"
    assert pf.traces_sampler({"transaction_context": {"name": "/x"}}) == 1.0, "a time-ranged rule needs a time"
