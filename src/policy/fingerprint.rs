//! The `fingerprint` section: Sentry's fingerprint rules as text, parsed
//! and compiled by `crate::fingerprint`.

use super::reader::Member;
use super::PolicyError;

/// The `fingerprint` section: grouping decided in the process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FingerprintPolicy {
    /// Sentry's fingerprint rules, one per line (given as one text or a list of lines).
    pub rules: Vec<String>,
    /// Replace the variable parts of messages (numbers, ids, addresses, dates,
    /// quoted strings) by placeholders in fingerprints.
    pub parameterize_messages: bool,
}

pub(super) fn read_fingerprint(member: &Member<'_>) -> Result<FingerprintPolicy, PolicyError> {
    let section = member.object(&["rules", "parameterize_messages"])?;
    let mut fingerprint = FingerprintPolicy::default();
    if let Some(rules) = section.get("rules") {
        fingerprint.rules = match rules.string() {
            Ok(text) => vec![text.to_owned()],
            Err(_) => rules
                .array()
                .map_err(|_| rules.error("expected the rule text, or an array of lines"))?
                .iter()
                .map(|line| line.string().map(str::to_owned))
                .collect::<Result<_, _>>()?,
        };
    }
    if let Some(parameterize) = section.get("parameterize_messages") {
        fingerprint.parameterize_messages = parameterize.bool()?;
    }
    Ok(fingerprint)
}
