"""``PreflightIntegration``: every preflight hook, installed by ``sentry_sdk.init(integrations=[...])``.

Preflight must run after the user's own hooks, on what they return: what a
user's ``before_send`` adds is scrubbed, and an event it drops stays dropped.
sentry-sdk's usual ways in do not give that: event processors run before
``before_send``, and ``setup_once_with_options`` is called once per process,
for the first client only, while tests, forked workers and reconfiguring apps
call ``sentry_sdk.init`` again. So the integration wraps the hook options of
each client that lists it: the first client's from ``setup_once_with_options``,
every later client's from a wrapper around the ``setup_integrations`` that each
client calls with its options. Installing twice into one client's options is
a no-op.

What the SDK says of personal data (``data_collection["user_info"]``, which
sentry-sdk derives from ``send_default_pii`` when ``data_collection`` is not
given) sets ``scrub.send_default_pii`` unless the policy does.
"""

from typing import Any, Callable, Dict, Optional

import sentry_sdk.client
from sentry_sdk.integrations import Integration
from sentry_sdk.utils import logger

from ._native import Preflight

_Hook = Callable[[Any, Any], Any]

# Marks a hook this module composed, so that a client is never wrapped twice.
_COMPOSED = "__preflight_composed__"

# sentry-sdk option → the Preflight method that follows the user's hook of
# that name. `before_send_log` and `before_send_metric` may also be given
# under `_experiments` (older sentry-sdk releases read them there).
_HOOKS = {
    "before_send": "before_send",
    "before_send_transaction": "before_send_transaction",
    "before_breadcrumb": "before_breadcrumb",
    "before_send_log": "before_send_log",
    "before_send_metric": "before_send_metric",
}
_EXPERIMENTAL = ("before_send_log", "before_send_metric")


class PreflightIntegration(Integration):
    """Every preflight hook at once: ``sentry_sdk.init(integrations=[PreflightIntegration(policy)])``.

    The policy is loaded (and a bad one rejected) here, before ``init``.
    ``.preflight`` is the ``Preflight`` in effect for the latest client, for
    ``traces_sampler=integration.preflight.traces_sampler`` (a sampler is not
    installed by the integration: sentry-sdk reads its presence as "tracing on").
    """

    identifier = "preflight"

    def __init__(self, policy: Any = None, *, clock: Optional[Callable[[], float]] = None) -> None:
        self._policy = {} if policy is None else policy
        self._clock = clock
        self.preflight = Preflight(self._policy, clock=clock)

    @staticmethod
    def setup_once() -> None:
        _follow_every_client()

    def setup_once_with_options(self, options: Optional[Dict[str, Any]] = None) -> None:
        if options is not None:
            self._install(options)

    def _install(self, options: Dict[str, Any]) -> None:
        pii = _sdk_send_default_pii(options)
        if pii:
            # Only a True changes what a silent policy means (its default is False).
            self.preflight = Preflight(self._policy, clock=self._clock, sdk_send_default_pii=pii)
        pf = self.preflight
        experiments = options.get("_experiments") or {}
        for option, method in _HOOKS.items():
            user = options.get(option)
            if user is None and option in _EXPERIMENTAL:
                user = experiments.get(option)
            if getattr(user, _COMPOSED, False):
                continue
            options[option] = _after_users(user, getattr(pf, method))
        if not getattr(options.get("before_send_span"), _COMPOSED, False):
            options["before_send_span"] = _span_after_users(options.get("before_send_span"), pf.before_send_span)


def _sdk_send_default_pii(options: Dict[str, Any]) -> Optional[bool]:
    collection = options.get("data_collection")
    if isinstance(collection, dict) and "user_info" in collection:
        return bool(collection["user_info"])
    pii = options.get("send_default_pii")
    return None if pii is None else bool(pii)


def _after_users(user: Optional[_Hook], own: _Hook) -> _Hook:
    """``own`` on what ``user`` returns; None from either drops. A user hook
    that raises is left to sentry-sdk, which drops the item then."""
    if user is None:
        composed = own
    else:

        def composed(item: Any, hint: Any) -> Any:
            result = user(item, hint)
            return None if result is None else own(result, hint)

    def marked(item: Any, hint: Any) -> Any:
        return composed(item, hint)

    setattr(marked, _COMPOSED, True)
    return marked


def _span_after_users(user: Optional[_Hook], own: _Hook) -> _Hook:
    """A streamed span cannot be dropped, and sentry-sdk sends the span as it
    was when its hook raises or returns something else than a span: so the
    user's hook never decides that the span skips preflight."""

    def composed(span: Any, hint: Any) -> Any:
        result = span
        if user is not None:
            try:
                answered = user(span, hint)
            except Exception:  # the SDK would send the span unscrubbed
                logger.exception("before_send_span raised; preflight scrubs the span as it was given")
            else:
                if isinstance(answered, dict) and "name" in answered:
                    result = answered
        return own(result, hint)

    setattr(composed, _COMPOSED, True)
    return composed


def _follow_every_client() -> None:
    """Wraps ``sentry_sdk.client.setup_integrations`` (what each client calls
    with its options) so that every later client listing the integration is
    installed into as the first one was."""
    original = sentry_sdk.client.setup_integrations
    if getattr(original, _COMPOSED, False):
        return

    def setup_integrations(*args: Any, **kwargs: Any) -> Any:
        integrations = original(*args, **kwargs)
        options = kwargs.get("options")
        integration = integrations.get(PreflightIntegration.identifier)
        if isinstance(integration, PreflightIntegration) and options is not None:
            integration._install(options)
        return integrations

    setattr(setup_integrations, _COMPOSED, True)
    sentry_sdk.client.setup_integrations = setup_integrations
