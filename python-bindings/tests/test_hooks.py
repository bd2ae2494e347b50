"""The Preflight class: how policies are given, what the hooks return, how failures end."""

import json
import os
import pathlib

import pytest

import sentry_preflight
from sentry_preflight import PolicyError, Preflight


def test_policy_as_dict_text_bytes_path_and_pathlike(tmp_path):
    policy = {"scrub": {"deny_keys": ["ssn"]}}
    file = tmp_path / "policy.json"
    file.write_text(json.dumps(policy))
    for source in (policy, json.dumps(policy), json.dumps(policy).encode(), str(file), file):
        event = {"extra": {"ssn": "078-05-1120"}}
        assert Preflight(source).before_send(event)["extra"]["ssn"] == "[Filtered]", source


def test_policy_error_names_the_path():
    with pytest.raises(PolicyError) as raised:
        Preflight({"scrub": {"safe_keys": ["ok", None]}})
    assert raised.value.path == "scrub.safe_keys[1]"
    assert raised.value.reason == "expected a string, found null"
    assert str(raised.value) == "scrub.safe_keys[1]: expected a string, found null"
    assert isinstance(raised.value, ValueError)


def test_policy_error_from_a_file(tmp_path):
    file = tmp_path / "bad.json"
    file.write_text('{"on_error": "explode"}')
    with pytest.raises(PolicyError) as raised:
        Preflight(os.fspath(file))
    assert raised.value.path == "on_error"


def test_invalid_json_and_non_json_policies():
    with pytest.raises(PolicyError) as raised:
        Preflight("{not json")
    assert raised.value.path == ""
    assert raised.value.reason.startswith("not valid JSON")
    with pytest.raises(PolicyError):
        Preflight({"scrub": {"deny_keys": {"a", "b"}}})


def test_missing_policy_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        Preflight(tmp_path / "missing.json")
    # A str is a path unless it is JSON text; the error says which it was taken for.
    with pytest.raises(FileNotFoundError) as raised:
        Preflight("policy.jsn")
    assert "read as a file path" in str(raised.value) and raised.value.filename == "policy.jsn"


def test_json_text_is_told_from_a_path_by_its_first_character():
    with pytest.raises(PolicyError) as raised:
        Preflight("[]")
    assert raised.value.path == ""
    assert Preflight('  {"on_error": "pass"}').before_send({"extra": {"token": "t"}})["extra"]["token"] == "[Filtered]"


def test_hooks_change_the_event_in_place_and_return_it():
    pf = Preflight({})
    event = {"extra": {"password": "hunter2"}}
    assert pf.before_send(event, {}) is event
    assert event["extra"]["password"] == "[Filtered]"
    transaction = {"type": "transaction", "spans": [{"data": {"db.password": "x"}}]}
    assert pf.before_send_transaction(transaction, {}) is transaction
    assert transaction["spans"][0]["data"]["db.password"] == "[Filtered]"
    crumb = {"data": {"token": "t"}}
    assert pf.before_breadcrumb(crumb, {}) is crumb
    assert crumb == {"data": {"token": "[Filtered]"}}


def test_hooks_work_unbound_and_without_a_hint():
    before_send = Preflight({}).before_send
    event = before_send({"extra": {"apikey": 1}})
    assert event["extra"]["apikey"] == "[Filtered]"


def test_a_failure_inside_follows_on_error():
    from types import MappingProxyType

    # A read-only mapping cannot be changed in place: the scrub cannot finish.
    def event():
        return {"request": {"headers": MappingProxyType({"Authorization": "Bearer x"})}}

    assert Preflight({}).before_send(event()) is None
    passed = Preflight({"on_error": "pass"}).before_send(event())
    assert dict(passed["request"]["headers"]) == {"Authorization": "Bearer x"}


def test_tuples_become_lists_so_that_their_items_can_be_scrubbed():
    event = {"request": {"headers": [("Authorization", "Bearer x"), ("Accept", "*/*")]}}
    Preflight({}).before_send(event)
    authorization, accept = event["request"]["headers"]
    assert authorization == ["Authorization", "[Filtered]"]
    assert list(accept) == ["Accept", "*/*"]


def test_non_dict_events_are_dropped_by_default():
    assert Preflight({}).before_send(["not", "an", "event"]) is None
    assert Preflight({}).before_breadcrumb(None) is None


def test_dict_subclasses_and_odd_values_are_walked():
    from collections import OrderedDict

    event = {"extra": OrderedDict(token="t", when=pathlib.Path("/tmp"), n=1.5, big=2**70)}
    Preflight({}).before_send(event)
    assert event["extra"]["token"] == "[Filtered]"
    assert event["extra"]["when"] == pathlib.Path("/tmp")
    assert event["_meta"]["extra"]["token"][""]["len"] == 1


def test_the_package_is_typed():
    package = pathlib.Path(sentry_preflight.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "__init__.pyi").exists()


def test_any_mapping_is_walked_and_a_read_only_one_fails_closed():
    from collections import UserDict
    from types import MappingProxyType

    crumb = {"data": {"headers": UserDict({"Authorization": "Bearer x", "Accept": "*/*"})}}
    assert Preflight({}).before_breadcrumb(crumb) is crumb
    assert dict(crumb["data"]["headers"]) == {"Authorization": "[Filtered]", "Accept": "*/*"}

    frozen = {"data": {"headers": MappingProxyType({"Authorization": "Bearer x"})}}
    assert Preflight({}).before_breadcrumb(frozen) is None
    assert Preflight({}).before_breadcrumb({"data": MappingProxyType({"Accept": "*/*"})}) is not None
