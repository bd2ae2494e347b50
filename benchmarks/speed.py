"""Per-event cost in Python of preflight and its peers, on the same events in one run,
and the per-call cost of a sampling decision against a hand-written traces_sampler.

Two corpora, each table says which: ordinary traffic (samples/corpus/python-*.jsonl, captured
from a FastAPI shop by benchmarks/corpus/capture.py: errors of a few KB with one or two values
to take out, transactions with tens of db and http spans) and the secret-laden samples
(samples/sentry-python-large-events.jsonl: 8 errors of 16-20 KB, about 56 values taken out of
each). Each scrubber gets fresh copies (made outside the timing) and the median of several
rounds (the scrubbers taking turns) is reported. Relay's scrubber is the sentry-relay wheel
(`pii_strip_event`, which parses JSON, normalises and serialises too); preflight runs the same
legacy settings through `scrub.datascrubbing`.

    .venv/bin/python benchmarks/speed.py            # every table
    .venv/bin/python benchmarks/speed.py ordinary   # the ordinary-traffic tables only
"""

import copy
import fnmatch
import json
import marshal
import pathlib
import statistics
import sys
import time

from sentry_relay.processing import convert_datascrubbing_config, pii_strip_event
from sentry_sdk.scrubber import EventScrubber

from sentry_preflight import Preflight, family_names

ROOT = pathlib.Path(__file__).resolve().parents[1]
LEGACY = {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True, "sensitiveFields": [],
          "excludeFields": []}
ROUNDS = 60
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


# The families preflight knew before the one-pass engine (see benches/corpus.rs).
EARLIER_FAMILIES = {
    "pemkey", "urlauth", "secret-pair", "bearer", "jwt", "aws-key", "stripe-key", "github-token", "slack-token",
    "google-api-key", "llm-api-key", "gitlab-token", "npm-token", "creditcard", "iban", "usssn", "email", "ip",
}


def events(name):
    path = ROOT / "samples" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def earlier_families_only():
    """preflight with every family but the earlier ones switched off: what the new families add."""
    off = [f"!@{name}" for name in family_names() if name not in EARLIER_FAMILIES]
    return Preflight({"scrub": {"patterns": off}})


def per_event(runs, originals):
    """Least time per event of each run over the rounds: a shared machine's
    noise only ever adds time. The runs take turns round after round, so
    that a slow spell falls on all of them. Runs next to each other use
    different policies, so each round of a run starts with its memos empty
    and each event finds only what the events before it left, as in a
    process that has just started sending them."""
    timings = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            # A run may bring its own events (the floor rows' pre-scrubbed copies).
            scrub, source = run if isinstance(run, tuple) else (run, originals)
            batch = copy.deepcopy(source)
            start = time.perf_counter()
            for event in batch:
                scrub(event)
            timings[name].append((time.perf_counter() - start) / len(batch))
    return {name: min(times) for name, times in timings.items()}


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


def table(title, originals, runs):
    sizes = sorted(len(json.dumps(event)) for event in originals)
    print(f"\n{title}: {len(originals)} events, median {statistics.median(sizes) / 1024:.1f} KB; "
          f"least of {ROUNDS} rounds\n")
    costs = per_event(runs, originals)
    print("| Python, per event | µs | × `EventScrubber(recursive=True)` |")
    print("|---|---|---|")
    for name, cost in costs.items():
        print(f"| {name} | {cost * 1e6:.1f} | {cost / costs[PEER]:.2f} |")


def ordinary(file, hook_name):
    """The table of one ordinary-traffic corpus."""
    originals = events(f"corpus/{file}")
    preflight, earlier = Preflight({}), earlier_families_only()
    keys_only = Preflight({"scrub": {"patterns": [f"!@{name}" for name in family_names()]},
                           "tags": {"on_invalid": "keep"}, "params": {"enabled": False}})
    walk_only = Preflight({"scrub": {"defaults": False}, "tags": {"on_invalid": "keep"},
                           "params": {"enabled": False}})
    # The span-data rules at no cost at all: the best one walk for scrub and params could do.
    no_span_rules = Preflight({"params": {"enabled": False}})
    hook = lambda pf: getattr(pf, hook_name)
    # The same events once scrubbed: the defaults find nothing left to write.
    scrubbed = [hook(preflight)(event, {}) for event in copy.deepcopy(originals)]
    runs = {
        f"preflight defaults (`{hook_name}`)": lambda event: hook(preflight)(event, {}),
        "preflight, earlier families only": lambda event: hook(earlier)(event, {}),
        "preflight, key rules only (every family off, no tags or span data)": lambda event: hook(keys_only)(event, {}),
        "sentry-python `EventScrubber()` (keys only, top levels)": EventScrubber().scrub_event,
        PEER: EventScrubber(recursive=True).scrub_event,
        "`json.loads(json.dumps(event))`": lambda event: json.loads(json.dumps(event)),
        "floor: preflight defaults on copies already scrubbed (nothing left to write)":
            (lambda event: hook(preflight)(event, {}), scrubbed),
        "floor: preflight defaults with the span-data rules free (`params.enabled: false`)":
            lambda event: hook(no_span_rules)(event, {}),
        "floor: preflight's walk alone (no rules, nothing written)": lambda event: hook(walk_only)(event, {}),
    }
    table(f"Ordinary traffic, `samples/corpus/{file}`", originals, runs)


def secret_laden():
    originals = events("sentry-python-large-events.jsonl")
    preflight, earlier = Preflight({}), earlier_families_only()
    relay_only = Preflight({"scrub": {"defaults": False, "datascrubbing": LEGACY},
                            "tags": {"on_invalid": "keep"}, "params": {"enabled": False}})
    both = Preflight({"scrub": {"datascrubbing": LEGACY}})
    walk_only = Preflight({"scrub": {"defaults": False}, "tags": {"on_invalid": "keep"},
                           "params": {"enabled": False}})
    # The `_meta` preflight writes for each event, to time building it alone.
    metas = {event["event_id"]: marshal.dumps(preflight.before_send(copy.deepcopy(event), {})["_meta"])
             for event in originals}
    relay_config = convert_datascrubbing_config(LEGACY)
    runs = {
        "preflight defaults (`before_send`)": lambda event: preflight.before_send(event, {}),
        "preflight, earlier families only": lambda event: earlier.before_send(event, {}),
        "preflight, Relay legacy settings only (`scrub.datascrubbing`)": lambda event: relay_only.before_send(event, {}),
        "preflight defaults + Relay legacy settings": lambda event: both.before_send(event, {}),
        "sentry-relay `pii_strip_event`, legacy settings": lambda event: pii_strip_event(relay_config, event),
        "sentry-python `EventScrubber()` (keys only, top levels)": EventScrubber().scrub_event,
        PEER: EventScrubber(recursive=True).scrub_event,
        "`json.loads(json.dumps(event))`": lambda event: json.loads(json.dumps(event)),
        "floor: preflight's walk alone (no rules, nothing written)": lambda event: walk_only.before_send(event, {}),
        "floor: building these events' `_meta` alone (`marshal.loads`)":
            lambda event: event.__setitem__("_meta", marshal.loads(metas[event["event_id"]])),
    }
    table("Secret-laden, `samples/sentry-python-large-events.jsonl`", originals, runs)


def main():
    only_ordinary = sys.argv[1:] == ["ordinary"]
    ordinary("python-errors.jsonl", "before_send")
    ordinary("python-transactions.jsonl", "before_send_transaction")
    if not only_ordinary:
        secret_laden()
        sampling_table()


if __name__ == "__main__":
    main()
