"""Per-family quality: every built-in family's true examples, and look-alikes that must survive.

True examples come from the published formats, not from preflight's own table: token formats
are generated from the regexes of gitleaks' default rules (config/gitleaks.toml, the secret
group of each rule with a distinctive prefix or shape), personal data from the standards that
define it (ISO/IEC 7812 card ranges with Luhn, ISO 13616 IBANs with mod-97, SSA's SSN and ITIN
ranges, GSMA IMEIs, E.164 and national phone layouts, IEEE MACs, base58check and bech32
Bitcoin addresses, RFC 5952 IPv6 forms). Each example is planted in events captured with the
real sentry-sdk (an exception message, a log line and its breadcrumb, an extra value, a frame
local), and a family's recall is the share of plantings whose secret part does not leave.
Look-alikes (ids, hashes, versions, timestamps, prices, order numbers, base64 of innocent data,
near misses of each family) are planted the same way; none may be altered.

    .venv/bin/python benchmarks/families.py                 # the table: preflight, EventScrubber, Relay
    .venv/bin/python benchmarks/families.py --write-vectors # tests/vectors/family-*.json (one true
                                                            # example and one look-alike per family)
"""

import argparse
import base64
import copy
import hashlib
import json
import logging
import pathlib
import random
import re
import string
import sys
import warnings
from re import _parser as sre_parse  # the stdlib's regex parser, to generate matching text

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.scrubber import EventScrubber

from leaks import RecordingTransport  # the same capture as the leak benchmark's

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = 20
SEED = 17

# ---------------------------------------------------------------------------------------------
# Text from a regex: a random string each call, for the secret groups of gitleaks' rules.


def from_regex(pattern, rng):
    # Go's RE2 takes `(?i)` anywhere, meaning from there on; Python wants a group.
    at = pattern.find("(?i)")
    if at > 0:
        pattern = pattern[:at] + "(?i:" + pattern[at + 4:] + ")"
    parsed = sre_parse.parse(pattern)
    out = []
    _emit(parsed, rng, out, ignore_case=bool(parsed.state.flags & re.IGNORECASE))
    return "".join(out)


def _class_members(items, ignore_case):
    members, negate = [], False
    for op, av in items:
        if op is sre_parse.NEGATE:
            negate = True
        elif op is sre_parse.LITERAL:
            members.append(chr(av))
        elif op is sre_parse.RANGE:
            members.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre_parse.CATEGORY:
            members.extend(_category(av))
    if negate:
        members = [c for c in string.ascii_letters + string.digits + "-_" if c not in members]
    if ignore_case:
        members = sorted(set(members + [c.swapcase() for c in members if c.isalpha()]))
    return members


def _category(category):
    name = str(category)
    if "DIGIT" in name:
        return list(string.digits)
    if "WORD" in name:
        return list(string.ascii_letters + string.digits + "_")
    if "SPACE" in name:
        return [" "]
    return list(string.ascii_letters)


def _emit(parsed, rng, out, ignore_case):
    for op, av in parsed:
        if op is sre_parse.LITERAL:
            out.append(chr(av))
        elif op is sre_parse.NOT_LITERAL:
            out.append(rng.choice([c for c in string.ascii_letters if ord(c) != av]))
        elif op is sre_parse.IN:
            out.append(rng.choice(_class_members(av, ignore_case)))
        elif op is sre_parse.ANY:
            out.append(rng.choice(string.ascii_letters))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            low, high, item = av
            high = low + 24 if high == sre_parse.MAXREPEAT else high
            for _ in range(rng.randint(low, min(high, low + 24))):
                _emit(item, rng, out, ignore_case)
        elif op is sre_parse.SUBPATTERN:
            _group, add_flags, del_flags, pattern = av
            case = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            _emit(pattern, rng, out, case)
        elif op is sre_parse.BRANCH:
            _emit(rng.choice(av[1]), rng, out, ignore_case)
        elif op is sre_parse.CATEGORY:
            out.append(rng.choice(_category(av)))
        elif op in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            pass
        else:
            raise ValueError(f"cannot generate {op}")


# ---------------------------------------------------------------------------------------------
# Personal data from the standards that define it.


def luhn_digit(body):
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit)
        if position % 2 == 0:
            value = value * 2 - 9 if value * 2 > 9 else value * 2
        total += value
    return str((10 - total % 10) % 10)


def card(rng, prefix, length, layout):
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    if layout == "plain":
        return number
    separator = " " if layout == "spaced" else "-"
    # How each length is printed on cards and receipts.
    groups = {12: [4, 4, 4], 13: [4, 3, 3, 3], 14: [4, 6, 4], 15: [4, 6, 5], 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3]}[length]
    parts, at = [], 0
    for size in groups:
        parts.append(number[at:at + size])
        at += size
    return separator.join(parts)


CARD_NETWORKS = [  # (name, prefix, length) from the networks' published IIN ranges
    ("Visa", "4", 16), ("Visa", "4", 13), ("Mastercard", "51", 16), ("Mastercard 2-series", "2221", 16),
    ("American Express", "34", 15), ("American Express", "37", 15), ("Discover", "6011", 16),
    ("Discover", "65", 16), ("Diners Club", "300", 14), ("Diners Club", "36", 14), ("JCB", "3528", 16),
    ("UnionPay", "62", 16), ("UnionPay", "62", 19), ("Maestro", "6759", 16), ("Maestro", "50", 12),
    ("Dankort", "5019", 16), ("UATP", "1", 15), ("Mir", "2200", 16), ("RuPay", "60", 16), ("Troy", "9792", 16),
]


def iban(rng, country, bban_shape, layout):
    bban = "".join(rng.choice(string.digits if c == "n" else string.ascii_uppercase) for c in bban_shape)
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    text = f"{country}{check:02d}{bban}"
    if layout == "plain":
        return text
    separator = " " if layout == "spaced" else "-"
    return separator.join(text[i:i + 4] for i in range(0, len(text), 4))


IBAN_SHAPES = {"DE": "n" * 18, "GB": "aaaa" + "n" * 14, "FR": "n" * 23, "NL": "aaaa" + "n" * 10,
               "ES": "n" * 20, "IT": "a" + "n" * 22, "CH": "n" * 17, "PL": "n" * 24}


BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = BASE58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_address(program, version=0):
    def polymod(values):
        generators = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
        checksum = 1
        for value in values:
            top = checksum >> 25
            checksum = (checksum & 0x1FFFFFF) << 5 ^ value
            for bit in range(5):
                checksum ^= generators[bit] if (top >> bit) & 1 else 0
        return checksum

    bits, accumulator, data = 0, 0, [version]
    for byte in program:
        accumulator = accumulator << 8 | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append(accumulator >> bits & 31)
    if bits:
        data.append(accumulator << (5 - bits) & 31)
    hrp = [ord(c) >> 5 for c in "bc"] + [0] + [ord(c) & 31 for c in "bc"]
    constant = 1 if version == 0 else 0x2BC830A3
    value = polymod(hrp + data + [0] * 6) ^ constant
    checksum = [(value >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(BECH32[d] for d in data + checksum)


def phone(rng, layout):
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))
    area, exchange = str(rng.randint(201, 989)), str(rng.randint(201, 989))
    return {
        "e164-us": f"+1{area}{exchange}{digits(4)}",
        "spaced-us": f"+1 {area} {exchange} {digits(4)}",
        "e164-de": f"+49{rng.randint(30, 89)}{digits(7)}",
        "uk-international": f"+44 20 {rng.randint(7000, 8999)} {digits(4)}",
        "uk-trunk-international": f"+44 (0)20 {rng.randint(7000, 8999)} {digits(4)}",
        "nanp-parentheses": f"({area}) {exchange}-{digits(4)}",
        "nanp-dashes": f"{area}-{exchange}-{digits(4)}",
        "nanp-dots": f"{area}.{exchange}.{digits(4)}",
        "uk-national": f"020 {rng.randint(7000, 8999)} {digits(4)}",
        "fr-national": "0" + str(rng.randint(1, 7)) + "".join(f" {digits(2)}" for _ in range(4)),
        "de-national": f"030 {digits(7)}",
    }[layout]


def imei(rng, layout):
    body = rng.choice(["35", "86", "01", "49", "99"]) + "".join(rng.choice(string.digits) for _ in range(12))
    number = body + luhn_digit(body)
    return number if layout == "plain" else f"{number[:2]}-{number[2:8]}-{number[8:14]}-{number[14]}"


def ipv6(rng, form):
    groups = [f"{rng.randint(1, 0xFFFF):x}" for _ in range(8)]
    return {
        "full": ":".join(groups),
        "compressed": f"2001:db8:{groups[2]}::{groups[6]}:{groups[7]}",
        "embedded-ipv4": f"::ffff:{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "prefix-and-ipv4": f"2001:db8:{groups[2]}::{groups[4]}:192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "zone": f"fe80::{groups[6]}:{groups[7]}%eth0",
    }[form]


# ---------------------------------------------------------------------------------------------
# The families: how to make a true example (the planted text and its secret part).


def regex_family(*patterns):
    return lambda rng, n: (lambda text: (text, text))(from_regex(patterns[n % len(patterns)], rng))


def keep_prefix(prefix_pattern, body_pattern):
    def make(rng, n):
        prefix, body = from_regex(prefix_pattern, rng), from_regex(body_pattern, rng)
        return prefix + body, body
    return make


def around(template, secret_maker):
    """A secret inside surrounding text that stays: `template` has one `{}`."""
    def make(rng, n):
        secret = secret_maker(rng, n)
        return template.format(secret), secret
    return make


def rand(alphabet, length):
    return lambda rng, n: "".join(rng.choice(alphabet) for _ in range(length))


ALNUM = string.ascii_letters + string.digits

FAMILIES = {
    "pemkey": lambda rng, n: (lambda body: (
        f"-----BEGIN {['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'EC PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'][n % 5]}-----\n{body}\n"
        f"-----END {['RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'EC PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'][n % 5]}-----",
        f"\n{body}\n"))(base64.b64encode(rng.randbytes(96)).decode()),
    "urlauth": around("postgres://app:{}@db.internal:5432/shop", rand(ALNUM + "!$", 14)),
    "kubernetes-secret": lambda rng, n: (lambda value: (
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  tls.key: {value}\ntype: Opaque\n", value))(
        base64.b64encode(rng.randbytes(24)).decode()),
    "nuget-password": around('<add key="ClearTextPassword" value="{}" />', rand(ALNUM + "!#", 16)),
    "curl-auth": around("curl -sS -u {} https://api.example.com/v1/items", lambda rng, n: f"ci:{rand(ALNUM, 20)(rng, n)}"),
    "secret-pair": lambda rng, n: (lambda value: ([
        f"nonMatchingToken := \"{value}\"", f"'password' => '{value}'", f"export API_TOKEN={value}",
        f"System.setProperty(\"X_TOKEN\", \"{value}\")", f"<password>{value}</password>", f"--password {value} --verbose",
        f"client_secret: {value}", f"var apiToken string = \"{value}\"",
    ][n % 8], value))(rand(ALNUM, 18)(rng, n)),
    "bearer": around("upstream said: Bearer {} expired", rand(ALNUM + "-._~+/", 40)),
    "jwt": lambda rng, n: (lambda jwt: (jwt if n % 2 else base64.b64encode(jwt.encode()).decode(),
                                        jwt if n % 2 else base64.b64encode(jwt.encode()).decode()))(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + base64.urlsafe_b64encode(
            json.dumps({"sub": str(n), "name": "ada"}).encode()).decode().rstrip("=") + "." + rand(ALNUM + "-_", 43)(rng, n)),
    "aws-key": regex_family(r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", r"ABSK[A-Za-z0-9+/]{109,120}"),
    "stripe-key": regex_family(r"(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}"),
    "github-token": regex_family(r"ghp_[0-9a-zA-Z]{36}", r"gho_[0-9a-zA-Z]{36}", r"(?:ghu|ghs)_[0-9a-zA-Z]{36}",
                                 r"ghr_[0-9a-zA-Z]{36}", r"github_pat_\w{82}"),
    "slack-token": regex_family(r"xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*", r"xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}",
                                r"xox[os]-\d+-\d+-\d+-[a-fA-F\d]+", r"xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48}",
                                # gitleaks' `xoxe.xox[bp]` means the literal dot of the published format.
                                r"xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", r"xoxe\.xox[bp]-\d-[A-Z0-9]{163,166}",
                                r"xoxe-\d-[A-Z0-9]{146}", r"xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}"),
    "slack-webhook": keep_prefix(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/", r"[A-Za-z0-9+/]{43,56}"),
    "google-api-key": regex_family(r"AIza[\w-]{35}"),
    "llm-api-key": regex_family(r"sk-ant-api03-[a-zA-Z0-9_\-]{93}AA", r"sk-ant-admin01-[a-zA-Z0-9_\-]{93}AA",
                                r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}",
                                r"sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}", r"pplx-[a-zA-Z0-9]{48}"),
    "gitlab-token": regex_family(r"glpat-[\w-]{20}", r"glpat-[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}",
                                 r"glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}", r"gldt-[0-9a-zA-Z_\-]{20}",
                                 r"glffct-[0-9a-zA-Z_\-]{20}", r"glft-[0-9a-zA-Z_\-]{20}", r"glimt-[0-9a-zA-Z_\-]{25}",
                                 r"glagent-[0-9a-zA-Z_\-]{50}", r"gloas-[0-9a-zA-Z_\-]{64}", r"glptt-[0-9a-f]{40}",
                                 r"GR1348941[\w-]{20}", r"glrt-[0-9a-zA-Z_\-]{20}",
                                 r"glrt-t\d_[0-9a-zA-Z_\-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}", r"glsoat-[0-9a-zA-Z_\-]{20}"),
    "npm-token": regex_family(r"npm_[a-z0-9]{36}"),
    "1password-key": regex_family(r"A3-[A-Z0-9]{6}-(?:(?:[A-Z0-9]{11})|(?:[A-Z0-9]{6}-[A-Z0-9]{5}))-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
                                  r"ops_eyJ[a-zA-Z0-9+/]{250,260}={0,3}"),
    "adobe-secret": regex_family(r"p8e-(?i)[a-z0-9]{32}"),
    "age-key": regex_family(r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
    "airtable-token": regex_family(r"pat[a-zA-Z0-9]{14}\.[a-f0-9]{64}"),
    "alibaba-key": regex_family(r"LTAI(?i)[a-z0-9]{20}"),
    "artifactory-token": regex_family(r"AKCp[A-Za-z0-9]{69}", r"cmVmd[A-Za-z0-9]{59}"),
    "atlassian-token": regex_family(r"ATATT3[A-Za-z0-9_\-=]{186}"),
    "authress-key": regex_family(r"(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120}"),
    "azure-secret": regex_family(r"[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}"),
    "azure-storage-key": keep_prefix(r"DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=", r"[A-Za-z0-9+/]{86}=="),
    "brevo-key": regex_family(r"xkeysib-[a-f0-9]{64}\-(?i)[a-z0-9]{16}"),
    "clickhouse-key": regex_family(r"4b1d[A-Za-z0-9]{38}"),
    "clojars-token": regex_family(r"(?i)CLOJARS_[a-z0-9]{60}"),
    "cloudflare-key": regex_family(r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}"),
    "databricks-token": regex_family(r"dapi[a-f0-9]{32}(?:-\d)?"),
    "defined-networking-key": regex_family(r"dnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52}"),
    "digitalocean-token": regex_family(r"doo_v1_[a-f0-9]{64}", r"dop_v1_[a-f0-9]{64}", r"dor_v1_[a-f0-9]{64}"),
    "discord-token": lambda rng, n: (lambda token: (token, token))(
        base64.b64encode(str(rng.randint(10**17, 10**18)).encode()).decode().rstrip("=") + "."
        + rand(ALNUM + "-_", 6)(rng, n) + "." + rand(ALNUM + "-_", 27)(rng, n)),
    "discord-webhook": keep_prefix(r"https://discord\.com/api/webhooks/", r"[0-9]{18}/[\w-]{68}"),
    "doppler-token": regex_family(r"dp\.pt\.(?i)[a-z0-9]{43}"),
    "dropbox-token": regex_family(r"sl\.[a-z0-9\-=_]{135}"),
    "duffel-token": regex_family(r"duffel_(?:test|live)_(?i)[a-z0-9_\-=]{43}"),
    "dynatrace-token": regex_family(r"dt0c01\.(?i)[a-z0-9]{24}\.[a-z0-9]{64}"),
    "easypost-key": regex_family(r"EZAK(?i)[a-z0-9]{54}", r"EZTK(?i)[a-z0-9]{54}"),
    "facebook-token": regex_family(r"EAA[MC](?i)[a-z0-9]{100,120}", r"\d{15,16}\|[0-9a-z\-_]{27,40}"),
    "flutterwave-key": regex_family(r"FLWSECK_TEST-(?i)[a-h0-9]{12}", r"FLWPUBK_TEST-(?i)[a-h0-9]{32}-X",
                                    r"FLWSECK_TEST-(?i)[a-h0-9]{32}-X"),
    "flyio-token": regex_family(r"fo1_[\w-]{43}", r"fm1[ar]_[a-zA-Z0-9+/]{100,110}={0,3}", r"fm2_[a-zA-Z0-9+/]{100,110}={0,3}"),
    "frameio-token": regex_family(r"fio-u-(?i)[a-z0-9\-_=]{64}"),
    "grafana-token": regex_family(r"eyJrIjoi[A-Za-z0-9]{70,90}={0,3}", r"glc_[A-Za-z0-9+/]{32,80}={0,3}",
                                  r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    "harness-key": regex_family(r"(?:pat|sat)\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20}"),
    "heroku-key": regex_family(r"HRKU-AA[0-9a-zA-Z_-]{58}"),
    "huggingface-token": regex_family(r"hf_(?i:[a-z]{34})", r"api_org_(?i:[a-z]{34})"),
    "infracost-token": regex_family(r"ico-[a-zA-Z0-9]{32}"),
    "intra42-secret": regex_family(r"s-s4t2(?:ud|af)-(?i)[abcdef0123456789]{64}"),
    "linear-key": regex_family(r"lin_api_(?i)[a-z0-9]{40}"),
    "mailchimp-key": regex_family(r"[a-f0-9]{32}-us\d\d"),
    "mailgun-key": regex_family(r"key-[a-f0-9]{32}", r"pubkey-[a-f0-9]{32}"),
    "mapbox-token": regex_family(r"pk\.eyJ[a-zA-Z0-9]{57}\.[a-zA-Z0-9]{22}", r"sk\.eyJ[a-zA-Z0-9]{57}\.[a-zA-Z0-9]{22}"),
    "maxmind-key": regex_family(r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk"),
    "new-relic-key": regex_family(r"NRJS-[a-f0-9]{19}", r"NRII-[a-z0-9-]{32}", r"NRAK-[A-Z0-9]{27}"),
    "notion-token": regex_family(r"ntn_[0-9]{11}[A-Za-z0-9]{32}[A-Za-z0-9]{3}"),
    "octopus-key": regex_family(r"API-[A-Z0-9]{26}"),
    "openshift-token": regex_family(r"sha256~[\w-]{43}"),
    "planetscale-token": regex_family(r"pscale_tkn_(?i)[\w=\.-]{32,64}", r"pscale_oauth_[\w=\.-]{32,64}", r"pscale_pw_(?i)[\w=\.-]{32,64}"),
    "plaid-token": regex_family(r"access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    "postman-key": regex_family(r"PMAK-(?i)[a-f0-9]{24}\-[a-f0-9]{34}"),
    "prefect-key": regex_family(r"pnu_[a-zA-Z0-9]{36}"),
    "pulumi-token": regex_family(r"pul-[a-f0-9]{40}"),
    "pypi-token": regex_family(r"pypi-AgEIcHlwaS5vcmc[\w-]{50,120}"),
    "readme-key": regex_family(r"rdme_[a-z0-9]{70}"),
    "rubygems-key": regex_family(r"rubygems_[a-f0-9]{48}"),
    "scalingo-token": regex_family(r"tk-us-[\w-]{48}"),
    "sendgrid-key": regex_family(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
    "sentry-token": regex_family(r"sntrys_eyJpYXQiO[a-zA-Z0-9+/]{10,40}LCJyZWdpb25fdXJs[a-zA-Z0-9+/]{10,40}_[a-zA-Z0-9+/]{43}",
                                 r"sntryu_[a-f0-9]{64}"),
    "settlemint-token": regex_family(r"sm_aat_[a-zA-Z0-9]{16}", r"sm_pat_[a-zA-Z0-9]{16}", r"sm_sat_[a-zA-Z0-9]{16}"),
    "shippo-token": regex_family(r"shippo_(?:live|test)_[a-fA-F0-9]{40}"),
    "shopify-token": regex_family(r"shpat_[a-fA-F0-9]{32}", r"shpca_[a-fA-F0-9]{32}", r"shppa_[a-fA-F0-9]{32}", r"shpss_[a-fA-F0-9]{32}"),
    "sonar-token": regex_family(r"(?:squ_|sqp_|sqa_)[a-f0-9]{40}"),
    "sourcegraph-token": regex_family(r"sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}", r"sgp_[a-fA-F0-9]{40}"),
    "square-token": regex_family(r"(?:EAAA|sq0atp-)[\w-]{22,60}"),
    "teams-webhook": keep_prefix(r"https://[a-z0-9]{6}\.webhook\.office\.com/webhookb2/",
                                 r"[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}"
                                 r"/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}"),
    "telegram-token": regex_family(r"[0-9]{8,10}:A[a-zA-Z0-9_\-]{34}"),
    "terraform-token": regex_family(r"[a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70}"),
    "twilio-key": regex_family(r"SK[0-9a-fA-F]{32}"),
    "twitter-token": regex_family(r"A{22}[a-zA-Z0-9%]{80,100}"),
    "typeform-token": regex_family(r"tfp_[a-z0-9\-_\.=]{59}"),
    "vault-token": regex_family(r"hvs\.[\w-]{90,120}", r"hvb\.[\w-]{138,150}"),
    "yandex-key": regex_family(r"AQVN[A-Za-z0-9_\-]{35,38}", r"t1\.[A-Z0-9a-z_-]{30}[=]{0,2}\.[A-Z0-9a-z_-]{86}"),
    "creditcard": lambda rng, n: (lambda text: (text, text))(
        card(rng, CARD_NETWORKS[n % len(CARD_NETWORKS)][1], CARD_NETWORKS[n % len(CARD_NETWORKS)][2],
             ["plain", "spaced", "dashed"][n % 3])),
    "iban": lambda rng, n: (lambda text: (text, text))(
        iban(rng, list(IBAN_SHAPES)[n % len(IBAN_SHAPES)], list(IBAN_SHAPES.values())[n % len(IBAN_SHAPES)],
             ["plain", "spaced", "dashed"][n % 3])),
    "usssn": lambda rng, n: (lambda a, g, s, sep: (lambda text: (text, text))(f"{a:03d}{sep}{g:02d}{sep}{s:04d}"))(
        rng.choice([x for x in range(1, 900) if x != 666]), rng.randint(1, 99), rng.randint(1, 9999), "- ."[n % 3]),
    "us-itin": lambda rng, n: (lambda text: (text, text))(
        f"9{rng.randint(0, 99):02d}-{rng.choice(list(range(70, 89)) + list(range(50, 66)))}-{rng.randint(1, 9999):04d}"),
    "imei": lambda rng, n: (lambda text: (text, text))(imei(rng, ["plain", "dashed"][n % 2])),
    "phone": lambda rng, n: (lambda text: (text, text))(phone(rng, [
        "e164-us", "spaced-us", "e164-de", "uk-international", "uk-trunk-international", "nanp-parentheses",
        "nanp-dashes", "nanp-dots", "uk-national", "fr-national", "de-national"][n % 11])),
    "mac-address": lambda rng, n: (lambda text: (text, text))(
        [":", "-"][n % 2].join(f"{b:02x}" if n % 4 < 2 else f"{b:02X}" for b in rng.randbytes(5) + b"\x42")),
    "bitcoin-address": lambda rng, n: (lambda text: (text, text))(
        [base58check(b"\x00" + rng.randbytes(20)), base58check(b"\x05" + rng.randbytes(20)),
         bech32_address(rng.randbytes(20))][n % 3]),
    "ethereum-address": lambda rng, n: (lambda text: (text, text))("0x" + rng.randbytes(20).hex()),
    "email": lambda rng, n: (lambda text: (text, text))([
        f"jane.doe{n}@example.com", f"ops+alerts{n}@mail.example.co.uk", f"user{n}@xn--bcher-kva.example",
        f"a.b_{n}@sub.example.xn--p1ai"][n % 4]),
    "ip": lambda rng, n: (lambda text: (text, text))(
        f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" if n % 6 == 0
        else ipv6(rng, ["full", "compressed", "embedded-ipv4", "prefix-and-ipv4", "zone"][n % 5])),
}

# ---------------------------------------------------------------------------------------------
# Look-alikes: innocent text that shares a family's shape, prefix or alphabet.


def innocents(rng):
    hexes = lambda n: rng.randbytes(n).hex()
    luhn_invalid = lambda body: body + str((int(luhn_digit(body)) + 1) % 10)
    common = [
        str(__import__("uuid").UUID(bytes=rng.randbytes(16), version=4)),
        hexes(16), hexes(20), hexes(32), hexes(20)[:7],  # md5, sha1, sha256, a short commit
        f"req_{hexes(12)}", f"{rng.randint(2, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 999)}",
        f"2.75.0-rc.{rng.randint(1, 9)}", f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T19:45:09.123Z",
        str(rng.randint(1_600_000_000, 1_800_000_000)), str(rng.randint(1_600_000_000_000, 1_800_000_000_000)),
        str(rng.randint(1_600_000_000_000_000, 1_800_000_000_000_000)), f"${rng.randint(1, 999)},{rng.randint(100, 999)}.{rng.randint(10, 99)}",
        f"EUR {rng.randint(1, 999)}.{rng.randint(10, 99)}", f"ORD-2024-{rng.randint(0, 999999):06d}", f"#{rng.randint(100000, 999999)}",
        f"ID {rng.randint(1_000_000_000, 9_999_999_999)}", luhn_invalid("4" + "".join(rng.choice(string.digits) for _ in range(14))),
        f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026", f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        f"00:01:{rng.randint(10, 59)}.{rng.randint(100, 999)}", f"1.0.0+20130313{rng.randint(100000, 999999)}",
        f"0x7f{hexes(5)}", f"<Response at 0x7f{hexes(5)}>", f"java.lang.Object@{hexes(4)}",
        f"SELECT * FROM orders WHERE id = {rng.randint(1, 99999)}", f"/srv/app/releases/1.{rng.randint(0, 9)}.{rng.randint(0, 9)}/bin",
        f"https://shop.example.com/api/v1/orders?page={rng.randint(1, 9)}&limit=50", "application/vnd.api+json",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        f"arn:aws:iam::{rng.randint(10**11, 10**12 - 1)}:role/deploy", f"sha256:{hexes(32)}",
        f"web-{hexes(3)[:6]}-{rng.choice(string.ascii_lowercase)}{hexes(2)}", f"978-3-16-{rng.randint(100000, 999999)}-0",
        f"#{hexes(3)}", base64.b64encode(json.dumps({"page": rng.randint(1, 9), "sort": "asc"}).encode()).decode(),
        base64.b64encode(b"hello world, this is not a secret at all").decode(), "localhost:8080", "127.0.0.1:5432", "::1",
        f"v{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        f"token_count={rng.randint(1, 9999)}", "author: Ada Lovelace", "tokenizer: bpe", "authority=ca.example.com",
        "sk-image-classification-pipeline-v2", "risk-assessment-for-the-quarterly-report", "secret_sauce_recipe_v2",
        f"API-VERSION-{rng.randint(1, 9)}", "Bearer", "pattern matching", f"SKU-{rng.randint(1000, 9999)}-XL",
        f"ghp_{rng.choice(string.ascii_letters)}{rng.randint(10, 99)}", "xoxb-", f"AKIA{rng.randint(1000, 9999)}",
        "hf_transfer", "glpat-short", f"npm_config_cache={rng.randint(1, 9)}", "dapi-docs", "s.example.com",
        f"key-value store {rng.randint(1, 9)}", "pubkey-rotation", "pat.example.org", "sq0-2024", "ico-design",
        f"MTIzNDU2Nzg5MDEyMzQ1Njc4.{hexes(3)}", f"DE{rng.randint(10, 99)} is a code", f"SE{rng.randint(10, 99)}",
        f"1{''.join(rng.choice('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz') for _ in range(33))}",
        f"0x{hexes(20)[:38]}", f"12:{hexes(1)}:{hexes(1)}", f"{rng.randint(100, 999)}-{rng.randint(10, 99)}",
        f"+{rng.randint(1, 99)}%", f"+{rng.randint(1, 9)}.{rng.randint(1, 9)}", "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
        "std::fmt::Display", "a == password", "if token != null", "password_reset_required=true",
        f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
    ]
    return common


# ---------------------------------------------------------------------------------------------
# Events from the real sentry-sdk, with a placeholder where a value is planted.

PLACEHOLDER = "PLACEHOLDER-0c5d9e1f"


def templates():
    transport = RecordingTransport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(dsn="http://public@127.0.0.1:9/1", transport=transport, default_integrations=False,
                        integrations=[LoggingIntegration(event_level=logging.ERROR)],
                        event_scrubber=EventScrubber(denylist=[], pii_denylist=[]), include_local_variables=True)
    logger = logging.getLogger("shop.payments")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    contexts = {}
    try:
        raise ValueError(f"upstream rejected {PLACEHOLDER} for order 7")
    except ValueError:
        sentry_sdk.capture_exception()
    contexts["exception message"] = transport.payloads.pop()
    with sentry_sdk.new_scope():
        logger.warning("retrying with %s", PLACEHOLDER)
        logger.error("giving up after 3 tries with %s", PLACEHOLDER)
    contexts["log line and breadcrumb"] = transport.payloads.pop()
    with sentry_sdk.new_scope() as scope:
        scope.set_extra("note", PLACEHOLDER)
        sentry_sdk.capture_message("order sync finished with warnings")
    contexts["extra"] = transport.payloads.pop()

    def failing(value):
        context = {"value": value, "attempt": 2}
        raise RuntimeError(f"lookup failed ({len(context)} fields)")

    try:
        failing(PLACEHOLDER)
    except RuntimeError:
        sentry_sdk.capture_exception()
    contexts["frame local"] = transport.payloads.pop()
    sentry_sdk.get_client().close()
    return {name: json.dumps(event) for name, event in contexts.items()}


def plant(template, text):
    return json.loads(template.replace(PLACEHOLDER, json.dumps(text)[1:-1]))


# ---------------------------------------------------------------------------------------------


def scrubbers():
    from sentry_relay.processing import convert_datascrubbing_config, pii_strip_event
    from sentry_sdk.serializer import serialize

    from sentry_preflight import Preflight

    pf = Preflight({})
    event_scrubber = EventScrubber(recursive=True)
    relay_config = convert_datascrubbing_config({"scrubData": True, "scrubDefaults": True, "scrubIpAddresses": True,
                                                 "sensitiveFields": [], "excludeFields": []})

    def with_event_scrubber(event):
        event_scrubber.scrub_event(event)
        return serialize(event)

    return {
        "preflight": lambda event: pf.before_send(event, {}),
        "EventScrubber(recursive=True)": with_event_scrubber,
        "Relay legacy defaults": lambda event: pii_strip_event(relay_config, event),
    }


def survives(scrub, event, needle):
    result = scrub(copy.deepcopy(event))
    return result is not None and needle in json.dumps(result, ensure_ascii=False)


def examples(family, rng):
    return [FAMILIES[family](rng, n) for n in range(EXAMPLES)]


def measure():
    rng = random.Random(SEED)
    contexts = templates()
    runs = scrubbers()
    rows = []
    for family in FAMILIES:
        found = {name: 0 for name in runs}
        plantings = 0
        for text, secret in examples(family, rng):
            for template in contexts.values():
                plantings += 1
                event = plant(template, text)
                for name, scrub in runs.items():
                    found[name] += not survives(scrub, event, json.dumps(secret)[1:-1])
        rows.append((family, plantings, found))
    altered = {name: [] for name in runs}
    lookalikes = innocents(random.Random(SEED + 1))
    for text in lookalikes:
        for template in contexts.values():
            event = plant(template, text)
            for name, scrub in runs.items():
                if not survives(scrub, event, json.dumps(text)[1:-1]):
                    altered[name].append(text)
    return rows, altered, len(lookalikes) * len(contexts), runs


def print_table():
    rows, altered, lookalike_plantings, runs = measure()
    names = list(runs)
    print(f"{len(rows)} families, {EXAMPLES} true examples each, planted in 4 places of sentry-sdk "
          f"{sentry_sdk.VERSION} events; {lookalike_plantings // 4} look-alikes in the same places\n")
    print("| family | " + " | ".join(f"{name} recall" for name in names) + " |")
    print("|---|" + "---|" * len(names))
    below = []
    for family, plantings, found in rows:
        cells = [f"{100 * found[name] / plantings:.0f} %" for name in names]
        if found["preflight"] / plantings < 0.95:
            below.append(family)
        print(f"| {family} | " + " | ".join(cells) + " |")
    print("\n| look-alikes altered | " + " | ".join(
        f"{len(altered[name])} / {lookalike_plantings} ({100 * len(altered[name]) / lookalike_plantings:.1f} %)"
        for name in names) + " |")
    if altered["preflight"]:
        print("\npreflight altered:", sorted(set(altered["preflight"]))[:20])
    if below:
        print("\nfamilies under 95 % with preflight:", ", ".join(below))
    return not below and len(altered["preflight"]) <= lookalike_plantings // 100


# ---------------------------------------------------------------------------------------------
# One shared vector per family: a true example and a look-alike in an event's extra, with the
# expected output written from what the example is (its secret part), not from running preflight.


def expected_text(text, secret):
    start = text.index(secret)
    redacted = text[:start] + "[Filtered]" + text[start + len(secret):]
    # _meta ranges are byte offsets of the new string (Relay's rule).
    byte_start = len(text[:start].encode())
    return redacted, [byte_start, byte_start + len("[Filtered]")]


def write_vectors():
    rng = random.Random(SEED)
    lookalikes = innocents(random.Random(SEED + 1))
    from sentry_preflight import family_names

    assert set(FAMILIES) == set(family_names()), set(family_names()) ^ set(FAMILIES)
    directory = ROOT / "tests" / "vectors"
    for index, family in enumerate(FAMILIES):
        text, secret = examples(family, rng)[index % EXAMPLES]
        lookalike = lookalikes[index % len(lookalikes)]
        redacted, remark_range = expected_text(text, secret)
        vector = {
            "name": f"family-{family}",
            "policy": {},
            "input": {"extra": {"note": text, "reference": lookalike}},
            "expected": {
                "extra": {"note": redacted, "reference": lookalike},
                "_meta": {"extra": {"note": {"": {"rem": [[f"@preflight:{family}", "s", *remark_range]],
                                                  "len": len(text)}}}},
            },
        }
        (directory / f"family-{family}.json").write_text(json.dumps(vector, indent=2, ensure_ascii=False) + "\n",
                                                         encoding="utf-8")
    print(f"wrote {len(FAMILIES)} vectors to {directory.relative_to(ROOT)}/family-*.json")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-vectors", action="store_true")
    args = parser.parse_args()
    if args.write_vectors:
        write_vectors()
        return
    if not print_table():
        sys.exit("a family is under 95 % recall or more than 1 % of the look-alikes were altered")


if __name__ == "__main__":
    main()
