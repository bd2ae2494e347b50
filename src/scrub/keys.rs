//! Which keys name a secret.
//!
//! The built-in lists are sentry-python's (`sentry_sdk.scrubber.DEFAULT_DENYLIST`
//! and `DEFAULT_PII_DENYLIST`), so a team moving from EventScrubber loses
//! nothing. sentry-python compares whole keys, case-insensitively, which
//! misses `X-Api-Key` (`x-api-key` is not `x_api_key`), `api_token` and
//! `client_secret`. preflight therefore normalises keys (lower case, `-` as
//! `_`) and, by default, matches a listed word anywhere in the key.

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
            mode: policy.key_match,
            listed,
            by_first_byte,
            word_starts,
            safe,
        }
    }

    /// Whether a word may start at `start` of `text` (already normalised when
    /// `normalise_byte` is the identity): the two-byte table's answer.
    fn may_start_at(&self, text: &[u8], start: usize, normalise_byte: impl Fn(u8) -> u8) -> bool {
        let first = normalise_byte(text[start]);
        let second = text.get(start + 1).map_or(0, |byte| normalise_byte(*byte));
        let bit = usize::from(first) << 8 | usize::from(second);
        self.word_starts[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// The rule that makes `key` a secret, if any.
    pub(crate) fn classify(&self, key: &str) -> Option<KeyRule> {
        if self.listed.is_empty() {
            return None;
        }
        with_normalised(key, |key| self.classify_normalised(key))
    }

    /// Indices in `listed` of the words occurring in `text`, wherever they start.
    fn occurrences<'a>(&'a self, text: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let starts = (0..text.len()).filter(move |&start| self.may_start_at(text, start, |b| b));
        starts.flat_map(move |start| {
            self.by_first_byte[usize::from(text[start])]
                .iter()
                .copied()
                .filter(move |&index| text[start..].starts_with(self.listed[index].0.as_bytes()))
        })
    }

    /// Whether `key` is declared safe (an LLM token count, `scrub.safe_keys`).
    pub(crate) fn is_safe(&self, key: &str) -> bool {
        with_normalised(key, |key| self.is_safe_normalised(key))
    }

    fn is_safe_normalised(&self, key: &str) -> bool {
        let last_segment = key.rsplit('.').next().unwrap_or(key);
        self.safe
            .iter()
            .any(|safe| safe == key || safe == last_segment)
    }

    fn classify_normalised(&self, key: &str) -> Option<KeyRule> {
        let bytes = key.as_bytes();
        // Lower indices are earlier lists (deny_keys first): the lowest wins.
        let best = match self.mode {
            KeyMatch::Substring => self.occurrences(bytes).min(),
            KeyMatch::Exact => bytes.first().and_then(|first| {
                self.by_first_byte[usize::from(*first)]
                    .iter()
                    .copied()
                    .find(|&index| self.listed[index].0.as_bytes() == bytes)
            }),
        };
        // Most keys name no secret: the safe list is consulted only for those that do.
        best.map(|index| self.listed[index].1)
            .filter(|_| !self.is_safe_normalised(key))
    }
}

/// One ASCII byte of a key as `normalise` writes it.
fn normalised_byte(byte: u8) -> u8 {
    if byte == b'-' {
        b'_'
    } else {
        byte.to_ascii_lowercase()
    }
}

/// Runs `visit` on the normalised key, without allocating for short ASCII keys.
fn with_normalised<R>(key: &str, visit: impl FnOnce(&str) -> R) -> R {
    if key.len() <= STACK_KEY_BYTES && key.is_ascii() {
        let mut buffer = [0u8; STACK_KEY_BYTES];
        for (slot, byte) in buffer.iter_mut().zip(key.bytes()) {
            *slot = normalised_byte(byte);
        }
        if let Ok(normalised) = std::str::from_utf8(&buffer[..key.len()]) {
            return visit(normalised);
        }
    }
    visit(&normalise(key))
}

/// Lower case, with `-` spelled `_`: `X-Api-Key` and `x_api_key` are one key.
fn normalise(key: &str) -> String {
    key.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' { '_' } else { c })
        .collect()
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
    fn substring_mode_catches_variants() {
        let keys = rules(|_| {});
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
