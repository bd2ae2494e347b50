"""Fingerprint rules and exception attributes with the real sentry-sdk.

An exception in the style of safir's `SentryException` carries `tags`,
`contexts` and `fingerprint`; the wheel reads them from `hint["exc_info"]`
and the core merges them into the event before the fingerprint rules run.
"""

import pytest
import sentry_sdk

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

RULES = """
# payments group by provider, whatever the stack trace
error.type:PaymentError tags.provider:* -> payment-error, {{ tags.provider }}
message:"order * failed" -> order-failed title="Order failure in {{ transaction }}"
"""


class SentryException(Exception):
    def __init__(self, message, *, tags=None, contexts=None, fingerprint=None):
        super().__init__(message)
        self.tags = tags or {}
        self.contexts = contexts or {}
        self.fingerprint = fingerprint


class PaymentError(SentryException):
    pass


class InventoryError(SentryException):
    pass


def capture(*errors, policy=None):
    transport = scenarios.RecordingTransport()
    pf = Preflight(policy if policy is not None else {"fingerprint": {"rules": RULES}})
    scenarios.init(transport=transport, before_send=pf.before_send)
    for error in errors:
        try:
            raise error
        except Exception:
            sentry_sdk.capture_exception()
    sentry_sdk.flush()
    return transport.events()


def test_attributes_of_the_exception_reach_the_event_and_the_rules_use_them():
    [event] = capture(PaymentError("card declined", tags={"provider": "acme"},
                                   contexts={"payment": {"amount_cents": 1299, "api_key": "k-123"}}))
    assert event["tags"]["provider"] == "acme"
    assert event["contexts"]["payment"]["amount_cents"] == 1299
    assert event["contexts"]["payment"]["api_key"] == "[Filtered]", "merged before scrubbing"
    assert event["fingerprint"] == ["payment-error", "acme"]
    assert event["contexts"]["fingerprint"]["rule"].startswith("error.type:PaymentError")


def test_an_exception_fingerprint_stands_when_no_rule_matches():
    [event] = capture(InventoryError("out of stock", fingerprint=["inventory", "{{ default }}"]))
    assert event["fingerprint"] == ["inventory", "{{ default }}"]
    assert "fingerprint" not in event.get("contexts", {})


def test_a_rule_overrides_the_exception_fingerprint_and_keeps_it_for_debugging():
    [event] = capture(PaymentError("declined", tags={"provider": "bank"}, fingerprint=["mine"]))
    assert event["fingerprint"] == ["payment-error", "bank"]
    assert event["contexts"]["fingerprint"]["client_fingerprint"] == ["mine"]


def test_messages_group_once_parameterised():
    policy = {"fingerprint": {"rules": [], "parameterize_messages": True}}
    transport = scenarios.RecordingTransport()
    scenarios.init(transport=transport, before_send=Preflight(policy).before_send)
    for order in (123, 456):
        sentry_sdk.capture_message(f"order {order} failed")
    sentry_sdk.flush()
    fingerprints = [event["fingerprint"] for event in transport.events()]
    assert fingerprints == [["order <int> failed"], ["order <int> failed"]]
