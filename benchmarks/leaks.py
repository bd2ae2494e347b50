"""Leak benchmark: which planted secrets leave the process, and which innocent values get mangled.

Events are captured with the real sentry-sdk. A secret of every kind is planted in every area an
application leaks through (exception messages, log lines, breadcrumbs, request URL/headers/cookies/
body, extra, contexts, tags, user, frame locals, span descriptions and data, transaction names, and the
logs and trace metrics sent beside events: log bodies, message parameters and attributes, metric
attributes), each secret a unique string so that a leak can be found by searching the output. Innocent values that
look a little like secrets (UUIDs, long ids, timestamps, versions, User-Agents, SKUs) are planted
beside them. Then, in one run, each scrubber processes copies of the same events:

- preflight with its default policy (this repo's wheel),
- sentry-python's EventScrubber as sentry_sdk.init installs it, and its recursive variant,
- Relay's legacy data-scrubbing defaults through the sentry-relay wheel (what the server applies).

Logs and metrics reach each scrubber as the SDK's `before_send_log` / `before_send_metric` would see
them. sentry-python's EventScrubber never sees them (sentry-sdk applies it to events and transactions
only), and the sentry-relay wheel scrubs events only (Relay scrubs logs on the server, after they left
the process): for those two, logs and metrics leave as they came.

    .venv/bin/python benchmarks/leaks.py             # the summary table
    .venv/bin/python benchmarks/leaks.py --by-kind   # plus leaks per kind of secret
    .venv/bin/python benchmarks/leaks.py --by-area   # plus leaks per area
    .venv/bin/python benchmarks/leaks.py --families  # recall and look-alikes per family (benchmarks/families.py)
"""

import argparse
import base64
import copy
import json
import logging
import sys
import uuid
import warnings
import wsgiref.util

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware
from sentry_sdk.scrubber import EventScrubber
from sentry_sdk.transport import Transport

ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def token(seed, length, alphabet=ALPHANUMERIC):
    """A deterministic pseudo-random string, unique per seed."""
    state = (seed * 2654435761 + 97) & 0xFFFFFFFF
    out = []
    for _ in range(length):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(alphabet[state % len(alphabet)])
    return "".join(out)


def luhn_complete(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return digits + str((10 - total % 10) % 10)


def iban(seed):
    account = f"{37040044:08d}{532013000 + seed:010d}"
    numeric = "".join(str(int(c, 36)) for c in account + "DE00")
    check = 98 - int(numeric) % 97
    return f"DE{check:02d}{account}"


def card(n):
    number = luhn_complete(f"4{n:014d}"[-15:])
    return " ".join(number[i : i + 4] for i in range(0, 16, 4)) if n % 2 else number


def jwt(n):
    payload = base64.urlsafe_b64encode(json.dumps({"sub": n, "name": "ada"}).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{payload}.{token(n, 43)}"


# Kinds whose whole text is the secret: the n-th unique value.
WHOLE_SECRETS = {
    "creditcard": card,
    "email": lambda n: f"jane.doe{n}@example.com",
    "ipv4": lambda n: f"203.0.{n // 250}.{n % 250 + 1}",
    "ipv6": lambda n: f"2001:db8:85a3::8a2e:{n:x}:7334",
    "iban": iban,
    "us_ssn": lambda n: f"{101 + n % 600:03d}-{11 + n % 88:02d}-{1001 + n:04d}",
    "jwt": jwt,
    "aws_access_key": lambda n: "AKIA" + token(n, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
    "stripe_key": lambda n: "sk_live_" + token(n, 24),
    "github_token": lambda n: "ghp_" + token(n, 36),
    "slack_token": lambda n: f"xoxb-{1000000000 + n}-{2000000000 + n}-{token(n, 24)}",
    "google_api_key": lambda n: "AIza" + token(n, 35, ALPHANUMERIC + "-_"),
    "openai_api_key": lambda n: "sk-proj-" + token(n, 48, ALPHANUMERIC + "-_"),
}

# Kinds where the secret sits inside useful text: (template, secret length).
EMBEDDED_SECRETS = {
    "bearer": ("Bearer {}", 32),
    "pem_private_key": ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA{}\n-----END RSA PRIVATE KEY-----", 64),
    "url_password": ("postgres://app:{}@db.internal:5432/shop", 14),
    "query_secret": ("https://api.example.com/v1/items?page=3&access_token={}", 20),
    "cookie_pair": ("theme=dark; sessionid={}", 22),
    "key_value_text": ("login failed password={} user=ada", 12),
}


def secret(kind, n):
    """The n-th unique secret of a kind: (the text planted, the part that must not leave)."""
    if kind in WHOLE_SECRETS:
        value = WHOLE_SECRETS[kind](n)
        return value, value
    template, length = EMBEDDED_SECRETS[kind]
    value = token(n, length)
    return template.format(value), value


SECRET_KINDS = [
    "creditcard", "email", "ipv4", "ipv6", "iban", "us_ssn", "bearer", "jwt", "aws_access_key", "stripe_key",
    "github_token", "slack_token", "google_api_key", "openai_api_key", "pem_private_key", "url_password", "query_secret",
    "cookie_pair", "key_value_text",
]

INNOCENTS = {
    "uuid": str(uuid.UUID(int=0x6F9619FF8B86D011B42D00CF4FC964FF)),
    "long_numeric_id": "4111111111111112",
    "microsecond_timestamp": "1732212345123456",
    "version": "2.75.0-rc.1",
    "java_object": "java.lang.Object@4b1c1ea0",
    "user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "sku": "SKU-88-4411-XL",
    "order_code": "ORD-2024-000123",
    "hex_commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
    "semver_path": "/srv/app/releases/1.4.2/bin",
}


class Plantings:
    """Unique secrets, each remembered with the kind and area it was planted in."""

    def __init__(self):
        self.secrets = []  # (kind, area, needle)
        self.innocents = []  # (kind, area, value)
        self.counter = 0

    def secret(self, kind, area):
        self.counter += 1
        text, needle = secret(kind, self.counter)
        self.secrets.append((kind, area, needle))
        return text

    def innocent(self, kind, area):
        value = INNOCENTS[kind]
        self.innocents.append((kind, area, value))
        return value


class RecordingTransport(Transport):
    """Keeps each payload with its channel: ("event", …) for events and transactions; logs and
    metrics are kept by the hooks below as the SDK hands them over, then dropped."""

    def __init__(self, options=None):
        super().__init__(options)
        self.payloads = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction"):
                self.payloads.append(("event", item.payload.json))

    def keeper(self, channel):
        def keep(item, hint):
            self.payloads.append((channel, copy.deepcopy(item)))
            return None

        return keep


def capture(plant):
    transport = RecordingTransport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(
            dsn="http://public@127.0.0.1:9/1",
            transport=transport,
            default_integrations=False,
            integrations=[LoggingIntegration(event_level=logging.ERROR)],
            event_scrubber=EventScrubber(denylist=[], pii_denylist=[]),
            send_default_pii=True,
            include_local_variables=True,
            traces_sample_rate=1.0,
            enable_logs=True,
            before_send_log=transport.keeper("log"),
            before_send_metric=transport.keeper("metric"),
        )
    logger = logging.getLogger("shop.checkout")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    for kind in SECRET_KINDS:
        try:
            raise ValueError(f"charge failed: {plant.secret(kind, 'exception message')}")
        except ValueError:
            sentry_sdk.capture_exception()
        logger.error("upstream said %s", plant.secret(kind, "log params"))
        logger.error(f"upstream said {plant.secret(kind, 'log message')}")
        sentry_sdk.capture_message(f"retrying with {plant.secret(kind, 'message')}")
        with sentry_sdk.start_transaction(op="task", name=f"sync {plant.secret(kind, 'transaction name')}"):
            with sentry_sdk.start_span(op="http.client", name=f"GET {plant.secret(kind, 'span description')}") as span:
                span.set_data("note", plant.secret(kind, "span data"))

    for kind in SECRET_KINDS:
        sentry_sdk.logger.warning(f"upstream said {plant.secret(kind, 'log body')}")
        sentry_sdk.logger.warning("upstream said {note}", note=plant.secret(kind, "log parameters"))
        sentry_sdk.logger.info("retrying", attributes={"note": plant.secret(kind, "log attributes")})
        sentry_sdk.metrics.count("checkout.retry", 1, attributes={"note": plant.secret(kind, "metric attributes")})

    # sentry-sdk trims each dict to 10 members, so every kind gets its own scope and event.
    for kind in SECRET_KINDS:
        with sentry_sdk.new_scope() as scope:
            sentry_sdk.add_breadcrumb(category="http", message=f"called {plant.secret(kind, 'breadcrumb message')}",
                                      data={"note": plant.secret(kind, "breadcrumb data")})
            scope.set_extra("note", f"saw {plant.secret(kind, 'extra')}")
            scope.set_tag("note", plant.secret(kind, "tags")[:200])
            scope.set_context("order", {"note": plant.secret(kind, "contexts")})
            scope.set_user({"id": "42", "data": {"note": plant.secret(kind, "user")}})
            failing_frame(plant.secret(kind, "frame vars"))
    innocent_kinds = list(INNOCENTS)
    for batch in (innocent_kinds[:5], innocent_kinds[5:]):
        with sentry_sdk.new_scope() as scope:
            for kind in batch:
                scope.set_extra(f"value_{kind}", plant.innocent(kind, "extra"))
                scope.set_tag(f"value_{kind}", plant.innocent(kind, "tags"))
            scope.set_extra("token_count", 1234)
            plant.innocents.append(("token_count", "extra", '"token_count": 1234'))
            sentry_sdk.capture_message("innocent values")

    for kind in SECRET_KINDS:
        failing_request(plant, kind)
    sentry_sdk.flush()
    sentry_sdk.get_client().close()
    return transport.payloads


def failing_frame(note):
    try:
        raise RuntimeError(f"lookup failed ({len(note)})")
    except RuntimeError:
        sentry_sdk.capture_exception()


def failing_request(plant, kind):
    body = f"comment={plant.secret(kind, 'request body')}"

    def app(environ, start_response):
        sentry_sdk.get_current_scope().add_event_processor(
            lambda event, hint: {**event, "request": {**event.get("request", {}), "data": body}}
        )
        raise KeyError("cart")

    environ = {}
    wsgiref.util.setup_testing_defaults(environ)
    environ.update(
        {
            "PATH_INFO": "/checkout",
            "QUERY_STRING": f"q={plant.secret(kind, 'request query').replace(' ', '+')}",
            "HTTP_X_DEBUG_NOTE": plant.secret(kind, "request headers"),
            "HTTP_COOKIE": f"note={plant.secret(kind, 'request cookies').replace(';', ',')}",
            "HTTP_USER_AGENT": plant.innocent("user_agent", "request headers"),
        }
    )
    try:
        SentryWsgiMiddleware(app)(environ, lambda status, headers: None)
    except KeyError:
        pass


LEGACY_DEFAULTS = {"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True, "sensitiveFields": [],
                   "excludeFields": []}


def preflight_scrubber(policy=None):
    from sentry_preflight import Preflight

    pf = Preflight(policy or {})
    hooks = {"log": pf.before_send_log, "metric": pf.before_send_metric}

    def scrub(channel, event):
        hook = hooks.get(channel)
        if hook is None:
            hook = pf.before_send_transaction if event.get("type") == "transaction" else pf.before_send
        return hook(event, {})

    return scrub


def event_scrubber(recursive):
    from sentry_sdk.serializer import serialize

    scrubber = EventScrubber(recursive=recursive)

    def scrub(channel, event):
        if channel != "event":
            return event
        # As in sentry-sdk: the scrubber runs, then the serializer resolves its annotations.
        scrubber.scrub_event(event)
        return serialize(event)

    return scrub


def relay_legacy_scrubber():
    from sentry_relay.processing import convert_datascrubbing_config, pii_strip_event

    config = convert_datascrubbing_config(LEGACY_DEFAULTS)
    return lambda channel, event: pii_strip_event(config, event) if channel == "event" else event


def measure(scrub, events, plant):
    outputs = []
    for channel, event in events:
        result = scrub(channel, copy.deepcopy(event))
        outputs.append(json.dumps(result, ensure_ascii=False) if result is not None else "")
    text = "\n".join(outputs)
    leaked = [(kind, area) for kind, area, needle in plant.secrets if needle in text]
    altered = [(kind, area) for kind, area, value in plant.innocents if value not in text]
    return leaked, altered


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--by-kind", action="store_true", help="also list leaks per kind of secret")
    parser.add_argument("--by-area", action="store_true", help="also list leaks per area")
    parser.add_argument("--families", action="store_true", help="then every family's recall and look-alikes")
    args = parser.parse_args()

    plant = Plantings()
    events = capture(plant)
    raw = "\n".join(json.dumps(event, ensure_ascii=False) for _, event in events)
    missing = [(kind, area) for kind, area, needle in plant.secrets if needle not in raw]
    if missing:
        sys.exit(f"planting failed: sentry-sdk did not capture {missing[:5]} …")

    scrubbers = {
        "preflight defaults": preflight_scrubber(),
        "sentry-python EventScrubber": event_scrubber(recursive=False),
        "sentry-python EventScrubber(recursive=True)": event_scrubber(recursive=True),
        "Relay legacy defaults": relay_legacy_scrubber(),
        "preflight, Relay legacy defaults only": preflight_scrubber(
            {"scrub": {"defaults": False, "datascrubbing": LEGACY_DEFAULTS},
             "tags": {"on_invalid": "keep"}, "params": {"enabled": False}}),
        "preflight defaults + Relay legacy defaults": preflight_scrubber({"scrub": {"datascrubbing": LEGACY_DEFAULTS}}),
    }
    results = {name: measure(scrub, events, plant) for name, scrub in scrubbers.items()}

    secrets, innocents = len(plant.secrets), len(plant.innocents)
    print(f"{len(events)} events, logs and metrics from sentry-sdk {sentry_sdk.VERSION}; {secrets} secrets of {len(SECRET_KINDS)} kinds "
          f"in {len({area for _, area, _ in plant.secrets})} areas; {innocents} innocent values\n")
    print("| scrubber | secrets leaked | innocent values altered |")
    print("|---|---|---|")
    for name, (leaked, altered) in results.items():
        print(f"| {name} | {len(leaked)} / {secrets} ({100 * len(leaked) / secrets:.0f} %) "
              f"| {len(altered)} / {innocents} ({100 * len(altered) / innocents:.0f} %) |")
    if args.by_kind:
        print("\n| kind | " + " | ".join(results) + " |")
        print("|---|" + "---|" * len(results))
        per_kind = sum(1 for kind, _, _ in plant.secrets if kind == SECRET_KINDS[0])
        for kind in SECRET_KINDS:
            counts = [sum(1 for leaked_kind, _ in leaked if leaked_kind == kind) for leaked, _ in results.values()]
            print(f"| {kind} | " + " | ".join(f"{count} / {per_kind}" for count in counts) + " |")
    if args.by_area:
        areas = list(dict.fromkeys(area for _, area, _ in plant.secrets))
        print("\n| area | " + " | ".join(results) + " |")
        print("|---|" + "---|" * len(results))
        for area in areas:
            planted = sum(1 for _, planted_area, _ in plant.secrets if planted_area == area)
            counts = [sum(1 for _, leaked_area in leaked if leaked_area == area) for leaked, _ in results.values()]
            print(f"| {area} | " + " | ".join(f"{count} / {planted}" for count in counts) + " |")
    if args.families:
        sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
        import families

        print()
        if not families.print_table():
            sys.exit("a family is under 95 % recall or more than 1 % of the look-alikes were altered")


if __name__ == "__main__":
    main()
