"""Per-event cost in Python of preflight and its peers, on the same events in one run,
and the per-call cost of a sampling decision against a hand-written traces_sampler.

Events: samples/sentry-python-large-events.jsonl (8 real sentry-sdk errors,
16-20 KB). Each scrubber gets fresh copies (made outside the timing) and the
median of several rounds (the scrubbers taking turns) is reported. Relay's scrubber is the sentry-relay
wheel (`pii_strip_event`, which parses JSON, normalises and serialises too);
preflight runs the same legacy settings through `scrub.datascrubbing`.

    .venv/bin/python benchmarks/speed.py
"""

import copy
import fnmatch
import json
import marshal
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
PEER = "sentry-python `EventScrubber(recursive=True)` (keys only)"
CALLS = 20_000
SAMPLING = {"sampling": {"traces": {"default_rate": 0.05, "rules": [
    {"name": "*/health*", "rate": 0, "force": True},
    {"name": "/api/payment*", "op": "http.server", "rate": 0.5},
    {"name": "/api/*", "attributes": {"http.request.method": "POST"}, "rate": 0.25},
]}}}
# What sentry-sdk passes to traces_sampler for an incoming request (no parent decision).
SAMPLING_CONTEXT = {
    "transaction_context": {"name": "/api/orders", "op": "http.server",
                            "trace_id": "67e5504410b1426f9247bb680e5fe0c8", "data": {"http.request.method": "GET"}},
    "parent_sampled": None,
}


def events():
    path = ROOT / "samples" / "sentry-python-large-events.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def per_event(runs, originals):
    """Median time per event of each run. The runs take turns round after
    round, so that a slow spell of a shared machine falls on all of them."""
    timings = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, scrub in runs.items():
            batch = copy.deepcopy(originals)
            start = time.perf_counter()
            for event in batch:
                scrub(event)
            timings[name].append((time.perf_counter() - start) / len(batch))
    return {name: statistics.median(times) for name, times in timings.items()}


def hand_written_sampler(context):
    """The same three rules as a team writes them today."""
    if context.get("parent_sampled") is not None:
        return float(context["parent_sampled"])
    transaction = context["transaction_context"]
    name = transaction.get("name") or ""
    if fnmatch.fnmatchcase(name, "*/health*"):
        return 0.0
    if fnmatch.fnmatchcase(name, "/api/payment*") and transaction.get("op") == "http.server":
        return 0.5
    if fnmatch.fnmatchcase(name, "/api/*") and (transaction.get("data") or {}).get("http.request.method") == "POST":
        return 0.25
    return 0.05


def per_call(call):
    timings = []
    for _ in range(ROUNDS // 3):
        start = time.perf_counter()
        for _ in range(CALLS):
            call(SAMPLING_CONTEXT)
        timings.append((time.perf_counter() - start) / CALLS)
    return statistics.median(timings)


def sampling_table():
    sampler = Preflight(SAMPLING)
    assert sampler.traces_sampler(SAMPLING_CONTEXT) == hand_written_sampler(SAMPLING_CONTEXT) == 0.05
    runs = {
        "preflight `traces_sampler` (3 rules)": sampler.traces_sampler,
        "preflight `decide_trace` (3 rules, with Relay's draw)": sampler.decide_trace,
        "hand-written `traces_sampler` (the same rules, fnmatch)": hand_written_sampler,
    }
    print(f"\n| Python, per sampling call (median of {ROUNDS // 3} rounds of {CALLS}) | µs |")
    print("|---|---|")
    for name, run in runs.items():
        print(f"| {name} | {per_call(run) * 1e6:.2f} |")


def main():
    originals = events()
    preflight = Preflight({})
    relay_only = Preflight({"scrub": {"defaults": False, "datascrubbing": LEGACY},
                            "tags": {"on_invalid": "keep"}, "params": {"enabled": False}})
    both = Preflight({"scrub": {"datascrubbing": LEGACY}})
    walk_only = Preflight({"scrub": {"defaults": False}, "tags": {"on_invalid": "keep"},
                           "params": {"enabled": False}})
    # The `_meta` preflight writes for each event, to time building it alone.
    metas = {event["event_id"]: marshal.dumps(preflight.before_send(copy.deepcopy(event), {})["_meta"])
             for event in originals}
    relay_config = convert_datascrubbing_config(LEGACY)
    scrubber = EventScrubber(recursive=True)
    flat_scrubber = EventScrubber()

    runs = {
        "preflight defaults (`before_send`)": lambda event: preflight.before_send(event, {}),
        "preflight, Relay legacy settings only (`scrub.datascrubbing`)": lambda event: relay_only.before_send(event, {}),
        "preflight defaults + Relay legacy settings": lambda event: both.before_send(event, {}),
        "sentry-relay `pii_strip_event`, legacy settings": lambda event: pii_strip_event(relay_config, event),
        "sentry-python `EventScrubber()` (keys only, top levels)": flat_scrubber.scrub_event,
        PEER: scrubber.scrub_event,
        "`json.loads(json.dumps(event))`": lambda event: json.loads(json.dumps(event)),
        "floor: preflight's walk alone (no rules, nothing written)": lambda event: walk_only.before_send(event, {}),
        "floor: building these events' `_meta` alone (`marshal.loads`)":
            lambda event: event.__setitem__("_meta", marshal.loads(metas[event["event_id"]])),
    }
    sizes = sorted(len(json.dumps(event)) for event in originals)
    print(f"{len(originals)} events, median {statistics.median(sizes) / 1024:.1f} KB; median of {ROUNDS} rounds\n")
    costs = per_event(runs, originals)
    print("| Python, per event | µs | × `EventScrubber(recursive=True)` |")
    print("|---|---|---|")
    for name, cost in costs.items():
        print(f"| {name} | {cost * 1e6:.0f} | {cost / costs[PEER]:.2f} |")
    sampling_table()


if __name__ == "__main__":
    main()
