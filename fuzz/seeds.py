"""Writes the fuzz targets' seed corpus (fuzz/seeds/<target>/) from what the
repository already holds: the real sentry-sdk events in samples/ and the
shared vectors in tests/vectors/. Run it again when either changes; the
seeds are committed so that a clean checkout fuzzes from them.

    python3 fuzz/seeds.py
"""

import hashlib
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"


def sample_events():
    for path in sorted((ROOT / "samples").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                yield json.loads(line)


def vectors():
    for path in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        yield json.loads(path.read_text())


def section(policy, *keys):
    for key in keys:
        policy = policy.get(key, {}) if isinstance(policy, dict) else {}
    return policy


def fingerprint_rules(policy):
    rules = section(policy, "fingerprint").get("rules", [])
    return rules if isinstance(rules, str) else "\n".join(map(str, rules))


def selectors(policy):
    return list(section(policy, "scrub", "relay", "applications"))


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for member in value.values():
            yield from strings(member)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def seeds():
    events = list(sample_events())
    cases = list(vectors())
    policies = [case["policy"] for case in cases if "policy" in case]
    yield "process_default", [json.dumps(event) for event in events]
    # Text as JSON.stringify writes it, and as the vectors spell it.
    yield "tape_patch", [json.dumps(event, separators=(",", ":")) for event in events] + [
        json.dumps(case["input"]) for case in cases if "input" in case
    ]
    yield "policy_load", [json.dumps(policy) for policy in policies]
    yield "process_policy", [
        json.dumps({key: case[key] for key in ("policy", "kind", "input") if key in case})
        for case in cases
    ] + [json.dumps({"policy": {}, "input": event}) for event in events]
    yield "fingerprint_rules", [
        rules for rules in map(fingerprint_rules, policies) if rules.strip()
    ]
    yield "selectors", [selector for policy in policies for selector in selectors(policy)]
    yield "detect", [text for case in cases for text in strings(case.get("input")) if len(text) >= 4]


def main():
    for target, texts in seeds():
        folder = SEEDS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for text in set(texts):
            data = text.encode()
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(set(texts))} seeds")


if __name__ == "__main__":
    main()
