//! Sentry's legacy data-scrubbing settings as the policy holds them: read by
//! `policy.rs` whether or not this build carries Relay's rules, so that a
//! build without them can still name what it was given (see `absent.rs`).

/// The settings, with Relay's member names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataScrubbing {
    pub scrub_data: bool,
    pub scrub_defaults: bool,
    pub scrub_ip_addresses: bool,
    pub sensitive_fields: Vec<String>,
    pub exclude_fields: Vec<String>,
}
