//! The families of secrets and personal data the built-in finders know.
//!
//! A family is what a policy switches on and off (`"!@phone"`) and what
//! `_meta` names (`@preflight:phone`). Its place in this list is its
//! priority: where two findings overlap, the family higher up wins (a URL's
//! password is not also an email; a `password=` pair takes its value whole,
//! whatever token it holds). Token formats (`tokens`) and finders name their
//! family here; adding a family is adding a row.

/// Where a family may be looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Keys, tokens, passwords: looked for everywhere, source code included.
    Credential,
    /// Personal data: not in source code unless the policy says so.
    Personal,
    /// IP addresses: personal data that version numbers imitate, so not in a
    /// User-Agent either.
    Address,
}

/// A family: its policy name and class. Off by default when `opt_in`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FamilyInfo {
    pub(crate) name: &'static str,
    pub(crate) class: Class,
    /// Personal data `send_default_pii` lets through (sentry-sdk's own rule
    /// for IP addresses and emails).
    pub(crate) default_pii: bool,
}

const fn credential(name: &'static str) -> FamilyInfo {
    FamilyInfo {
        name,
        class: Class::Credential,
        default_pii: false,
    }
}

const fn personal(name: &'static str, default_pii: bool) -> FamilyInfo {
    FamilyInfo {
        name,
        class: Class::Personal,
        default_pii,
    }
}

/// Every family, in priority order.
pub(crate) const FAMILIES: &[FamilyInfo] = &[
    credential("pemkey"),
    credential("urlauth"),
    credential("kubernetes-secret"),
    credential("nuget-password"),
    credential("curl-auth"),
    credential("secret-pair"),
    credential("bearer"),
    credential("jwt"),
    credential("aws-key"),
    credential("stripe-key"),
    credential("github-token"),
    credential("slack-token"),
    credential("slack-webhook"),
    credential("google-api-key"),
    credential("llm-api-key"),
    credential("gitlab-token"),
    credential("npm-token"),
    credential("1password-key"),
    credential("adobe-secret"),
    credential("age-key"),
    credential("airtable-token"),
    credential("alibaba-key"),
    credential("artifactory-token"),
    credential("atlassian-token"),
    credential("authress-key"),
    credential("azure-secret"),
    credential("azure-storage-key"),
    credential("brevo-key"),
    credential("clickhouse-key"),
    credential("clojars-token"),
    credential("cloudflare-key"),
    credential("databricks-token"),
    credential("defined-networking-key"),
    credential("digitalocean-token"),
    credential("discord-token"),
    credential("discord-webhook"),
    credential("doppler-token"),
    credential("dropbox-token"),
    credential("duffel-token"),
    credential("dynatrace-token"),
    credential("easypost-key"),
    credential("facebook-token"),
    credential("flutterwave-key"),
    credential("flyio-token"),
    credential("frameio-token"),
    credential("grafana-token"),
    credential("harness-key"),
    credential("heroku-key"),
    credential("huggingface-token"),
    credential("infracost-token"),
    credential("intra42-secret"),
    credential("linear-key"),
    credential("mailchimp-key"),
    credential("mailgun-key"),
    credential("mapbox-token"),
    credential("maxmind-key"),
    credential("new-relic-key"),
    credential("notion-token"),
    credential("octopus-key"),
    credential("openshift-token"),
    credential("planetscale-token"),
    credential("plaid-token"),
    credential("postman-key"),
    credential("prefect-key"),
    credential("pulumi-token"),
    credential("pypi-token"),
    credential("readme-key"),
    credential("rubygems-key"),
    credential("scalingo-token"),
    credential("sendgrid-key"),
    credential("sentry-token"),
    credential("settlemint-token"),
    credential("shippo-token"),
    credential("shopify-token"),
    credential("sonar-token"),
    credential("sourcegraph-token"),
    credential("square-token"),
    credential("teams-webhook"),
    credential("telegram-token"),
    credential("terraform-token"),
    credential("twilio-key"),
    credential("twitter-token"),
    credential("typeform-token"),
    credential("vault-token"),
    credential("yandex-key"),
    personal("creditcard", false),
    personal("iban", false),
    personal("usssn", false),
    personal("us-itin", false),
    personal("imei", false),
    personal("phone", false),
    personal("mac-address", false),
    personal("bitcoin-address", false),
    personal("ethereum-address", false),
    personal("email", true),
    FamilyInfo {
        name: "ip",
        class: Class::Address,
        default_pii: true,
    },
];

/// A family's index in [`FAMILIES`]. Every caller is a `const`, so a name
/// that is not listed fails the build (indexing the empty list below).
pub(crate) const fn index_of(name: &str) -> usize {
    let mut index = 0;
    while index < FAMILIES.len() {
        if str_eq(FAMILIES[index].name, name) {
            return index;
        }
        index += 1;
    }
    let unlisted: [usize; 0] = [];
    unlisted[index - FAMILIES.len()]
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The names of every family, as the policy spells them (`"@creditcard"`).
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    FAMILIES.iter().map(|family| family.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for name in names() {
            assert!(seen.insert(name), "{name} is listed twice");
        }
    }
}
