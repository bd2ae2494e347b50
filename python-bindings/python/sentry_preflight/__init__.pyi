"""Type declarations for sentry_preflight (the runtime lives in _native)."""

import os
from typing import Any, Callable, Dict, List, Mapping, Optional, TypeVar, Union

from .integration import PreflightIntegration as PreflightIntegration

_Event = TypeVar("_Event", bound=Mapping[str, Any])

PolicySource = Union[Dict[str, Any], str, bytes, "os.PathLike[str]"]

class PolicyError(ValueError):
    """A policy that cannot be loaded."""

    path: str
    """JSON path of the offending member, e.g. ``scrub.deny_keys[2]``; empty for the whole document."""
    reason: str
    """Why it was rejected."""

class Preflight:
    """A loaded policy whose bound methods are sentry-sdk hooks."""

    def __init__(
        self,
        policy: PolicySource,
        *,
        clock: Optional[Callable[[], float]] = None,
        sdk_send_default_pii: Optional[bool] = None,
    ) -> None:
        """Load a policy: a dict, JSON text, or a path to a JSON file.

        ``clock`` returns seconds since the Unix epoch (like ``time.time``, the
        default); ``sampling.budget`` and time-ranged sampling rules read it.
        ``sdk_send_default_pii`` is what the SDK's options say of personal data
        (``data_collection["user_info"]``, else ``send_default_pii``): it sets
        ``scrub.send_default_pii`` where the policy leaves it unset.
        ``PreflightIntegration`` passes it.

        Raises PolicyError for an invalid policy, OSError for an unreadable file.
        """
    def before_send(self, event: _Event, hint: Optional[Dict[str, Any]] = None) -> Optional[_Event]:
        """Filter, sample, scrub and fingerprint an error event in place; returns it, or None to drop it."""
    def before_send_transaction(
        self, event: _Event, hint: Optional[Dict[str, Any]] = None
    ) -> Optional[_Event]:
        """Scrub a transaction event in place; returns it, or None to drop it."""
    def before_send_span(self, span: _Event, hint: Optional[Dict[str, Any]] = None) -> _Event:
        """Scrub a streamed span's attributes in place; spans cannot be dropped."""
    def before_breadcrumb(self, crumb: _Event, hint: Optional[Dict[str, Any]] = None) -> Optional[_Event]:
        """Scrub a breadcrumb in place; returns it, or None to drop it."""
    def before_send_log(self, log: _Event, hint: Optional[Dict[str, Any]] = None) -> Optional[_Event]:
        """Scrub a log's body and attributes in place (a secret passed as a message parameter
        goes from both); returns it, or None to drop it."""
    def before_send_metric(self, metric: _Event, hint: Optional[Dict[str, Any]] = None) -> Optional[_Event]:
        """Scrub a metric's attributes in place; returns it, or None to drop it."""
    def traces_sampler(self, sampling_context: Dict[str, Any]) -> float:
        """sentry-sdk's ``traces_sampler``: the rate the policy's ``sampling`` rules give."""
    def decide_trace(self, context: Dict[str, Any]) -> Dict[str, Any]:
        """The decision: ``{"sampled": bool, "sample_rate": float, "sample_rand": float | None}``."""

def family_names() -> List[str]:
    """The built-in detector families, in priority order: `"!@name"` in `scrub.patterns` switches one off."""
    ...

def default_policy() -> Dict[str, Any]:
    """The default policy with every member written out: a dict to edit and pass to ``Preflight``."""
