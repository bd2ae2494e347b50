"""Hostile events in Python: each ends as a processed event or a drop per
on_error, never an exception into sentry-sdk (issue: reliability)."""

import json
import math

from sentry_preflight import Preflight

CARD = "4111 1111 1111 1111"


def nested(depth):
    root = node = {}
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def test_nesting_far_deeper_than_any_stack_is_cut_at_the_depth_limit():
    for policy in ({}, {"scrub": {"datascrubbing": {"scrubData": True, "scrubDefaults": True}}}):
        event = Preflight(policy).before_send({"message": "deep", "extra": {"deep": nested(100_000)}}, {})
        depth, node = 0, event["extra"]["deep"]
        while isinstance(node, dict) and "a" in node:
            node, depth = node["a"], depth + 1
        assert depth < 100
        assert "!limit" in json.dumps(event["_meta"])


def test_a_ten_megabyte_string_and_a_million_element_list_are_scrubbed():
    pf = Preflight({})
    blob = ("lorem ipsum " * 84 + f"card {CARD}; ") * 10_000
    out = pf.before_send({"message": "x", "extra": {"blob": blob}}, {})
    assert len(blob) > 10_000_000 and len(out["extra"]["blob"]) > 10_000_000
    assert CARD not in out["extra"]["blob"]
    items = ["jane@example.com" if index % 10_000 == 0 else "item" for index in range(1_000_000)]
    scrubbed = pf.before_send({"message": "x", "extra": {"items": items}}, {})["extra"]["items"]
    assert len(scrubbed) == 1_000_000
    assert scrubbed.count("[Filtered]") == 100


def test_odd_types_keys_bytes_and_broken_text_are_read_not_raised():
    event = {
        "message": "x",
        "extra": {
            1: f"card {CARD}",
            (2, 3): "tuple key",
            "nan": math.nan,
            "infinity": -math.inf,
            "bytes": b"card 4111 1111 1111 1111 \xff\xfe",
            "surrogate": f"cut \ud83d emoji, card {CARD}",
        },
    }
    out = Preflight({}).before_send(event, {})
    assert out["extra"][1] == "card [Filtered]"
    assert out["extra"][(2, 3)] == "tuple key"
    assert math.isnan(out["extra"]["nan"]) and out["extra"]["infinity"] == -math.inf
    assert CARD not in out["extra"]["bytes"]
    assert CARD not in out["extra"]["surrogate"]


def test_a_key_whose_comparison_empties_the_event_mid_walk_does_not_crash():
    # The walk reads dicts in place (PyDict_Next) and looks members up with
    # the C API; a key of a str subclass colliding with a field the core looks
    # up runs Python code in the middle of that lookup. Here that code empties
    # every dict of the event while the walk is inside it.
    compared = []
    extra = {"password": "hunter2", "nested": {"token": "t0ps3cret", "card": CARD}}

    class Clearing(str):
        def __hash__(self):
            return hash("extra")

        def __eq__(self, other):
            if armed:
                compared.append(other)
                extra.clear()
                event.clear()
            return False

    armed = []
    event = {Clearing("x"): 1, "message": f"card {CARD}", "extra": extra}
    armed.append(True)
    out = Preflight({}).before_send(event, {})
    assert compared, "the colliding key was compared during the walk"
    assert out is None or CARD not in json.dumps(out, default=str)
    assert extra == {}
