//! Relay's built-in PII rules as data, the way `relay-pii/src/builtin.rs`
//! keeps them: each rule type's name, what it finds, the variant its bare
//! `@name` stands for, the text its `replace` variant writes and the
//! variants Relay defines; and the bundles of rules. `config` turns an id
//! (`@email`, `@email:hash`, `@common`) into a rule with these; the output
//! must be the `sentry-relay` wheel's for the same id.

use super::rules::Kind;

/// One built-in rule type: `@name`, and `@name:variant` for each variant.
pub(super) struct RuleType {
    pub(super) name: &'static str,
    pub(super) kind: Kind,
    /// What `@name` alone means (it reports `@name`, hiding the variant).
    pub(super) default_variant: &'static str,
    /// What `@name:replace` writes.
    pub(super) replace_text: &'static str,
    pub(super) variants: &'static [&'static str],
}

pub(super) static RULE_TYPES: [RuleType; 15] = [
    RuleType {
        name: "anything",
        kind: Kind::Anything,
        default_variant: "replace",
        replace_text: "[Filtered]",
        variants: &["remove", "replace", "hash", "mask", "filter"],
    },
    RuleType {
        name: "ip",
        kind: Kind::Ip,
        default_variant: "replace",
        replace_text: "[ip]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "imei",
        kind: Kind::Imei,
        default_variant: "replace",
        replace_text: "[imei]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "mac",
        kind: Kind::Mac,
        default_variant: "mask",
        replace_text: "[mac]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "uuid",
        kind: Kind::Uuid,
        default_variant: "mask",
        replace_text: "[uuid]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "email",
        kind: Kind::Email,
        default_variant: "replace",
        replace_text: "[email]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "iban",
        kind: Kind::Iban,
        default_variant: "replace",
        replace_text: "[iban]",
        variants: &["replace", "hash", "mask", "filter", "remove"],
    },
    RuleType {
        name: "creditcard",
        kind: Kind::Creditcard,
        default_variant: "replace",
        replace_text: "[creditcard]",
        variants: &["replace", "hash", "mask", "filter", "remove"],
    },
    RuleType {
        name: "pemkey",
        kind: Kind::Pemkey,
        default_variant: "replace",
        replace_text: "[pemkey]",
        variants: &["replace", "filter", "hash", "mask", "remove"],
    },
    RuleType {
        name: "urlauth",
        kind: Kind::UrlAuth,
        default_variant: "replace",
        replace_text: "[auth]",
        variants: &["replace", "hash", "mask", "remove"],
    },
    RuleType {
        name: "usssn",
        kind: Kind::UsSsn,
        default_variant: "mask",
        replace_text: "[us-ssn]",
        variants: &["replace", "filter", "mask", "hash", "remove"],
    },
    RuleType {
        name: "userpath",
        kind: Kind::Userpath,
        default_variant: "replace",
        replace_text: "[user]",
        variants: &["replace", "mask", "hash", "remove"],
    },
    RuleType {
        name: "password",
        kind: Kind::Password,
        default_variant: "remove",
        replace_text: "[password]",
        variants: &["filter", "hash", "replace", "mask", "remove"],
    },
    RuleType {
        name: "bearer",
        kind: Kind::Bearer,
        default_variant: "replace",
        replace_text: "Bearer [token]",
        variants: &["replace", "filter", "mask", "hash", "remove"],
    },
    RuleType {
        name: "cookies",
        kind: Kind::Cookies,
        default_variant: "filter",
        replace_text: "[Filtered]",
        variants: &["filter"],
    },
];

/// Ids that stand for several rules at once.
pub(super) static BUNDLES: [(&str, &[&str]); 2] = [
    (
        "@common",
        &[
            "@iban",
            "@ip",
            "@email",
            "@creditcard",
            "@pemkey",
            "@urlauth",
            "@userpath",
            "@password",
            "@usssn",
            "@bearer",
        ],
    ),
    (
        "@common:filter",
        &[
            "@creditcard:filter",
            "@iban:filter",
            "@pemkey:filter",
            "@urlauth:legacy",
            "@userpath:filter",
            "@password:filter",
            "@usssn:filter",
            "@bearer:filter",
        ],
    ),
];
