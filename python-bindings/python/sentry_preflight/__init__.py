"""preflight for sentry-sdk: scrub secrets before an event leaves the process.

    import sentry_sdk
    from sentry_preflight import PreflightIntegration
    sentry_sdk.init(dsn=..., integrations=[PreflightIntegration("policy.json")])

installs every hook (each after the user's own hook of the same name). The
hooks one by one, for those who wire them by hand:

    pf = sentry_preflight.Preflight("policy.json")   # or a dict, or JSON text
    sentry_sdk.init(dsn=..., before_send=pf.before_send,
                    before_send_transaction=pf.before_send_transaction,
                    before_breadcrumb=pf.before_breadcrumb,
                    before_send_log=pf.before_send_log,
                    before_send_metric=pf.before_send_metric)
    # with trace_lifecycle="stream": before_send_span=pf.before_send_span

All rules live in the Rust core; this package only re-exports its types.
``python -m sentry_preflight check policy.json`` validates policy files.
"""

from typing import Any

from ._native import PolicyError, Preflight, default_policy, family_names

__all__ = ["PolicyError", "Preflight", "PreflightIntegration", "default_policy", "family_names"]


def __getattr__(name: str) -> Any:
    # The integration imports sentry-sdk; the hooks alone do not need it.
    if name == "PreflightIntegration":
        from .integration import PreflightIntegration

        return PreflightIntegration
    raise AttributeError(f"module 'sentry_preflight' has no attribute {name!r}")
