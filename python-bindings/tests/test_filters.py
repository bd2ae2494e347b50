"""Filters with the real sentry-sdk: dropped events never reach the transport.

sentry-sdk hands `before_send` the exception in `hint["exc_info"]`; the wheel
names its class and every base class for the core, so a subclass of an
ignored exception is ignored too, and an HTTP status the exception carries
counts as the response's.
"""

import logging

import pytest
import sentry_sdk

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]


class ClientDisconnect(OSError):
    """Stands in for starlette.requests.ClientDisconnect: the client went away."""


class UpstreamDisconnect(ClientDisconnect):
    """An application's own subclass: its event's type is not ClientDisconnect."""


class NotFound(Exception):
    status_code = 404


def capture_with(policy, raise_and_capture, **options):
    transport = scenarios.RecordingTransport()
    pf = Preflight(policy)
    scenarios.init(transport=transport, before_send=pf.before_send,
                   before_send_transaction=pf.before_send_transaction, **options)
    raise_and_capture()
    sentry_sdk.flush()
    return transport.events()


def raising(error):
    def capture():
        try:
            raise error
        except Exception:
            sentry_sdk.capture_exception()
        try:
            raise ValueError("an error that must still arrive")
        except ValueError:
            sentry_sdk.capture_exception()
    return capture


def exception_types(events):
    return [event["exception"]["values"][-1]["type"] for event in events]


def test_a_subclass_of_an_ignored_exception_is_dropped_by_its_base_class():
    events = capture_with({"filters": {"ignore_errors": ["ClientDisconnect"]}}, raising(UpstreamDisconnect()))
    assert exception_types(events) == ["ValueError"]


def test_the_base_class_can_be_named_with_its_module():
    qualified = f"{ClientDisconnect.__module__}.ClientDisconnect"
    events = capture_with({"filters": {"ignore_errors": [qualified]}}, raising(UpstreamDisconnect()))
    assert exception_types(events) == ["ValueError"]


def test_without_the_filter_both_arrive():
    events = capture_with({}, raising(UpstreamDisconnect("gone")))
    assert exception_types(events) == ["UpstreamDisconnect", "ValueError"]


def test_the_status_an_exception_carries_is_filtered():
    events = capture_with({"filters": {"ignore_status": [404]}}, raising(NotFound("no such order")))
    assert exception_types(events) == ["ValueError"]


def test_messages_and_log_records_are_matched_by_regex():
    def log_and_message():
        logging.getLogger("shop").error("upstream TIMEOUT after %ss", 30)
        sentry_sdk.capture_message("kept: a real problem")

    from sentry_sdk.integrations.logging import LoggingIntegration

    events = capture_with({"filters": {"ignore_errors": ["re:(?i)timeout"]}}, log_and_message,
                          integrations=[LoggingIntegration(event_level=logging.ERROR)])
    assert [event.get("message") or event["logentry"]["formatted"] for event in events] == ["kept: a real problem"]


def test_health_check_transactions_are_dropped():
    def transactions():
        for name in ["GET /healthz", "GET /api/orders"]:
            with sentry_sdk.start_transaction(op="http.server", name=name):
                pass

    events = capture_with({"filters": {"ignore_transactions": ["*/health*"]}}, transactions, traces_sample_rate=1.0)
    assert [event["transaction"] for event in events] == ["GET /api/orders"]
