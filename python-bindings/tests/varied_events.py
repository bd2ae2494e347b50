"""Generated events for the Relay differential test.

Real captures cover what sentry-sdk sends; these cover what Relay's rules
react to: every area of the protocol, pairs in lists and objects, numbers,
booleans, the strings Relay never scrubs, file paths, user IPs that are not
IPs, and non-ASCII letters touching a match. Deterministic: event `n` is the
same on every run.
"""

import random

VALUES = [
    "ada@example.com", "mail ada@example.com now", "from 10.0.0.1", "fe80::1%eth0 up", "::ffff:10.0.0.1",
    "card 4111 1111 1111 1111", "4111111111111111", "iban DE89370400440532013000", "ssn 078-05-1120",
    "Bearer abc.def", "bearer  x", "Authorization: Bearer t0k", "postgres://u:pw@db:5432/x", "https://user@host/",
    "/home/ada/file.txt", "C:\\Users\\ada\\x", "sessionid=abc; theme=dark", "123e4567-e89b-12d3-a456-426614174000",
    "aa:bb:cc:dd:ee:ff", "356938035643809", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
    "password=hunter2", "my token: abc", "", "true", "null", "undefined", "plain text", "naïve café ada@example.com",
    "Grüße 10.0.0.1", "ÄBC4111111111111111", "é078-05-1120é", "日本 ada@example.com", "x\u0000y",
    "line1\nline2 ada@example.com", 12345, 0, -7.5, True, False, None, ["password", "hunter2"], ["a@b.com", "x"],
    {"password": "x", "n": 1}, [["api_key", "k"], ["p", 1]], [[]], {}, [],
]
KEYS = [
    "password", "api_key", "token", "auth", "note", "user", "email", "ip", "x_forwarded_for", "sessionid", "data",
    "Authorization", "Cookie", "safe", "order_ref", "card_token", "a b", "Ünïcode", "0", "REMOTE_ADDR", "otp",
    "two-factor", "my.dotted.key",
]


def _value(rng, depth):
    if depth < 3 and rng.random() < 0.25:
        if rng.random() < 0.5:
            return {rng.choice(KEYS): _value(rng, depth + 1) for _ in range(rng.randint(1, 3))}
        return [_value(rng, depth + 1) for _ in range(rng.randint(1, 3))]
    return rng.choice(VALUES)


def _text(rng):
    value = rng.choice(VALUES)
    return value if isinstance(value, str) else str(value)


def _keyed(rng, count, make):
    return {rng.choice(KEYS): make() for _ in range(count)}


def event(seed):
    rng = random.Random(seed)
    value = lambda: _value(rng, 0)  # noqa: E731
    text = lambda: _text(rng)  # noqa: E731
    return {
        "event_id": f"{seed:032x}",
        "platform": "python",
        "message": text(),
        "server_name": text(),
        "culprit": text(),
        "logentry": {"formatted": text(), "params": [_value(rng, 1), _value(rng, 1)]},
        "extra": _keyed(rng, 4, value),
        "tags": _keyed(rng, 2, text),
        "user": {
            rng.choice(["id", "email", "username", "ip_address", "name"]): text(),
            "ip_address": rng.choice(["10.0.0.1", "::1", "{{auto}}", "not-an-ip"]),
            "data": _keyed(rng, 1, value),
        },
        "request": {
            "url": "https://h/p?" + text(),
            "query_string": [[rng.choice(KEYS), text()] for _ in range(2)],
            "headers": _keyed(rng, 3, text),
            "cookies": _keyed(rng, 1, text),
            "env": {"REMOTE_ADDR": "10.1.1.1", **_keyed(rng, 1, text)},
            "data": value(),
        },
        "exception": {"values": [{
            "type": "E",
            "value": text(),
            "mechanism": {"type": "generic", "data": _keyed(rng, 1, text)},
            "stacktrace": {"frames": [{
                "abs_path": rng.choice(["/home/ada/a.py", "C:\\Users\\ada\\a.py", "a.py"]),
                "filename": "a.py",
                "module": text(),
                "vars": _keyed(rng, 3, value),
            }]},
        }]},
        "breadcrumbs": {"values": [{"message": text(), "category": "c", "data": _keyed(rng, 1, value)}]},
        "contexts": {
            "trace": {"trace_id": "a" * 32, "span_id": "b" * 16, "description": text(),
                      "data": {**_keyed(rng, 1, text), "thread.name": text()}},
            "os": {"name": "Linux", "build": text()},
            "custom": _keyed(rng, 1, value),
            "response": {"headers": _keyed(rng, 1, text)},
        },
        "spans": [{
            "span_id": "c" * 16, "trace_id": "a" * 32, "start_timestamp": 1.0, "timestamp": 2.0,
            "description": text(), "data": {**_keyed(rng, 1, text), "db.system": "postgresql"}, "tags": {"k": text()},
        }],
        "sdk": {"name": "sentry.python", "version": "2", "client_ip": "10.2.2.2"},
    }


def events(count):
    return [event(seed) for seed in range(count)]
