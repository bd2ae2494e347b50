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


def leaves(value):
    """Every string, number, boolean and null inside a JSON value."""
    if isinstance(value, dict):
        for member in value.values():
            yield from leaves(member)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def strings(value):
    """Every string inside a JSON value."""
    return (leaf for leaf in leaves(value) if isinstance(leaf, str))


def numbers(value):
    """Every number inside a JSON value, as JSON spells it."""
    return (
        json.dumps(leaf)
        for leaf in leaves(value)
        if isinstance(leaf, (int, float)) and not isinstance(leaf, bool)
    )


# Numbers at the edges of f64: its extremes, subnormals, halfway points,
# exponents past its range and past what std reads.
EDGE_NUMBERS = [
    "0", "-0", "0.0", "1e308", "1.7976931348623157e308", "1.7976931348623159e308",
    "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
    "9007199254740993", "18446744073709551616", "1e99999", "1e-99999", "0." + "0" * 400 + "1e400",
    "1" * 120 + "e-100", "123456789012345678901234567890.5e-10",
]


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
    yield "numbers", [
        number for value in events + [case.get("input") for case in cases] for number in numbers(value)
    ] + EDGE_NUMBERS


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
