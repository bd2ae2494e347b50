"""PreflightIntegration through the real sentry-sdk: every hook installed by
``sentry_sdk.init(integrations=[...])``, each after the user's own, for every
client of the process (sentry-sdk sets an integration up once per process).

The recording transport keeps the envelopes sentry-sdk would send; they are
searched for the planted secrets.
"""

import logging
import warnings

import pytest
import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration

import scenarios
from sentry_preflight import PolicyError, PreflightIntegration

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.usefixtures("fresh_sdk")]

PASSWORD = "PLANTED-integration-password-7c1e"
EMAIL = "ada.lovelace@example.com"
ADDRESS = "203.0.113.77"


def init(integration, **options):
    transport = scenarios.RecordingTransport()
    options.setdefault("dsn", "http://public@127.0.0.1:9/1")
    options.setdefault("default_integrations", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(transport=transport, integrations=[integration, *options.pop("integrations", [])], **options)
    return transport


def sent(transport):
    sentry_sdk.flush()
    return b"".join(envelope.serialize() for envelope in transport.envelopes).decode()


def test_what_a_users_hook_adds_is_scrubbed_and_what_it_drops_stays_dropped():
    def users_before_send(event, hint):
        if event.get("message") == "drop me":
            return None
        event.setdefault("extra", {})["added_by_hook"] = f"password={PASSWORD}"
        return event

    transport = init(PreflightIntegration({}), before_send=users_before_send)
    sentry_sdk.capture_message("checkout failed")
    sentry_sdk.capture_message("drop me")
    text = sent(transport)
    assert PASSWORD not in text
    (event,) = transport.events()
    assert event["message"] == "checkout failed"
    assert event["extra"]["added_by_hook"] == "password=[Filtered]"


def test_every_channel_goes_through_preflight():
    transport = init(
        PreflightIntegration({}),
        enable_logs=True,
        traces_sample_rate=1.0,
        integrations=[LoggingIntegration(sentry_logs_level=logging.INFO)],
    )
    sentry_sdk.add_breadcrumb(message=f"login password={PASSWORD}")
    sentry_sdk.logger.info("welcome {email}", email=EMAIL)
    sentry_sdk.metrics.count("signup", 1, attributes={"email": EMAIL})
    with sentry_sdk.start_transaction(name="/signup"):
        with sentry_sdk.start_span(op="db", description=f"UPDATE users SET password='{PASSWORD}'"):
            pass
    sentry_sdk.capture_message("signup done")
    text = sent(transport)
    assert PASSWORD not in text and EMAIL not in text
    kinds = {item.type for envelope in transport.envelopes for item in envelope.items}
    assert {"event", "transaction", "log", "trace_metric"} <= kinds


def test_every_client_of_the_process_is_installed_into():
    # sentry-sdk calls setup_once_with_options for the first client only.
    for policy in ({}, {"scrub": {"deny_keys": ["order_note"]}}):
        transport = init(PreflightIntegration(policy))
        sentry_sdk.set_extra("order_note", "leave at the door")
        sentry_sdk.set_extra("api_key", PASSWORD)
        sentry_sdk.capture_message("order placed")
        text = sent(transport)
        assert PASSWORD not in text
        (event,) = transport.events()
        expected_note = "[Filtered]" if policy else "leave at the door"
        assert event["extra"]["order_note"] == expected_note
        sentry_sdk.get_client().close()
        sentry_sdk.get_isolation_scope().clear()


def test_installing_twice_into_one_client_wraps_once():
    calls = []

    def users_before_send(event, hint):
        calls.append(event["message"])
        return event

    integration = PreflightIntegration({})
    init(integration, before_send=users_before_send)
    options = sentry_sdk.get_client().options
    hook = options["before_send"]
    integration._install(options)
    assert options["before_send"] is hook
    sentry_sdk.capture_message("once")
    assert calls == ["once"]


@pytest.mark.parametrize(
    "options,policy,kept",
    [
        ({"send_default_pii": True}, {}, True),
        ({"send_default_pii": False}, {}, False),
        ({"data_collection": {"user_info": True}}, {}, True),
        ({"send_default_pii": True}, {"scrub": {"send_default_pii": False}}, False),
    ],
)
def test_personal_data_follows_the_sdk_unless_the_policy_says(options, policy, kept):
    transport = init(PreflightIntegration(policy), **options)
    sentry_sdk.set_user({"id": "42", "email": EMAIL})
    sentry_sdk.capture_message(f"refund for {EMAIL} from {ADDRESS}")
    sent(transport)
    (event,) = transport.events()
    assert (EMAIL in event["message"]) is kept
    assert (event["user"]["email"] == EMAIL) is kept


def test_a_streamed_span_is_scrubbed_even_when_the_users_hook_fails():
    from sentry_sdk import traces

    def users_before_send_span(span, hint):
        raise RuntimeError("the user's hook fails")

    transport = init(
        PreflightIntegration({}),
        traces_sample_rate=1.0,
        trace_lifecycle="stream",
        before_send_span=users_before_send_span,
    )
    with traces.start_span(name="/api/pay"):
        with traces.start_span(name="SELECT", attributes={"db.password": PASSWORD, "db.system": "pg"}):
            pass
    text = sent(transport)
    assert '"type":"span"' in text
    assert PASSWORD not in text


def test_a_bad_policy_is_rejected_before_init():
    with pytest.raises(PolicyError) as raised:
        PreflightIntegration({"scrub": {"method": "shred"}})
    assert raised.value.path == "scrub.method"
