"""The shared vectors through the Python binding: same output as Rust and JS."""

import copy

import pytest

import sentry_preflight
from conftest import Clock, load_vectors

VECTORS = load_vectors()


def test_the_shared_vectors_are_there():
    assert len(VECTORS) >= 20


@pytest.mark.parametrize("name,vector", VECTORS, ids=[name for name, _ in VECTORS])
def test_vector(name, vector):
    if "error" in vector:
        with pytest.raises(sentry_preflight.PolicyError) as raised:
            sentry_preflight.Preflight(vector["policy"], sdk_send_default_pii=sdk_pii(vector))
        assert raised.value.path == vector["error"]["path"]
        assert raised.value.reason == vector["error"]["reason"]
        return
    clock = Clock()
    pf = sentry_preflight.Preflight(vector["policy"], clock=clock, sdk_send_default_pii=sdk_pii(vector))
    if vector.get("kind") == "sampling":
        assert decide(pf, vector["input"], clock) == vector["expected"]
        return
    if vector.get("kind") == "sequence":
        assert process_in_order(pf, vector["input"], clock) == vector["expected"]
        return
    hooks = {"breadcrumb": pf.before_breadcrumb, "span": pf.before_send_span, "log": pf.before_send_log,
             "metric": pf.before_send_metric, "security-report": pf.before_send}
    hook = hooks.get(vector.get("kind"), pf.before_send)
    event = copy.deepcopy(vector["input"])
    assert hook(event, {}) == vector["expected"]


def sdk_pii(vector):
    """What the vector says the SDK's options say of personal data, as an integration reads it."""
    return vector.get("sdk", {}).get("send_default_pii")


def generated_trace_id(index):
    return format((index * 0x9E3779B97F4A7C15F39CC0605CEDC835) % (1 << 128), "032x")


def process_in_order(pf, vector_input, clock):
    """Each event as sent, or None when dropped, processed in order at its time."""
    outputs = []
    for step in vector_input["steps"]:
        clock.now = step.get("now")
        outputs.append(pf.before_send(copy.deepcopy(step["event"]), {}))
    return outputs


def decide(pf, vector_input, clock):
    """Decisions for the listed contexts, and a digest of thousands more."""
    decisions = []
    for context in vector_input["contexts"]:
        clock.now = context.get("now")
        decisions.append(pf.decide_trace(context))
    generated = []
    for batch in vector_input["generated"]:
        clock.now = batch["template"].get("now")
        kept = index_sum = 0
        rand_sum = 0.0
        for index in range(batch["count"]):
            decision = pf.decide_trace({**batch["template"], "trace_id": generated_trace_id(index)})
            if decision["sampled"]:
                kept += 1
                index_sum += index
            rand_sum += decision["sample_rand"]
        generated.append({"kept": kept, "kept_index_sum": index_sum, "rand_sum": rand_sum})
    return {"decisions": decisions, "generated": generated}
