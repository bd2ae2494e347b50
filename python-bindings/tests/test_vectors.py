"""The shared vectors through the Python binding: same output as Rust and JS."""

import copy

import pytest

import sentry_preflight
from conftest import load_vectors

VECTORS = load_vectors()


def test_the_shared_vectors_are_there():
    assert len(VECTORS) >= 20


@pytest.mark.parametrize("name,vector", VECTORS, ids=[name for name, _ in VECTORS])
def test_vector(name, vector):
    if "error" in vector:
        with pytest.raises(sentry_preflight.PolicyError) as raised:
            sentry_preflight.Preflight(vector["policy"])
        assert raised.value.path == vector["error"]["path"]
        assert raised.value.reason == vector["error"]["reason"]
        return
    pf = sentry_preflight.Preflight(vector["policy"])
    hook = {"breadcrumb": pf.before_breadcrumb, "span": pf.before_send_span}.get(vector.get("kind"), pf.before_send)
    event = copy.deepcopy(vector["input"])
    assert hook(event, {}) == vector["expected"]
