"""preflight for sentry-sdk: scrub secrets before an event leaves the process.

    import sentry_sdk, sentry_preflight
    pf = sentry_preflight.Preflight("policy.json")   # or a dict, or JSON text
    sentry_sdk.init(dsn=..., before_send=pf.before_send,
                    before_send_transaction=pf.before_send_transaction,
                    before_breadcrumb=pf.before_breadcrumb)
    # with trace_lifecycle="stream": before_send_span=pf.before_send_span

All rules live in the Rust core; this package only re-exports its types.
``python -m sentry_preflight check policy.json`` validates policy files.
"""

from ._native import PolicyError, Preflight, default_policy, family_names

__all__ = ["PolicyError", "Preflight", "default_policy", "family_names"]
