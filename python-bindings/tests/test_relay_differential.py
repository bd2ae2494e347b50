"""preflight's Relay mode against Relay itself (the sentry-relay wheel).

With `scrub.defaults: false` and a Relay PII config (`scrub.relay`) or the
legacy settings (`scrub.datascrubbing`), preflight must write what Relay
writes: the same values and the same `_meta`. Each event goes through
`pii_strip_event` twice, once with no rules, which gives Relay's own reading
of the event (query strings as pairs, `message` as `logentry.formatted`, …),
and once with the rules; preflight gets the first and must produce the
second. A second test gives preflight the raw SDK event instead and compares
what Sentry would store. Events: real sentry-sdk captures (the committed samples and the leak
benchmark's planted secrets) and generated variations (varied_events.py).

Two things are normalised before either side sees an event, because Relay's
serializer would hide them: empty strings, lists and objects (Relay drops
them on output unless a rule leaves a remark on them).

Known differences, not copied and not tested (none occurs in these events):
- regex-lite's `\\d`, `\\s` and `(?i)` are ASCII; Relay's are Unicode (a
  card number in Arabic-Indic digits is Relay's, not ours). `\\b` at the
  start and end of the built-in patterns is made Unicode-aware.
- A user's own regex runs with regex-lite's syntax and ASCII classes.
- Remark kinds preflight never writes (`a`, `e`) in an incoming `_meta` are
  not carried forward when a value changes.
"""

import copy
import json
import pathlib
import sys

import pytest

from sentry_preflight import Preflight

from sentry_relay import processing as relay  # noqa: E402  (requirements-dev.txt)

import varied_events  # noqa: E402
from conftest import load_vectors  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import leaks  # noqa: E402

CONFIGS = {
    "legacy-everything": ("datascrubbing", {
        "scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True,
        "sensitiveFields": ["card_token", "order"], "excludeFields": ["safe", "tags.x"]}),
    "legacy-defaults": ("datascrubbing", {"scrubData": True, "scrubDefaults": True}),
    "legacy-ip-only": ("datascrubbing", {"scrubData": True, "scrubIpAddresses": True}),
    "legacy-fields": ("datascrubbing", {"scrubData": True, "sensitiveFields": ["note", " q "], "excludeFields": ["a b"]}),
    "common": ("relay", {"applications": {"$string": ["@common"]}}),
    "deep-wildcards": ("relay", {"applications": {"**": ["@anything:hash"], "$frame.vars.**": ["@anything:remove"]}}),
    "all-built-ins": ("relay", {"applications": {"$string": [
        "@ip", "@imei", "@mac", "@uuid", "@email", "@iban", "@creditcard", "@pemkey", "@urlauth", "@usssn",
        "@userpath", "@password", "@bearer", "@cookies:filter"]}}),
    "all-methods": ("relay", {"applications": {
        "$string": ["@ip:hash", "@imei:mask", "@mac:replace", "@uuid:replace", "@email:mask", "@iban:mask",
                    "@creditcard:hash", "@pemkey:mask", "@urlauth:legacy", "@usssn:remove", "@userpath:hash",
                    "@password:mask", "@bearer:filter"],
        "$object || $array || $number": ["@password"]}}),
    "typed-selectors": ("relay", {"applications": {
        "$frame.*": ["@userpath"], "$frame.vars.*": ["@anything:mask"], "$stack.frames.*.module": ["@anything:remove"],
        "$error.*": ["@email:hash"], "$logentry.params.*": ["@anything"],
        "$http.url || $http.query_string.* || $http.cookies.* || $http.headers.*": ["@anything:hash"],
        "$thread.**": ["@anything"], "$span.description || $span.data.* || contexts.trace.description": ["@anything:replace"],
        "tags.* || $user.*": ["@anything:mask"]}}),
    "custom-rules": ("relay", {
        "rules": {
            "ids": {"type": "pattern", "pattern": "[0-9]{4,}", "replaceGroups": [0], "redaction": {"method": "mask"}},
            "pair": {"type": "redact_pair", "keyPattern": "(?i)user|provider",
                     "redaction": {"method": "replace", "text": "<x>"}},
            "both": {"type": "multiple", "rules": ["ids", "@email:hash"], "hideInner": True,
                     "redaction": {"method": "replace", "text": "[b]"}}},
        "applications": {
            "$string && !$error.value": ["ids", "pair"],
            "$error.value || $breadcrumb.message || tags.*": ["both", "@ip:mask", "@uuid"],
            "$http.headers.*": ["@anything"]}}),
}


def without_empty(value):
    if isinstance(value, dict):
        kept = {key: without_empty(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ({}, [], "")}
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value


def sample_events():
    events = []
    for name in ["sentry-python-events.jsonl", "sentry-python-large-events.jsonl"]:
        events += [json.loads(line) for line in (ROOT / "samples" / name).read_text(encoding="utf-8").splitlines()]
    return events


@pytest.fixture(scope="module")
def events():
    # The wheel scrubs events only: the benchmark's logs and metrics stay out.
    planted = [event for channel, event in leaks.capture(leaks.Plantings()) if channel == "event"]
    found = {
        "samples": sample_events(),
        "planted": planted,
        "generated": varied_events.events(150),
    }
    return {source: [without_empty(event) for event in batch] for source, batch in found.items()}


def relay_only(kind, config):
    """Relay's rules alone: preflight's own scrubbing off, tags left for Relay
    to judge and span data as the SDK made it (`pii_strip_event` does neither)."""
    return {
        "scrub": {"defaults": False, kind: config},
        "tags": {"on_invalid": "keep"},
        "params": {"enabled": False},
    }


def relay_config(kind, config):
    return relay.convert_datascrubbing_config(config) if kind == "datascrubbing" else config


@pytest.mark.parametrize("source", ["samples", "planted", "generated"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_output_equals_relays(events, source, name):
    kind, config = CONFIGS[name]
    pf = Preflight(relay_only(kind, config))
    rules = relay_config(kind, config)
    changed = 0
    for index, event in enumerate(events[source]):
        relays_reading = relay.pii_strip_event({}, copy.deepcopy(event))
        expected = relay.pii_strip_event(rules, copy.deepcopy(event))
        hook = pf.before_send_transaction if event.get("type") == "transaction" else pf.before_send
        assert hook(relays_reading, {}) == expected, f"{source} event {index}"
        changed += expected != relay.pii_strip_event({}, copy.deepcopy(event))
    assert changed > 0, "the config must do something to these events, or the comparison proves nothing"


def without_meta(event):
    return {key: value for key, value in event.items() if key != "_meta"}


@pytest.mark.parametrize("source", ["samples", "planted", "generated"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_raw_sdk_events_reach_sentry_as_relay_would_store_them(events, source, name):
    """The hooks get sentry-sdk's raw event (a `message` string, a query string,
    header names as sent), not Relay's reading of it. What matters there is
    what Sentry stores: preflight's output, normalised by Relay with no rules,
    has the values Relay's own scrubbing stores. (`_meta` is not compared:
    Relay moves `message` to `logentry`, so its remarks sit elsewhere.)"""
    kind, config = CONFIGS[name]
    pf = Preflight(relay_only(kind, config))
    rules = relay_config(kind, config)
    for index, event in enumerate(events[source]):
        expected = relay.pii_strip_event({}, relay.pii_strip_event(rules, copy.deepcopy(event)))
        hook = pf.before_send_transaction if event.get("type") == "transaction" else pf.before_send
        sent = hook(copy.deepcopy(event), {})
        assert without_meta(relay.pii_strip_event({}, sent)) == without_meta(expected), f"{source} event {index}"


def relay_vectors():
    found = []
    for name, vector in load_vectors():
        policy = vector.get("policy")
        scrub = policy.get("scrub", {}) if isinstance(policy, dict) else {}
        relay_only = scrub.get("defaults") is False and ("relay" in scrub or "datascrubbing" in scrub)
        # `limits` are preflight's own bounds on hostile events: Relay has none to compare with.
        own_limits = isinstance(policy, dict) and "limits" in policy
        # The wheel scrubs events only; the vectors of logs, trace metrics and streamed spans
        # reproduce Relay's own tests of them instead (see the README).
        not_an_event = vector.get("kind") in ("log", "metric", "span")
        if "error" not in vector and relay_only and not own_limits and not not_an_event:
            found.append((name, vector))
    return found


@pytest.mark.parametrize("name,vector", relay_vectors(), ids=[name for name, _ in relay_vectors()])
def test_relay_vectors_expect_relays_output(name, vector):
    scrub = vector["policy"]["scrub"]
    kind = "relay" if "relay" in scrub else "datascrubbing"
    assert relay.pii_strip_event(relay_config(kind, scrub[kind]), copy.deepcopy(vector["input"])) == vector["expected"]


def test_there_are_relay_vectors():
    assert len(relay_vectors()) >= 5


@pytest.mark.parametrize("settings", [
    {"scrubData": False, "scrubDefaults": True},
    {"scrubData": True},
    {"scrubData": True, "scrubDefaults": False, "scrubIpAddresses": False, "sensitiveFields": ["", " "]},
])
def test_settings_that_scrub_nothing_change_nothing(settings):
    assert not relay.convert_datascrubbing_config(settings), "Relay converts these to an empty config"
    event = {"extra": {"password": "hunter2"}, "user": {"ip_address": "10.0.0.1"}}
    before = copy.deepcopy(event)
    assert Preflight({"scrub": {"defaults": False, "datascrubbing": settings}}).before_send(event, {}) == before
