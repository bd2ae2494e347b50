"""Per-event cost in Python of preflight and its peers, on the same events in one run.

Events: samples/sentry-python-large-events.jsonl (8 real sentry-sdk errors,
16-20 KB). Each scrubber gets fresh copies (made outside the timing) and the
median of several rounds is reported. Relay's scrubber is the sentry-relay
wheel (`pii_strip_event`, which parses JSON, normalises and serialises too);
preflight runs the same legacy settings through `scrub.datascrubbing`.

    .venv/bin/python benchmarks/speed.py
"""

import copy
import json
import pathlib
import statistics
import time

from sentry_relay.processing import convert_datascrubbing_config, pii_strip_event
from sentry_sdk.scrubber import EventScrubber

from sentry_preflight import Preflight

ROOT = pathlib.Path(__file__).resolve().parents[1]
LEGACY = {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True, "sensitiveFields": [],
          "excludeFields": []}
ROUNDS = 30


def events():
    path = ROOT / "samples" / "sentry-python-large-events.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def per_event(scrub, originals):
    timings = []
    for _ in range(ROUNDS):
        batch = copy.deepcopy(originals)
        start = time.perf_counter()
        for event in batch:
            scrub(event)
        timings.append((time.perf_counter() - start) / len(batch))
    return statistics.median(timings)


def main():
    originals = events()
    preflight = Preflight({})
    relay_only = Preflight({"scrub": {"defaults": False, "datascrubbing": LEGACY},
                            "tags": {"on_invalid": "keep"}, "params": {"enabled": False}})
    both = Preflight({"scrub": {"datascrubbing": LEGACY}})
    relay_config = convert_datascrubbing_config(LEGACY)
    scrubber = EventScrubber(recursive=True)

    runs = {
        "preflight defaults (`before_send`)": lambda event: preflight.before_send(event, {}),
        "preflight, Relay legacy settings only (`scrub.datascrubbing`)": lambda event: relay_only.before_send(event, {}),
        "preflight defaults + Relay legacy settings": lambda event: both.before_send(event, {}),
        "sentry-relay `pii_strip_event`, legacy settings": lambda event: pii_strip_event(relay_config, event),
        "sentry-python `EventScrubber(recursive=True)` (keys only)": scrubber.scrub_event,
        "`json.loads(json.dumps(event))`": lambda event: json.loads(json.dumps(event)),
    }
    sizes = sorted(len(json.dumps(event)) for event in originals)
    print(f"{len(originals)} events, median {statistics.median(sizes) / 1024:.1f} KB; median of {ROUNDS} rounds\n")
    print("| Python, per event | µs |")
    print("|---|---|")
    for name, run in runs.items():
        print(f"| {name} | {per_event(run, originals) * 1e6:.0f} |")


if __name__ == "__main__":
    main()
