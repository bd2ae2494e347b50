"""What sentry-sdk really hands the hooks, beyond plain JSON data, and the
package's own tools: default_policy(), `python -m sentry_preflight`, the
failure log, threads."""

import copy
import datetime
import json
import logging
import pathlib
import subprocess
import sys
import threading
from types import MappingProxyType

import pytest
from sentry_sdk.utils import AnnotatedValue

from sentry_preflight import PolicyError, Preflight, default_policy, family_names

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "samples" / "sentry-python-large-events.jsonl"


def large_events():
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]


def test_annotated_values_are_scrubbed_through_their_value():
    metadata = {"rem": [["!raw", "x"]]}
    event = {"extra": {"password": AnnotatedValue("hunter2", metadata),
                       "note": AnnotatedValue("write to bob@example.com", metadata)}}
    Preflight({}).before_send(event, {})
    assert isinstance(event["extra"]["password"], AnnotatedValue)
    assert event["extra"]["password"].value == "[Filtered]"
    assert event["extra"]["note"].value == "write to [Filtered]"
    assert event["extra"]["note"].metadata is metadata


def test_a_breadcrumb_keeps_its_datetime_and_loses_its_secrets():
    when = datetime.datetime(2026, 11, 22, 6, 0, tzinfo=datetime.timezone.utc)
    crumb = {"timestamp": when, "category": "auth", "message": "login", "data": {"password": "hunter2", "at": when}}
    assert Preflight({}).before_breadcrumb(crumb, {}) is crumb
    assert crumb["timestamp"] is when
    assert crumb["data"] == {"password": "[Filtered]", "at": when}


def test_bytes_non_str_keys_and_lone_surrogates():
    event = {"extra": {
        "raw": b"retry with token=abcdefghijklmnop",
        1: "card 4111 1111 1111 1111",
        "note": "\ud800 mail bob@example.com",
    }}
    Preflight({}).before_send(event, {})
    assert event["extra"]["raw"] == "retry with token=[Filtered]"
    assert event["extra"][1] == "card [Filtered]"
    assert "bob@example.com" not in event["extra"]["note"]


def test_the_first_failure_is_logged_once(caplog):
    pf = Preflight({})

    def frozen_event():
        return {"request": {"headers": MappingProxyType({"Authorization": "Bearer x"})}}

    with caplog.at_level(logging.WARNING, logger="sentry_preflight"):
        assert pf.before_send(frozen_event(), {}) is None
        assert pf.before_send(frozen_event(), {}) is None
    warnings = [record for record in caplog.records if record.name == "sentry_preflight"]
    assert len(warnings) == 1
    assert "it was dropped (on_error: drop)" in warnings[0].getMessage()


def test_default_policy_is_the_policy_of_an_empty_one():
    policy = default_policy()
    assert set(policy) == {"scrub", "filters", "fingerprint", "tags", "params", "sampling", "limits", "on_error"}
    assert policy["on_error"] == "drop"
    written_out, empty = Preflight(policy), Preflight({})
    for event in large_events():
        assert written_out.before_send(copy.deepcopy(event), {}) == empty.before_send(copy.deepcopy(event), {})


def test_the_check_command(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(default_policy()))
    bad.write_text('{"scrub": {"deny_keys": [1]}}')
    run = subprocess.run([sys.executable, "-m", "sentry_preflight", "check", str(good), str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout == f"{good}: ok\n"
    assert run.stderr == f"{bad}: scrub.deny_keys[0]: expected a string, found a number\n"
    defaults = subprocess.run([sys.executable, "-m", "sentry_preflight", "defaults"], capture_output=True, text=True)
    assert defaults.returncode == 0
    assert json.loads(defaults.stdout) == default_policy()


def test_eight_threads_share_one_preflight():
    pf = Preflight({"sampling": {"budget": {"max_events": 10_000, "window_seconds": 1}}})
    events = large_events()
    expected = [Preflight({}).before_send(copy.deepcopy(event), {}) for event in events]
    results = {}

    def work(worker):
        results[worker] = [pf.before_send(copy.deepcopy(event), {}) for _ in range(5) for event in events]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    for outputs in results.values():
        assert outputs == expected * 5


def test_every_family_named_by_family_names_switches_off_alone():
    names = family_names()
    assert names[0] == "pemkey" and names[-1] == "ip" and len(names) == len(set(names)) > 90
    event = {"extra": {"card": "4111 1111 1111 1111", "mail": "ada@example.com"}}
    off = Preflight({"scrub": {"patterns": ["!@creditcard"]}}).before_send(copy.deepcopy(event), {})
    assert off["extra"] == {"card": "4111 1111 1111 1111", "mail": "[Filtered]"}
    with pytest.raises(PolicyError) as error:
        Preflight({"scrub": {"patterns": ["!@creditcards"]}})
    assert 'did you mean "@creditcard"' in error.value.reason
