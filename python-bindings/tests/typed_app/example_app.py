"""A small app as a user writes it: `mypy --strict` must accept it (test_typing.py)."""

from typing import Any, Dict, Optional

import sentry_sdk
from sentry_sdk.types import Event, Hint

from sentry_preflight import PolicyError, Preflight, default_policy


def load() -> Preflight:
    policy: Dict[str, Any] = default_policy()
    policy["scrub"]["deny_keys"] = ["national_id"]
    try:
        return Preflight(policy, clock=lambda: 1_800_000_000.0)
    except PolicyError as error:
        raise SystemExit(f"{error.path}: {error.reason}") from error


def main() -> None:
    pf = load()
    sentry_sdk.init(
        dsn=None,
        before_send=pf.before_send,
        before_send_transaction=pf.before_send_transaction,
        before_breadcrumb=pf.before_breadcrumb,
        traces_sampler=pf.traces_sampler,
    )
    decision = pf.decide_trace({"name": "/api/payment", "trace_id": "67e5504410b1426f9247bb680e5fe0c8"})
    sampled: bool = decision["sampled"]
    event: Event = {"message": "hello", "extra": {"national_id": "x"}}
    hint: Hint = {}
    kept: Optional[Event] = pf.before_send(event, hint)
    print(sampled, kept)


if __name__ == "__main__":
    main()
