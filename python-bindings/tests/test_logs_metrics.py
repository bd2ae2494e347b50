"""Logs and trace metrics through the real sentry-sdk: `before_send_log` and
`before_send_metric` take out what the log and metric items would carry.

sentry-sdk sends a log's secret twice (in its body and in its
`sentry.message.parameter.*` attribute) and a metric's in its attributes;
the recording transport keeps the envelopes it would send, searched here.
"""

import json
import logging

import pytest
import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration

import scenarios
from sentry_preflight import Preflight

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

CARD = "4111 1111 1111 1111"
EMAIL = "ada.lovelace@example.com"
PASSWORD = "PLANTED-log-password-5e21"
TOKEN = "ghp_PLANTEDtokenABCDEFGHIJKLMNOPQRSTUVWX"
PLANTED = [CARD, EMAIL, PASSWORD, TOKEN]


def sent_items(transport, item_type):
    """The log or metric items of every envelope, as sentry-sdk serialised them."""
    return [
        entry
        for envelope in transport.envelopes
        for item in envelope.items
        if item.type == item_type
        for entry in item.payload.json["items"]
    ]


def capture_logs_and_metrics(pf):
    transport = scenarios.RecordingTransport()
    options = {"before_send_log": pf.before_send_log, "before_send_metric": pf.before_send_metric} if pf else {}
    scenarios.init(
        transport=transport,
        enable_logs=True,
        release="shop@1.2.3",
        environment="prod",
        integrations=[LoggingIntegration(sentry_logs_level=logging.INFO)],
        **options,
    )
    sentry_sdk.logger.info("card {card} for {email}", card=CARD, email=EMAIL)
    sentry_sdk.logger.warning("login with {password}", password=PASSWORD)
    logging.getLogger("shop.auth").warning("password=%s token %s", PASSWORD, TOKEN)
    sentry_sdk.metrics.count("checkout.failed", 1, attributes={"email": EMAIL, "region": "eu-west-1"})
    sentry_sdk.flush()
    return transport


def serialised(transport):
    return b"".join(envelope.serialize() for envelope in transport.envelopes).decode()


def test_without_the_hooks_logs_and_metrics_carry_the_secrets():
    sent = serialised(capture_logs_and_metrics(None))
    assert all(secret in sent for secret in PLANTED)


def test_logs_and_metrics_leave_without_a_planted_secret():
    transport = capture_logs_and_metrics(Preflight({}))
    sent = serialised(transport)
    assert [secret for secret in PLANTED if secret in sent] == []

    logs = sent_items(transport, "log")
    assert len(logs) == 3
    card_log = next(log for log in logs if log["attributes"].get("sentry.message.template", {}).get("value", "").startswith("card"))
    assert card_log["body"] == "card [Filtered] for [Filtered]"
    attributes = card_log["attributes"]
    assert attributes["sentry.message.parameter.card"] == {"value": "[Filtered]", "type": "string"}
    assert attributes["sentry.message.template"] == {"value": "card {card} for {email}", "type": "string"}
    # What the SDK needs of a log is never touched.
    assert attributes["sentry.release"] == {"value": "shop@1.2.3", "type": "string"}
    assert attributes["sentry.environment"] == {"value": "prod", "type": "string"}
    assert attributes["sentry.sdk.name"]["value"].startswith("sentry.python")
    assert card_log["level"] == "info" and card_log["trace_id"]

    # From the logging integration: the parameter is secret because of where it stands in the body.
    stdlib_log = next(log for log in logs if log["attributes"].get("logger.name", {}).get("value") == "shop.auth")
    assert stdlib_log["body"] == "password=[Filtered] token [Filtered]"
    assert stdlib_log["attributes"]["sentry.message.parameter.0"]["value"] == "[Filtered]"
    assert stdlib_log["attributes"]["sentry.message.template"]["value"] == "password=%s token %s"
    assert stdlib_log["attributes"]["sentry.origin"]["value"] == "auto.log.stdlib"

    (metric,) = sent_items(transport, "trace_metric")
    assert (metric["name"], metric["type"], metric["value"]) == ("checkout.failed", "counter", 1.0)
    assert metric["attributes"]["email"] == {"value": "[Filtered]", "type": "string"}
    assert metric["attributes"]["region"] == {"value": "eu-west-1", "type": "string"}


def test_an_error_logged_with_arguments_leaves_without_them():
    # The logging integration makes an event of an error record: its
    # `logentry` holds the formatted text and the arguments apart, and the
    # argument is secret only because of where it stands in the text.
    transport = scenarios.RecordingTransport()
    pf = Preflight({})
    scenarios.init(transport=transport, before_send=pf.before_send, integrations=[LoggingIntegration()])
    logging.getLogger("shop.auth").error("login failed: password=%s for %s", PASSWORD, "ada")
    logging.getLogger("shop.pay").error("card %(card)s declined", {"card": CARD})
    sentry_sdk.flush()
    sent = serialised(transport)
    assert PASSWORD not in sent and CARD not in sent

    entries = [event["logentry"] for event in transport.events()]
    assert entries == [
        {"message": "login failed: password=%s for %s", "formatted": "login failed: password=[Filtered] for ada", "params": ["[Filtered]", "ada"]},
        {"message": "card %(card)s declined", "formatted": "card [Filtered] declined", "params": {"card": "[Filtered]"}},
    ]


def test_a_log_that_cannot_be_processed_is_dropped_unless_on_error_passes():
    from types import MappingProxyType

    # A read-only mapping cannot be changed in place: the scrub cannot finish.
    def log():
        return {"body": "password=hunter2", "attributes": MappingProxyType({"api_key": "k-123"})}

    pf = Preflight({})
    assert pf.before_send_log(log(), {}) is None
    assert pf.before_send_metric({"name": "m", "attributes": MappingProxyType({"token": "t"})}, {}) is None
    assert Preflight({"on_error": "pass"}).before_send_log(log(), {}) is not None
    assert pf.before_send_log(["not", "a", "log"], {}) is None
    assert pf.before_send_metric({"name": "m", "attributes": {"email": EMAIL}}, {}) == {
        "name": "m",
        "attributes": {"email": "[Filtered]"},
    }
    assert json.dumps(pf.before_send_log({"body": f"token {TOKEN}", "attributes": {}}, {})).count(TOKEN) == 0


def test_ignored_logs_are_not_sent():
    transport = scenarios.RecordingTransport()
    pf = Preflight({"filters": {"ignore_logs": {"levels": ["debug"], "loggers": ["uvicorn.*"], "messages": ["GET /health*"]}}})
    scenarios.init(
        transport=transport,
        enable_logs=True,
        integrations=[LoggingIntegration(sentry_logs_level=logging.DEBUG)],
        before_send_log=pf.before_send_log,
    )
    logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    sentry_sdk.logger.debug("cache warm")
    sentry_sdk.logger.info("GET /healthz 200")
    logging.getLogger("uvicorn.access").info("GET /api/pay 200")
    sentry_sdk.logger.info("order {order} paid", order=991)
    sentry_sdk.flush()
    bodies = [log["body"] for log in sent_items(transport, "log")]
    assert bodies == ["order 991 paid"]
