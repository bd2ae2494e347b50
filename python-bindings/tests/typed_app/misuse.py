"""Must NOT type-check (test_typing.py checks that mypy rejects it): a policy is never a number."""

from sentry_preflight import Preflight

Preflight(42)
