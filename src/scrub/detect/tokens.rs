//! Tokens that announce themselves: a literal prefix, then a body of a
//! known alphabet and length (`ghp_` and 36 base62 characters).
//!
//! Most credentials a service issues today carry a prefix so that scanners
//! can find them (gitleaks' default rules know about 150 providers' formats;
//! the facts here are theirs and the providers' docs). Each format is a row
//! of [`FORMATS`]: its family, its prefixes and the parts of its body, read
//! greedily left to right without backtracking, so a row costs at most one
//! pass over its candidate. The rows are found through [`PrefixIndex`]: at
//! every word start the scan looks up the first two bytes in one table and
//! compares only the few prefixes that start with them.
//!
//! Invariant for linear time: a body part never reads past the end of the
//! run of its alphabet, and the end of a run, once measured, is remembered
//! ([`RunCache`]), so a text of a million `glpat-` prefixes is read a
//! bounded number of times per byte, not once per prefix.

use super::bytes::{self, Alphabet, DASH, DIGIT, EQUALS, PERCENT, SLASH};
use super::checks;
use super::families::index_of;
use super::scan::{Finder, TRIGGERS};

/// One part of a token's body.
#[derive(Debug, Clone, Copy)]
pub(super) enum Part {
    /// `min..=max` bytes of the alphabet, as many as there are; more than
    /// `max` fails the row (the token is longer than the format allows).
    Run(Alphabet, u16, u16),
    /// This text.
    Literal(&'static str),
    /// These parts, or nothing.
    Optional(&'static [Part]),
    /// One or more blanks, `+` or `%20` (an HTTP auth scheme's separator).
    Gap,
}

/// What a body must pass besides its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    None,
    /// Mixed letters and digits (see [`checks::looks_random`]): keeps words
    /// and names out of short or generic prefixes.
    Random,
    /// GitHub's CRC-32 suffix (npm's tokens carry it too): lets a token
    /// glued to more letters or digits still be found, its 36 characters
    /// carrying their own proof.
    GithubChecksum,
    /// Base64 of a JWT.
    Base64Jwt,
    /// At least one digit: a word of capitals (`API-VERSION-…`) is not a key.
    HasDigit,
}

/// A token format: a row of the table.
#[derive(Debug, Clone, Copy)]
pub(super) struct Format {
    pub(super) family: usize,
    pub(super) prefixes: &'static [&'static str],
    pub(super) parts: &'static [Part],
    pub(super) check: Check,
    /// The prefix stays readable (`AccountKey=`, a webhook's host): only
    /// what follows it is the secret.
    pub(super) keep_prefix: bool,
}

const fn row(family: &str, prefixes: &'static [&'static str], parts: &'static [Part]) -> Format {
    Format {
        family: index_of(family),
        prefixes,
        parts,
        check: Check::None,
        keep_prefix: false,
    }
}

const fn checked(
    family: &str,
    prefixes: &'static [&'static str],
    parts: &'static [Part],
    check: Check,
) -> Format {
    Format {
        check,
        ..row(family, prefixes, parts)
    }
}

const fn after_prefix(
    family: &str,
    prefixes: &'static [&'static str],
    parts: &'static [Part],
) -> Format {
    Format {
        keep_prefix: true,
        ..row(family, prefixes, parts)
    }
}

const fn run(alphabet: Alphabet, min: u16, max: u16) -> Part {
    Part::Run(alphabet, min, max)
}

const fn exactly(alphabet: Alphabet, count: u16) -> Part {
    Part::Run(alphabet, count, count)
}

use Part::Literal as lit;

const ALNUM: Alphabet = Alphabet::ALNUM;
const WORD: Alphabet = Alphabet::WORD;
const WORD_DASH: Alphabet = Alphabet::WORD_DASH;
const HEX_LOWER: Alphabet = Alphabet::HEX_LOWER;
const HEX: Alphabet = Alphabet::HEX;
const BASE64: Alphabet = Alphabet::BASE64;
const PADDING: Alphabet = Alphabet(EQUALS);
const UPPER_DIGITS: Alphabet = Alphabet::UPPER_DIGITS;
const UPPER_DIGITS_DASH: Alphabet = Alphabet(Alphabet::UPPER_DIGITS.0 | DASH);
const HEX_DASH: Alphabet = Alphabet(Alphabet::HEX.0 | DASH);
const ALNUM_DASH: Alphabet = Alphabet(Alphabet::ALNUM.0 | DASH);
const WORD_DASH_EQUALS: Alphabet = Alphabet::WORD_DASH_EQUALS;
const WORD_DASH_DOT_EQUALS: Alphabet = Alphabet::WORD_DASH_DOT_EQUALS;
const ALNUM_PERCENT: Alphabet = Alphabet(Alphabet::ALNUM.0 | PERCENT);
/// A JWT segment as gitleaks reads it: base64url, with `/` and `\` tolerated.
const JWT_SEGMENT: Alphabet = Alphabet(Alphabet::WORD_DASH.0 | SLASH);
const BASE64_ANY: Alphabet = Alphabet(Alphabet::BASE64_PADDED.0 | Alphabet::WORD_DASH.0);
const DIGITS: Alphabet = Alphabet(DIGIT);

/// 64 lower-case hex digits, the body of many v1 tokens.
const HEX64: &[Part] = &[exactly(HEX_LOWER, 64)];
const UUID: Part = exactly(HEX_DASH, 36);
const GITLAB_ROUTABLE_SUFFIX: Part =
    Part::Optional(&[lit("."), exactly(Alphabet::LOWER_DIGITS, 9)]);

/// Every token format. Within a family the order does not matter; across
/// families the priority is the family's (`families::FAMILIES`).
pub(super) const FORMATS: &[Format] = &[
    after_prefix(
        "bearer",
        &["Bearer", "bearer", "BEARER"],
        &[
            Part::Gap,
            run(
                Alphabet(Alphabet::WORD_DASH_DOT_TILDE.0 | bytes::PLUS | SLASH),
                1,
                4096,
            ),
            run(PADDING, 0, 3),
        ],
    ),
    row(
        "jwt",
        &["eyJ"],
        &[
            run(JWT_SEGMENT, 10, 8192),
            lit(".ey"),
            run(JWT_SEGMENT, 10, 65535),
            Part::Optional(&[lit("."), run(JWT_SEGMENT, 0, 8192), run(PADDING, 0, 2)]),
        ],
    ),
    checked(
        "jwt",
        &["ZXlK"],
        &[run(BASE64_ANY, 40, 65535)],
        Check::Base64Jwt,
    ),
    row(
        "aws-key",
        &["AKIA", "ASIA", "ABIA", "ACCA"],
        &[exactly(UPPER_DIGITS, 16)],
    ),
    row("aws-key", &["A3T"], &[exactly(UPPER_DIGITS, 17)]),
    row(
        "aws-key",
        &["ABSK"],
        &[run(BASE64, 109, 269), run(PADDING, 0, 2)],
    ),
    row(
        "aws-key",
        &["bedrock-api-key-"],
        &[run(Alphabet::BASE64_PADDED, 28, 8192)],
    ),
    row(
        "stripe-key",
        &[
            "sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_",
        ],
        &[run(ALNUM, 10, 247)],
    ),
    row("stripe-key", &["whsec_"], &[run(ALNUM, 32, 64)]),
    // 36 characters since 2021; longer runs are taken whole (a token pasted
    // with its neighbour is still a token).
    row(
        "github-token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        &[run(ALNUM, 36, 255)],
    ),
    row("github-token", &["github_pat_"], &[run(WORD, 50, 255)]),
    row(
        "slack-token",
        &[
            "xoxb-",
            "xoxp-",
            "xoxa-",
            "xoxr-",
            "xoxe-",
            "xoxo-",
            "xoxs-",
            "xapp-",
            "xoxe.xoxb-",
            "xoxe.xoxp-",
        ],
        &[run(WORD_DASH, 7, 300)],
    ),
    after_prefix(
        "slack-webhook",
        &[
            "hooks.slack.com/services/",
            "hooks.slack.com/workflows/",
            "hooks.slack.com/triggers/",
        ],
        &[run(BASE64, 20, 160)],
    ),
    row("google-api-key", &["AIza"], &[exactly(WORD_DASH, 35)]),
    checked(
        "llm-api-key",
        &["sk-"],
        &[run(WORD_DASH, 32, 400)],
        Check::Random,
    ),
    row("llm-api-key", &["pplx-"], &[exactly(ALNUM, 48)]),
    row("llm-api-key", &["gsk_"], &[exactly(ALNUM, 52)]),
    row("llm-api-key", &["xai-"], &[run(ALNUM, 70, 90)]),
    row("llm-api-key", &["r8_"], &[exactly(ALNUM, 37)]),
    row(
        "gitlab-token",
        &[
            "glpat-", "gldt-", "glrt-", "glsoat-", "glffct-", "glft-", "glcbt-", "glimt-",
            "glagent-", "gloas-",
        ],
        &[run(WORD_DASH, 20, 300), GITLAB_ROUTABLE_SUFFIX],
    ),
    row("gitlab-token", &["glptt-"], &[exactly(HEX_LOWER, 40)]),
    row("gitlab-token", &["GR1348941"], &[run(WORD_DASH, 20, 64)]),
    checked(
        "npm-token",
        &["npm_"],
        &[exactly(ALNUM, 36)],
        Check::GithubChecksum,
    ),
    row("1password-key", &["A3-"], &[run(UPPER_DIGITS_DASH, 33, 40)]),
    row(
        "1password-key",
        &["ops_eyJ"],
        &[run(BASE64, 250, 8192), run(PADDING, 0, 3)],
    ),
    row("adobe-secret", &["p8e-"], &[exactly(ALNUM, 32)]),
    row(
        "age-key",
        &["AGE-SECRET-KEY-1"],
        &[exactly(UPPER_DIGITS, 58)],
    ),
    row(
        "airtable-token",
        &["pat"],
        &[exactly(ALNUM, 14), lit("."), exactly(HEX_LOWER, 64)],
    ),
    row("alibaba-key", &["LTAI"], &[exactly(ALNUM, 20)]),
    row("artifactory-token", &["AKCp"], &[exactly(ALNUM, 69)]),
    row("artifactory-token", &["cmVmd"], &[exactly(ALNUM, 59)]),
    row(
        "atlassian-token",
        &["ATATT3"],
        &[run(WORD_DASH_EQUALS, 150, 250)],
    ),
    row(
        "authress-key",
        &["sc_", "ext_", "scauth_", "authress_"],
        &[
            run(ALNUM, 5, 30),
            lit("."),
            run(ALNUM, 4, 6),
            lit(".acc"),
            run(Alphabet(DASH | bytes::UNDERSCORE), 1, 1),
            run(Alphabet(Alphabet::LOWER_DIGITS.0 | DASH), 10, 32),
            lit("."),
            run(Alphabet(WORD_DASH_EQUALS.0 | bytes::PLUS | SLASH), 30, 120),
        ],
    ),
    after_prefix(
        "azure-storage-key",
        &["AccountKey="],
        &[run(BASE64, 80, 100), run(PADDING, 0, 2)],
    ),
    after_prefix(
        "azure-storage-key",
        &["SharedAccessKey="],
        &[run(BASE64, 40, 100), run(PADDING, 0, 2)],
    ),
    row(
        "brevo-key",
        &["xkeysib-", "xsmtpsib-"],
        &[exactly(HEX_LOWER, 64), lit("-"), exactly(ALNUM, 16)],
    ),
    row("clickhouse-key", &["4b1d"], &[exactly(ALNUM, 38)]),
    row("clojars-token", &["CLOJARS_"], &[exactly(ALNUM, 60)]),
    row(
        "cloudflare-key",
        &["v1.0-"],
        &[exactly(HEX_LOWER, 24), lit("-"), exactly(HEX_LOWER, 146)],
    ),
    row(
        "databricks-token",
        &["dapi"],
        &[
            exactly(HEX_LOWER, 32),
            Part::Optional(&[lit("-"), exactly(DIGITS, 1)]),
        ],
    ),
    row(
        "defined-networking-key",
        &["dnkey-"],
        &[run(WORD_DASH_EQUALS, 70, 90)],
    ),
    row(
        "digitalocean-token",
        &["doo_v1_", "dop_v1_", "dor_v1_"],
        HEX64,
    ),
    after_prefix(
        "discord-webhook",
        &["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
        &[run(DIGITS, 17, 20), lit("/"), run(WORD_DASH, 60, 70)],
    ),
    row(
        "doppler-token",
        &[
            "dp.pt.",
            "dp.st.",
            "dp.sa.",
            "dp.ct.",
            "dp.scim.",
            "dp.audit.",
        ],
        &[run(ALNUM, 40, 44)],
    ),
    row(
        "duffel-token",
        &["duffel_test_", "duffel_live_"],
        &[exactly(WORD_DASH_EQUALS, 43)],
    ),
    row(
        "dynatrace-token",
        &["dt0c01."],
        &[exactly(ALNUM, 24), lit("."), exactly(ALNUM, 64)],
    ),
    row("easypost-key", &["EZAK", "EZTK"], &[exactly(ALNUM, 54)]),
    row(
        "facebook-token",
        &["EAAC", "EAAM", "EAAG"],
        &[run(ALNUM, 100, 1024)],
    ),
    row(
        "flutterwave-key",
        &["FLWSECK_TEST-", "FLWPUBK_TEST-", "FLWSECK-", "FLWPUBK-"],
        &[run(ALNUM, 12, 32), Part::Optional(&[lit("-X")])],
    ),
    row("flyio-token", &["fo1_"], &[exactly(WORD_DASH, 43)]),
    row(
        "flyio-token",
        &["fm1a_", "fm1r_", "fm2_"],
        &[run(BASE64, 100, 8192), run(PADDING, 0, 3)],
    ),
    row(
        "frameio-token",
        &["fio-u-"],
        &[exactly(WORD_DASH_EQUALS, 64)],
    ),
    row(
        "grafana-token",
        &["eyJrIjoi"],
        &[run(ALNUM, 70, 400), run(PADDING, 0, 3)],
    ),
    row(
        "grafana-token",
        &["glc_"],
        &[run(BASE64, 32, 400), run(PADDING, 0, 3)],
    ),
    row(
        "grafana-token",
        &["glsa_"],
        &[exactly(ALNUM, 32), lit("_"), exactly(HEX, 8)],
    ),
    row(
        "harness-key",
        &["pat.", "sat."],
        &[
            exactly(WORD_DASH, 22),
            lit("."),
            exactly(ALNUM, 24),
            lit("."),
            exactly(ALNUM, 20),
        ],
    ),
    row("heroku-key", &["HRKU-AA"], &[exactly(WORD_DASH, 58)]),
    row(
        "huggingface-token",
        &["hf_", "api_org_"],
        &[exactly(Alphabet::LETTERS, 34)],
    ),
    row("infracost-token", &["ico-"], &[exactly(ALNUM, 32)]),
    row(
        "intra42-secret",
        &["s-s4t2ud-", "s-s4t2af-"],
        &[exactly(HEX, 64)],
    ),
    row("linear-key", &["lin_api_"], &[exactly(ALNUM, 40)]),
    row(
        "mailgun-key",
        &["key-", "pubkey-"],
        &[exactly(HEX_LOWER, 32)],
    ),
    row(
        "mapbox-token",
        &["pk.eyJ", "sk.eyJ", "tk.eyJ"],
        &[run(WORD_DASH, 20, 400), lit("."), run(WORD_DASH, 20, 40)],
    ),
    row("new-relic-key", &["NRJS-"], &[exactly(HEX_LOWER, 19)]),
    row("new-relic-key", &["NRAK-"], &[exactly(UPPER_DIGITS, 27)]),
    row(
        "new-relic-key",
        &["NRII-"],
        &[exactly(Alphabet(Alphabet::ALNUM.0 | DASH), 32)],
    ),
    row("notion-token", &["ntn_"], &[exactly(ALNUM, 46)]),
    checked(
        "notion-token",
        &["secret_"],
        &[exactly(ALNUM, 43)],
        Check::Random,
    ),
    checked(
        "octopus-key",
        &["API-"],
        &[exactly(UPPER_DIGITS, 26)],
        Check::HasDigit,
    ),
    row("openshift-token", &["sha256~"], &[exactly(WORD_DASH, 43)]),
    row(
        "planetscale-token",
        &["pscale_tkn_", "pscale_oauth_", "pscale_pw_"],
        &[run(WORD_DASH_DOT_EQUALS, 32, 64)],
    ),
    row(
        "plaid-token",
        &[
            "access-sandbox-",
            "access-development-",
            "access-production-",
        ],
        &[UUID],
    ),
    row(
        "postman-key",
        &["PMAK-"],
        &[exactly(HEX, 24), lit("-"), exactly(HEX, 34)],
    ),
    row("prefect-key", &["pnu_"], &[exactly(ALNUM, 36)]),
    row("pulumi-token", &["pul-"], &[exactly(HEX_LOWER, 40)]),
    row(
        "pypi-token",
        &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
        &[run(WORD_DASH, 50, 4096)],
    ),
    row(
        "readme-key",
        &["rdme_"],
        &[exactly(Alphabet::LOWER_DIGITS, 70)],
    ),
    row("rubygems-key", &["rubygems_"], &[exactly(HEX_LOWER, 48)]),
    row("scalingo-token", &["tk-us-"], &[exactly(WORD_DASH, 48)]),
    row(
        "sendgrid-key",
        &["SG."],
        &[exactly(WORD_DASH_DOT_EQUALS, 66)],
    ),
    row(
        "sentry-token",
        &["sntrys_eyJ"],
        &[
            run(Alphabet::BASE64_PADDED, 40, 1024),
            lit("_"),
            exactly(BASE64, 43),
        ],
    ),
    row("sentry-token", &["sntryu_"], HEX64),
    row(
        "settlemint-token",
        &["sm_aat_", "sm_pat_", "sm_sat_"],
        &[exactly(ALNUM, 16)],
    ),
    row(
        "shippo-token",
        &["shippo_live_", "shippo_test_"],
        &[exactly(HEX, 40)],
    ),
    row(
        "shopify-token",
        &["shpat_", "shpca_", "shppa_", "shpss_"],
        &[exactly(HEX, 32)],
    ),
    row(
        "sonar-token",
        &["squ_", "sqp_", "sqa_"],
        &[exactly(HEX_LOWER, 40)],
    ),
    row("sourcegraph-token", &["sgp_"], &[run(WORD, 40, 64)]),
    row(
        "square-token",
        &["sq0atp-", "EAAA"],
        &[run(WORD_DASH, 22, 60)],
    ),
    row("square-token", &["sq0csp-"], &[exactly(WORD_DASH, 43)]),
    after_prefix(
        "teams-webhook",
        &["webhookb2/"],
        // GUIDs as Microsoft writes them; gitleaks reads the parts as `[a-z0-9]`.
        &[
            exactly(ALNUM_DASH, 36),
            lit("@"),
            exactly(ALNUM_DASH, 36),
            lit("/IncomingWebhook/"),
            exactly(ALNUM, 32),
            lit("/"),
            exactly(ALNUM_DASH, 36),
            Part::Optional(&[lit("/"), run(WORD_DASH, 20, 64)]),
        ],
    ),
    row("twilio-key", &["SK"], &[exactly(HEX, 32)]),
    row(
        "twitter-token",
        &["AAAAAAAAAAAAAAAAAAAAA"],
        &[run(ALNUM_PERCENT, 60, 140)],
    ),
    row(
        "typeform-token",
        &["tfp_"],
        &[exactly(WORD_DASH_DOT_EQUALS, 59)],
    ),
    row("vault-token", &["hvs."], &[run(WORD_DASH, 90, 120)]),
    row("vault-token", &["hvb."], &[run(WORD_DASH, 138, 300)]),
    checked("vault-token", &["s."], &[exactly(ALNUM, 24)], Check::Random),
    row("yandex-key", &["AQVN"], &[run(WORD_DASH, 35, 38)]),
    row(
        "yandex-key",
        &["t1."],
        &[
            run(WORD_DASH, 20, 200),
            run(PADDING, 0, 2),
            lit("."),
            exactly(WORD_DASH, 86),
        ],
    ),
    row(
        "dropbox-token",
        &["sl.", "sl.u."],
        &[run(WORD_DASH_DOT_EQUALS, 130, 1400)],
    ),
];

/// What a prefix leads to: a token format, or a finder of its own (a
/// PuTTY key file, a Kubernetes Secret, a curl command).
#[derive(Clone, Copy)]
pub(super) enum Target {
    Format(&'static Format),
    Finder(Finder),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Format(format) => write!(formatter, "Format({:?})", format.prefixes),
            Target::Finder(_) => formatter.write_str("Finder"),
        }
    }
}

/// The formats and finders of a policy's enabled families, found by their
/// prefixes' first two bytes.
#[derive(Debug, Clone)]
pub(super) struct PrefixIndex {
    /// One bit for each pair of first bytes some prefix starts with: 8 KB,
    /// so the test at every word start stays in the L1 cache.
    starts: Box<[u64; 1024]>,
    /// For each pair of first bytes, 1 + the index of its bucket; 0 when no
    /// prefix starts with them. Read only where `starts` has the bit.
    first_two: Box<[u16]>,
    buckets: Vec<Vec<(&'static [u8], Target)>>,
}

impl PrefixIndex {
    pub(super) fn new(enabled: impl Fn(usize) -> bool) -> PrefixIndex {
        let formats = FORMATS
            .iter()
            .filter(|format| enabled(format.family))
            .flat_map(|format| {
                format
                    .prefixes
                    .iter()
                    .map(move |prefix| (*prefix, Target::Format(format)))
            });
        let finders = TRIGGERS
            .iter()
            .filter(|(_, family, _)| enabled(*family))
            .map(|(prefix, _, finder)| (*prefix, Target::Finder(*finder)));
        let mut starts = Box::new([0u64; 1024]);
        let mut first_two = vec![0u16; 1 << 16].into_boxed_slice();
        let mut buckets: Vec<Vec<(&'static [u8], Target)>> = Vec::new();
        for (prefix, target) in formats.chain(finders) {
            let bytes = prefix.as_bytes();
            let key = usize::from(bytes[0]) << 8 | usize::from(bytes[1]);
            starts[key >> 6] |= 1 << (key & 63);
            if first_two[key] == 0 {
                buckets.push(Vec::new());
                first_two[key] = buckets.len() as u16;
            }
            buckets[usize::from(first_two[key]) - 1].push((bytes, target));
        }
        // Longer prefixes first: `xoxe.xoxb-` is tried before `xoxe-` would be.
        for bucket in &mut buckets {
            crate::sort::sort_by_key(bucket, |(prefix, _)| std::cmp::Reverse(prefix.len()));
        }
        PrefixIndex {
            starts,
            first_two,
            buckets,
        }
    }

    /// Whether some prefix starts with these two bytes.
    #[inline(always)]
    pub(super) fn starts_with(&self, first: u8, second: u8) -> bool {
        let key = usize::from(first) << 8 | usize::from(second);
        self.starts[key >> 6] & (1 << (key & 63)) != 0
    }

    /// What may start at `start`, with the prefix's length.
    pub(super) fn at<'a>(
        &'a self,
        bytes: &'a [u8],
        start: usize,
    ) -> impl Iterator<Item = (usize, Target)> + 'a {
        let bucket = match bytes.get(start..start + 2) {
            Some(pair) => self.first_two[usize::from(pair[0]) << 8 | usize::from(pair[1])],
            None => 0,
        };
        let candidates = match bucket {
            0 => &[][..],
            index => &self.buckets[usize::from(index) - 1][..],
        };
        candidates
            .iter()
            .filter(move |(prefix, _)| bytes[start..].starts_with(prefix))
            .map(|(prefix, target)| (prefix.len(), *target))
    }
}

/// The end of the last run measured for each alphabet, so that a run is
/// measured once however many candidates start inside it.
#[derive(Debug, Default)]
pub(super) struct RunCache {
    runs: Vec<(Alphabet, usize, usize)>,
}

impl RunCache {
    fn run_end(&mut self, bytes: &[u8], start: usize, alphabet: Alphabet) -> usize {
        for &(known, from, end) in &self.runs {
            if known == alphabet && from <= start && start <= end {
                return end;
            }
        }
        let end = bytes::run_end(bytes, start, alphabet);
        match self.runs.iter_mut().find(|(known, ..)| *known == alphabet) {
            Some(slot) => *slot = (alphabet, start, end),
            None => self.runs.push((alphabet, start, end)),
        }
        end
    }
}

/// Matches `parts` from `at`; where the body ends, or `None`.
fn match_parts(bytes: &[u8], mut at: usize, parts: &[Part], runs: &mut RunCache) -> Option<usize> {
    for part in parts {
        match *part {
            Part::Run(alphabet, min, max) => {
                let end = runs.run_end(bytes, at, alphabet);
                let length = end - at;
                if length < usize::from(min) || length > usize::from(max) {
                    return None;
                }
                at = end;
            }
            Part::Literal(text) => {
                if !bytes[at..].starts_with(text.as_bytes()) {
                    return None;
                }
                at += text.len();
            }
            Part::Optional(inner) => {
                if let Some(end) = match_parts(bytes, at, inner, runs) {
                    at = end;
                }
            }
            Part::Gap => {
                let start = at;
                loop {
                    match bytes.get(at) {
                        Some(b' ' | b'\t' | b'+') => at += 1,
                        Some(b'%') if bytes[at..].starts_with(b"%20") => at += 3,
                        _ => break,
                    }
                }
                if at == start {
                    return None;
                }
            }
        }
    }
    Some(at)
}

/// The secret a format finds with its prefix at `start` (`prefix` bytes
/// long), as a byte range; `None` when the body does not match.
pub(super) fn match_format(
    bytes: &[u8],
    start: usize,
    prefix: usize,
    format: &Format,
    runs: &mut RunCache,
) -> Option<(usize, usize)> {
    let body_start = start + prefix;
    let secret_start = match format.parts.first() {
        // A scheme's separator stays with the scheme (`Bearer ` and the token).
        Some(Part::Gap) if format.keep_prefix => {
            match_parts(bytes, body_start, &format.parts[..1], runs)?
        }
        _ if format.keep_prefix => body_start,
        _ => start,
    };
    match format.check {
        Check::GithubChecksum => {
            // The usual case: the token stands alone. Glued to more word
            // characters, its checksum must prove it.
            let end = match_parts(bytes, body_start, format.parts, runs).or_else(|| {
                let end = body_start + 36;
                let body = bytes.get(body_start..end)?;
                (body.iter().all(|b| bytes::is_alnum(*b)) && checks::github_checksum_valid(body))
                    .then_some(end)
            })?;
            return Some((secret_start, end));
        }
        Check::Random => {
            let end = match_parts(bytes, body_start, format.parts, runs)?;
            if !checks::looks_random(&bytes[body_start..end]) || ends_inside_word(bytes, end) {
                return None;
            }
            return Some((secret_start, end));
        }
        Check::Base64Jwt => {
            let end = match_parts(bytes, body_start, format.parts, runs)?;
            return is_base64_jwt(&bytes[start..end]).then_some((secret_start, end));
        }
        Check::HasDigit => {
            let end = match_parts(bytes, body_start, format.parts, runs)?;
            let has_digit = bytes[body_start..end].iter().any(u8::is_ascii_digit);
            return (has_digit && !ends_inside_word(bytes, end)).then_some((secret_start, end));
        }
        Check::None => {}
    }
    let end = match_parts(bytes, body_start, format.parts, runs)?;
    (!ends_inside_word(bytes, end)).then_some((secret_start, end))
}

/// A token must end where a word ends: a format's last run stops at the
/// first byte outside its alphabet, which must not be a letter or digit.
fn ends_inside_word(bytes: &[u8], end: usize) -> bool {
    bytes.get(end).is_some_and(|b| bytes::is_alnum(*b))
}

/// Whether `candidate` is base64 whose text is a JWT (`eyJ….ey….`).
fn is_base64_jwt(candidate: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(candidate.len() * 3 / 4);
    let mut bits = 0u32;
    let mut count = 0;
    for &byte in candidate.iter().take(4096) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => break,
        };
        bits = bits << 6 | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            decoded.push((bits >> count) as u8);
        }
    }
    let Some(first_dot) = decoded.iter().position(|b| *b == b'.') else {
        return false;
    };
    decoded.starts_with(b"eyJ")
        && first_dot >= 10
        && decoded[first_dot + 1..].starts_with(b"ey")
        && decoded[..first_dot].iter().all(|b| JWT_SEGMENT.has(*b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scrub::detect::families::FAMILIES;

    fn find(text: &str) -> Option<(String, &'static str)> {
        let index = PrefixIndex::new(|_| true);
        let bytes = text.as_bytes();
        let mut runs = RunCache::default();
        (0..bytes.len()).find_map(|start| {
            if start > 0 && bytes::is_word(bytes[start - 1]) {
                return None;
            }
            index
                .at(bytes, start)
                .find_map(|(prefix, target)| match target {
                    Target::Format(format) => match_format(bytes, start, prefix, format, &mut runs)
                        .map(|(from, to)| {
                            (text[from..to].to_owned(), FAMILIES[format.family].name)
                        }),
                    Target::Finder(_) => None,
                })
        })
    }

    #[test]
    fn every_prefix_is_two_bytes_or_more_and_every_format_is_reachable() {
        for format in FORMATS {
            for prefix in format.prefixes {
                assert!(prefix.len() >= 2, "{prefix}");
            }
        }
    }

    #[test]
    fn tokens_are_found_whole_and_only_whole() {
        let github = format!("ghp_{}", "aB3".repeat(12));
        assert_eq!(
            find(&format!("token {github} ok")),
            Some((github.clone(), "github-token"))
        );
        assert_eq!(find(&format!("x{github}")), None, "glued to a word");
        let npm = format!("npm_{}", "aB3".repeat(12));
        assert_eq!(find(&format!("{npm} ok")), Some((npm.clone(), "npm-token")));
        assert_eq!(
            find(&format!("{npm}Z")),
            None,
            "longer than the format, no checksum"
        );
        let shopify = format!("shpat_{}", "a1".repeat(16));
        assert_eq!(find(&shopify), Some((shopify.clone(), "shopify-token")));
        let gitlab = format!("glrt-{}", "x_Y-".repeat(6));
        assert_eq!(find(&gitlab), Some((gitlab.clone(), "gitlab-token")));
        let routable = format!("glpat-{}.01abcdefg", "Ab".repeat(14));
        assert_eq!(find(&routable), Some((routable.clone(), "gitlab-token")));
        assert_eq!(
            find("Authorization: Bearer abc.def-ghi"),
            Some(("abc.def-ghi".into(), "bearer"))
        );
        let webhook = "https://hooks.slack.com/services/T0000000/B000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        assert_eq!(
            find(webhook),
            Some((
                "T0000000/B000000/XXXXXXXXXXXXXXXXXXXXXXXX".into(),
                "slack-webhook"
            ))
        );
    }

    #[test]
    fn generic_prefixes_need_a_random_body() {
        assert_eq!(find("sk-image-classification-pipeline-v2"), None);
        let key = format!("sk-proj-{}", "Ab3xY9".repeat(8));
        assert_eq!(find(&key), Some((key.clone(), "llm-api-key")));
        assert_eq!(find("API-ABCDEFGHIJKLMNOPQRSTUVWXYZ"), None);
    }

    #[test]
    fn base64_wrapped_jwts() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
        let wrapped = base64(jwt.as_bytes());
        assert_eq!(find(&wrapped), Some((wrapped.clone(), "jwt")));
        assert_eq!(
            find(&base64(b"eyJ just some text, nothing like a token here.")),
            None
        );
    }

    fn base64(data: &[u8]) -> String {
        const TABLE: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(char::from(TABLE[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        out
    }

    #[test]
    fn a_million_prefixes_are_read_in_linear_time() {
        let text = "glpat-".repeat(200_000);
        let index = PrefixIndex::new(|_| true);
        let mut runs = RunCache::default();
        let bytes = text.as_bytes();
        let (mut reads, mut matches) = (0, 0);
        for start in (0..bytes.len()).step_by(6) {
            for (prefix, target) in index.at(bytes, start) {
                let Target::Format(format) = target else {
                    continue;
                };
                reads += 1;
                matches +=
                    usize::from(match_format(bytes, start, prefix, format, &mut runs).is_some());
            }
        }
        assert_eq!(reads, 200_000);
        // Only the last 300 bytes are short enough to be one token.
        assert!(matches <= 50, "{matches}");
    }
}
