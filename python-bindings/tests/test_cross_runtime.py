"""Real events give the same output from the wheel as from the Rust CLI.

The shared vectors prove equality on hand-written cases; this runs every
committed sample event (captured with the real sentry-sdk) through the
`preflight` binary that scripts/ builds and through the Python hooks.
"""

import json
import pathlib
import subprocess

import pytest

from sentry_preflight import Preflight

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "release" / "preflight"
SAMPLES = ["samples/sentry-python-events.jsonl", "samples/sentry-python-large-events.jsonl"]


POLICIES = {
    "defaults": {},
    "relay": {"scrub": {
        "datascrubbing": {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True,
                          "sensitiveFields": ["card_token"]},
        "relay": {"applications": {"$frame.vars.**": ["@anything:hash"], "$http.headers.*": ["@email:mask"]}},
    }},
}


@pytest.mark.parametrize("policy_name", list(POLICIES))
@pytest.mark.parametrize("sample", SAMPLES)
def test_wheel_matches_the_rust_cli(sample, policy_name, tmp_path):
    assert CLI.exists(), "scripts/test builds the CLI first"
    path = ROOT / sample
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps(POLICIES[policy_name]), encoding="utf-8")
    rust = [json.loads(line) for line in subprocess.run(
        [str(CLI), "process", "--policy", str(policy_file), str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()]
    pf = Preflight(POLICIES[policy_name])
    python = []
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        hook = pf.before_send_transaction if event.get("type") == "transaction" else pf.before_send
        python.append(hook(event, {}))
    assert len(rust) == len(python) > 0
    for index, (from_rust, from_python) in enumerate(zip(rust, python)):
        assert from_python == from_rust, f"event {index}"
        assert from_rust.get("_meta"), "the sample events all carry secrets"
