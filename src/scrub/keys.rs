//! Which keys name a secret.
//!
//! The built-in lists are sentry-python's (`sentry_sdk.scrubber.DEFAULT_DENYLIST`
//! and `DEFAULT_PII_DENYLIST`), so a team moving from EventScrubber loses
//! nothing. sentry-python compares whole keys, case-insensitively, which
//! misses `X-Api-Key` (`x-api-key` is not `x_api_key`), `api_token` and
//! `client_secret`. preflight therefore normalises keys (lower case, `-` as
//! `_`) and, by default, matches a listed word wherever it is a *word* of
//! the key: `authToken`, `X-Auth-Token`, `client_secret`, `accesstoken`
//! (a known first half, then the word), `passwords` (the word, then a known
//! ending) name secrets; `author`, `authority` and `tokenizer` do not.

use std::cell::RefCell;

use crate::key_memo::{next_owner, remembered, KeyMemo};
use crate::policy::{KeyMatch, ScrubPolicy};

/// sentry-python's default denylist.
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "api_key",
    "apikey",
    "auth",
    "credentials",
    "mysql_pwd",
    "privatekey",
    "private_key",
    "token",
    "session",
    "csrftoken",
    "sessionid",
    "x_csrftoken",
    "x_forwarded_for",
    "set_cookie",
    "cookie",
    "authorization",
    "proxy-authorization",
    "x_api_key",
    "aiohttp_session",
    "connect.sid",
    "csrf_token",
    "csrf",
    "_csrf",
    "_csrf_token",
    "PHPSESSID",
    "_session",
    "symfony",
    "user_session",
    "_xsrf",
    "XSRF-TOKEN",
    // The singular of sentry-python's `credentials`: words do not match inside words.
    "credential",
];

/// sentry-python's PII denylist: applied unless `send_default_pii`.
const PII_KEYS: &[&str] = &["x_forwarded_for", "x_real_ip", "ip_address", "remote_addr"];

/// Keys that contain a listed word but are known to hold no secret: counts
/// of LLM tokens (`token` is a secret word), as OpenAI, Anthropic and the
/// OpenTelemetry GenAI conventions name them. A key is safe when it, or its
/// last `.`-separated segment (`gen_ai.request.max_tokens`), is listed.
/// Part of the defaults, so `"defaults": false` drops them with the built-in lists.
const SAFE_KEYS: &[&str] = &[
    "token_count",
    "max_tokens",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    "gen_ai.usage.input_tokens.cached",
    "gen_ai.usage.input_tokens.cache_write",
    "gen_ai.usage.output_tokens.reasoning",
];

/// The list a key was found on; each has its own rule id in `_meta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRule {
    /// A key from the policy's `scrub.deny_keys`.
    Deny,
    /// A key from the built-in secret list.
    Secret,
    /// A key from the built-in PII list.
    Pii,
}

impl KeyRule {
    pub(crate) fn rule_id(self) -> &'static str {
        match self {
            KeyRule::Deny => "@preflight:deny-key",
            KeyRule::Secret => "@preflight:secret-key",
            KeyRule::Pii => "@preflight:pii-key",
        }
    }
}

/// The key lists of a policy, normalised once at load time.
///
/// Every object key of an event is classified, so this is the hot path of a
/// scrub. Words are bucketed by their first byte: at each position of a key
/// only the few words that can start there are compared, instead of
/// searching the key for each of the ~40 words in turn; and a table of the
/// words' first two bytes turns away almost every position with one lookup.
#[derive(Debug, Clone)]
pub(crate) struct KeyRules {
    /// This set of rules' number in the per-thread cache.
    id: u64,
    mode: KeyMatch,
    /// Normalised words in priority order: `deny_keys` first, then the built-ins.
    listed: Vec<(String, KeyRule)>,
    /// For each byte value, the indices in `listed` of the words starting with it.
    by_first_byte: Vec<Vec<usize>>,
    /// Bit `first << 8 | second` is set when a word starts with those two
    /// bytes (a one-byte word sets every `second`, including 0, which stands
    /// for the end of the text).
    word_starts: Box<[u64; 1024]>,
    safe: Vec<String>,
}

/// Keys up to this long are normalised on the stack.
const STACK_KEY_BYTES: usize = 64;

/// First halves of compound keys written as one word (`accesstoken`,
/// `newpassword`): a listed word right after one of them is a word of its own.
const COMPOUND_STARTS: &[&str] = &[
    "access",
    "refresh",
    "auth",
    "api",
    "client",
    "app",
    "private",
    "user",
    "db",
    "admin",
    "master",
    "signing",
    "secret",
    "session",
    "bearer",
    "oauth",
    "id",
    "x",
    "csrf",
    "xsrf",
    "personal",
    "service",
    "bot",
    "webhook",
    "encryption",
    "deploy",
    "root",
    "my",
    "new",
    "old",
    "current",
    "confirm",
    "login",
    "account",
    "aws",
    "github",
    "gitlab",
    "slack",
    "stripe",
    "google",
    "npm",
    "jwt",
    "sso",
    "ssh",
    "smtp",
    "mysql",
    "redis",
];

/// Endings of compound keys (`passwords`, `sessionid`, `secretkey`): a
/// listed word right before one of them is a word of its own.
const COMPOUND_ENDS: &[&str] = &[
    "s",
    "es",
    "id",
    "ids",
    "key",
    "keys",
    "token",
    "tokens",
    "secret",
    "secrets",
    "hash",
    "value",
    "cookie",
    "header",
    "str",
    "string",
    "text",
    "hex",
    "enc",
    "encrypted",
    "b64",
    "base64",
];

impl KeyRules {
    pub(crate) fn new(policy: &ScrubPolicy) -> Self {
        let mut listed: Vec<(String, KeyRule)> = policy
            .deny_keys
            .iter()
            .map(|key| (normalise(key), KeyRule::Deny))
            .collect();
        let mut safe: Vec<String> = policy.safe_keys.iter().map(|key| normalise(key)).collect();
        if policy.defaults {
            listed.extend(
                SECRET_KEYS
                    .iter()
                    .map(|key| (normalise(key), KeyRule::Secret)),
            );
            if !policy.send_default_pii {
                listed.extend(PII_KEYS.iter().map(|key| (normalise(key), KeyRule::Pii)));
            }
            safe.extend(SAFE_KEYS.iter().map(|key| normalise(key)));
        }
        let mut by_first_byte = vec![Vec::new(); 256];
        let mut word_starts = Box::new([0u64; 1024]);
        let mut mark = |first: u8, second: u8| {
            let bit = usize::from(first) << 8 | usize::from(second);
            word_starts[bit >> 6] |= 1 << (bit & 63);
        };
        for (index, (word, _)) in listed.iter().enumerate() {
            match *word.as_bytes() {
                [] => {}
                [only] => (0..=u8::MAX).for_each(|second| mark(only, second)),
                [first, second, ..] => mark(first, second),
            }
            if let Some(first) = word.bytes().next() {
                by_first_byte[usize::from(first)].push(index);
            }
        }
        KeyRules {
            id: next_owner(),
            mode: policy.key_match,
            listed,
            by_first_byte,
            word_starts,
            safe,
        }
    }

    /// Whether a listed word starts with the two bytes at `start` of the
    /// normalised `text`: the two-byte table's answer.
    #[inline]
    fn may_start_at(&self, text: &[u8], start: usize) -> bool {
        let second = text.get(start + 1).map_or(0, |byte| usize::from(*byte));
        let bit = usize::from(text[start]) << 8 | second;
        self.word_starts[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// This set of rules' number, unique in the process.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The rule that makes `key` a secret, if any (remembered per thread).
    pub(crate) fn classify(&self, key: &str) -> Option<KeyRule> {
        if self.listed.is_empty() {
            return None;
        }
        remembered(&CLASSIFIED, self.id, key, |key| self.classify_now(key))
    }

    fn classify_now(&self, key: &str) -> Option<KeyRule> {
        with_normalised(key, |normalised| {
            self.classify_normalised(key.as_bytes(), normalised)
        })
    }

    /// Whether `key` is declared safe (an LLM token count, `scrub.safe_keys`).
    pub(crate) fn is_safe(&self, key: &str) -> bool {
        with_normalised(key, |key| self.is_safe_normalised(key))
    }

    fn is_safe_normalised(&self, key: &[u8]) -> bool {
        let last_segment = key.rsplit(|b| *b == b'.').next().unwrap_or(key);
        self.safe
            .iter()
            .any(|safe| safe.as_bytes() == key || safe.as_bytes() == last_segment)
    }

    fn classify_normalised(&self, original: &[u8], key: &[u8]) -> Option<KeyRule> {
        // Lower indices are earlier lists (deny_keys first): the lowest wins.
        let best = match self.mode {
            KeyMatch::Exact => key.first().and_then(|first| {
                self.by_first_byte[usize::from(*first)]
                    .iter()
                    .copied()
                    .find(|&index| self.listed[index].0.as_bytes() == key)
            }),
            KeyMatch::Substring | KeyMatch::Words => {
                // Case boundaries are read from the original key when
                // normalising kept every byte where it was (ASCII keys).
                let original = (original.len() == key.len()).then_some(original);
                let mut best = usize::MAX;
                for start in 0..key.len() {
                    if !self.may_start_at(key, start) {
                        continue;
                    }
                    // Each bucket is in list order: the first word that fits is the best here.
                    for &index in &self.by_first_byte[usize::from(key[start])] {
                        if index >= best {
                            break;
                        }
                        let word = self.listed[index].0.as_bytes();
                        let fits = key[start..].starts_with(word)
                            && (self.mode == KeyMatch::Substring
                                || (word_starts_at(original, key, start)
                                    && word_ends_at(original, key, start + word.len())));
                        if fits {
                            best = index;
                            break;
                        }
                    }
                }
                (best != usize::MAX).then_some(best)
            }
        };
        // Most keys name no secret: the safe list is consulted only for those that do.
        best.map(|index| self.listed[index].1)
            .filter(|_| !self.is_safe_normalised(key))
    }
}

thread_local! {
    /// Key classifications, for every `KeyRules` (see `crate::key_memo`).
    static CLASSIFIED: RefCell<KeyMemo<Option<KeyRule>>> = const { RefCell::new(KeyMemo::new()) };
}

/// Whether a word of the key starts at `at`: at its start, after a
/// separator, at a case change (`authToken`, `XMLHttp`) or a change between
/// letters and digits, or right after a known first half (`accesstoken`).
fn word_starts_at(original: Option<&[u8]>, key: &[u8], at: usize) -> bool {
    if boundary(original, key, at) {
        return true;
    }
    let word_start = (0..at)
        .rev()
        .find(|&i| boundary(original, key, i))
        .unwrap_or(0);
    COMPOUND_STARTS
        .iter()
        .any(|start| key[word_start..at] == *start.as_bytes())
}

/// Whether a word of the key ends at `at`: as a boundary does, or right
/// before a known ending (`passwords`, `secretkey`).
fn word_ends_at(original: Option<&[u8]>, key: &[u8], at: usize) -> bool {
    if at == key.len() || boundary(original, key, at) {
        return true;
    }
    let word_end = (at + 1..key.len())
        .find(|&i| boundary(original, key, i))
        .unwrap_or(key.len());
    COMPOUND_ENDS
        .iter()
        .any(|end| key[at..word_end] == *end.as_bytes())
}

/// Whether a word boundary falls between `at - 1` and `at`.
fn boundary(original: Option<&[u8]>, key: &[u8], at: usize) -> bool {
    if at == 0 || at >= key.len() {
        return true;
    }
    let (before, here) = (key[at - 1], key[at]);
    if !before.is_ascii_alphanumeric() || !here.is_ascii_alphanumeric() {
        return true;
    }
    if before.is_ascii_digit() != here.is_ascii_digit() {
        return true;
    }
    let Some(original) = original else {
        return false;
    };
    let (before, here) = (original[at - 1], original[at]);
    let after = original.get(at + 1).copied();
    (before.is_ascii_lowercase() && here.is_ascii_uppercase())
        || (before.is_ascii_uppercase()
            && here.is_ascii_uppercase()
            && after.is_some_and(|b| b.is_ascii_lowercase()))
}

/// Each ASCII byte as `normalise` writes it (lower case, `-` as `_`).
const NORMALISED: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = match byte as u8 {
            b'-' => b'_',
            b => b.to_ascii_lowercase(),
        };
        byte += 1;
    }
    table
};

/// Runs `visit` on the normalised key's bytes, without allocating for
/// short ASCII keys.
fn with_normalised<R>(key: &str, visit: impl FnOnce(&[u8]) -> R) -> R {
    if key.len() <= STACK_KEY_BYTES && key.is_ascii() {
        let mut buffer = [0u8; STACK_KEY_BYTES];
        for (slot, byte) in buffer.iter_mut().zip(key.bytes()) {
            *slot = NORMALISED[usize::from(byte)];
        }
        return visit(&buffer[..key.len()]);
    }
    visit(normalise(key).as_bytes())
}

/// Lower case, with `-` spelled `_`: `X-Api-Key` and `x_api_key` are one key.
fn normalise(key: &str) -> String {
    let mut normalised = String::with_capacity(key.len());
    for character in key.chars() {
        if character == '-' {
            normalised.push('_');
        } else {
            crate::lower_case::push_lower(character, &mut normalised);
        }
    }
    normalised
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(edit: impl FnOnce(&mut ScrubPolicy)) -> KeyRules {
        let mut policy = ScrubPolicy::default();
        edit(&mut policy);
        KeyRules::new(&policy)
    }

    #[test]
    fn words_mode_catches_variants_and_leaves_words_that_only_contain_one() {
        let keys = rules(|_| {});
        for key in [
            "api_token",
            "client_secret",
            "X-Api-Key",
            "accessToken",
            "authToken",
            "X-Auth-Token",
            "accesstoken",
            "passwords",
            "XSRF-TOKEN",
            "connect.sid",
            "PHPSESSID",
            "credential",
            "b'x-api-key'",
        ] {
            assert_eq!(keys.classify(key), Some(KeyRule::Secret), "{key}");
        }
        for key in [
            "author",
            "authority",
            "tokenizer",
            "secretary",
            "authenticated",
            "username",
        ] {
            assert_eq!(keys.classify(key), None, "{key}");
        }
        assert_eq!(keys.classify("REMOTE_ADDR"), Some(KeyRule::Pii));
        assert_eq!(keys.classify("gen_ai.usage.input_tokens"), None);
    }

    #[test]
    fn substring_mode_catches_variants() {
        let keys = rules(|policy| policy.key_match = KeyMatch::Substring);
        for key in [
            "api_token",
            "client_secret",
            "X-Api-Key",
            "accessToken",
            "XSRF-TOKEN",
            "connect.sid",
        ] {
            assert_eq!(keys.classify(key), Some(KeyRule::Secret), "{key}");
        }
        assert_eq!(keys.classify("REMOTE_ADDR"), Some(KeyRule::Pii));
        assert_eq!(keys.classify("username"), None);
        assert_eq!(keys.classify("gen_ai.usage.input_tokens"), None);
        assert_eq!(keys.classify("ÜBER_PASSWORD"), Some(KeyRule::Secret));
        assert_eq!(
            keys.classify(&format!("{}_token", "x".repeat(100))),
            Some(KeyRule::Secret)
        );
    }

    #[test]
    fn the_cache_answers_as_the_rules_do_and_never_across_policies() {
        let defaults = rules(|_| {});
        let exact = rules(|policy| policy.key_match = KeyMatch::Exact);
        let keys: Vec<String> = (0..2000)
            .map(|n| format!("key{n}_{}", ["token", "name", "Secret", "x"][n % 4]))
            .collect();
        for _ in 0..2 {
            for key in &keys {
                for rules in [&defaults, &exact] {
                    assert_eq!(rules.classify(key), rules.classify_now(key), "{key}");
                }
            }
        }
        assert_eq!(defaults.classify("api_token"), Some(KeyRule::Secret));
        assert_eq!(
            exact.classify("api_token"),
            None,
            "the other policy's answer is not reused"
        );
        let long = format!("{}_password", "x".repeat(40));
        assert_eq!(defaults.classify(&long), Some(KeyRule::Secret));
    }

    #[test]
    fn earlier_lists_win_when_several_words_match() {
        let keys = rules(|policy| policy.deny_keys = vec!["customer".into()]);
        assert_eq!(keys.classify("customer_password"), Some(KeyRule::Deny));
        assert_eq!(keys.classify("x_forwarded_for"), Some(KeyRule::Secret));
    }

    #[test]
    fn exact_mode_is_whole_key() {
        let keys = rules(|policy| policy.key_match = KeyMatch::Exact);
        assert_eq!(keys.classify("Password"), Some(KeyRule::Secret));
        assert_eq!(keys.classify("X-Api-Key"), Some(KeyRule::Secret));
        assert_eq!(keys.classify("api_token"), None);
    }

    #[test]
    fn safe_keys_win_and_pii_follows_send_default_pii() {
        let keys = rules(|policy| {
            policy.safe_keys = vec!["token_count".into()];
            policy.send_default_pii = true;
        });
        assert_eq!(keys.classify("token_count"), None);
        assert_eq!(keys.classify("Token-Count"), None);
        assert_eq!(keys.classify("remote_addr"), None);
        assert_eq!(keys.classify("x_forwarded_for"), Some(KeyRule::Secret));
    }

    #[test]
    fn deny_keys_apply_without_defaults() {
        let keys = rules(|policy| {
            policy.defaults = false;
            policy.deny_keys = vec!["SSN".into()];
        });
        assert_eq!(keys.classify("customer_ssn"), Some(KeyRule::Deny));
        assert_eq!(keys.classify("password"), None);
    }
}
