//! Sentry's legacy data-scrubbing settings, converted to a Relay PII config
//! the way Relay converts them (`relay-pii/src/convert.rs`).
//!
//! A project's "Data Scrubber", "Use Default Scrubbers", "Prevent Storing of
//! IP Addresses", "Additional Sensitive Fields" and "Safe Fields" become one
//! application over every string, number, list and object outside a few
//! always-safe places, plus the IP fields, the message-like fields that only
//! get value patterns, and the session cookies. The conversion is compared
//! with `sentry_relay.convert_datascrubbing_config` in the Python suite.

use serde_json::{json, Map, Value};

use super::regexes::SENSITIVE_COOKIES;
use super::selector::Selector;
use crate::policy::DataScrubbing;

const EVERYTHING_BUT_SAFE_PLACES: &str = "($string || $number || $array || $object) && \
     !(debug_meta.** || $frame.filename || $frame.abs_path || $logentry.formatted || \
     $error.value || $http.headers.user-agent)";

const IP_FIELDS: &str = "$http.env.REMOTE_ADDR || $user.ip_address || $sdk.client_ip || \
     $span.sentry_tags.'user.ip' || attributes.'client.address'";

/// Span data and log fields that carry free text (prompts, tool results).
const FREE_TEXT_KEYS: &[&str] = &[
    "gen_ai.input.messages",
    "gen_ai.prompt",
    "gen_ai.request.messages",
    "gen_ai.tool.call.arguments",
    "gen_ai.tool.input",
    "gen_ai.tool.call.result",
    "gen_ai.tool.output",
    "gen_ai.output.messages",
    "gen_ai.response.tool_calls",
    "gen_ai.response.text",
    "gen_ai.response.object",
    "gen_ai.tool.definitions",
    "gen_ai.request.available_tools",
    "gen_ai.tool.name",
    "mcp.prompt.result",
    "mcp.tool.result.content",
];

/// The Relay config the settings stand for; `None` when they scrub nothing.
pub(crate) fn to_relay_config(settings: &DataScrubbing) -> Option<Value> {
    if !settings.scrub_data {
        return None;
    }
    let mut rules = Map::new();
    let mut applications = Map::new();
    let mut main_rules = Vec::new();
    if settings.scrub_defaults {
        main_rules.push("@common:filter");
    }
    if settings.scrub_ip_addresses {
        main_rules.push("@ip:replace");
    }
    let sensitive: Vec<String> = trimmed(&settings.sensitive_fields)
        .map(escape_regex)
        .collect();
    if !sensitive.is_empty() {
        rules.insert(
            "strip-fields".to_owned(),
            json!({"type": "redact_pair", "keyPattern": sensitive.join("|"),
                   "redaction": {"method": "replace", "text": "[Filtered]"}}),
        );
        main_rules.push("strip-fields");
    }
    if main_rules.is_empty() {
        return None;
    }
    let mut main_selector = EVERYTHING_BUT_SAFE_PLACES.to_owned();
    for field in trimmed(&settings.exclude_fields) {
        main_selector.push_str(" && !");
        main_selector.push_str(&as_selector(field));
    }
    applications.insert(main_selector, json!(main_rules));
    if settings.scrub_ip_addresses {
        applications.insert(IP_FIELDS.to_owned(), json!(["@anything:remove"]));
    }
    if settings.scrub_defaults {
        let free_text = ["$logentry.formatted", "$log.body"]
            .into_iter()
            .map(str::to_owned)
            .chain(FREE_TEXT_KEYS.iter().flat_map(|key| {
                [
                    format!("$span.data.'{key}'"),
                    format!("attributes.'{key}'.value"),
                ]
            }))
            .collect::<Vec<_>>()
            .join(" || ");
        applications.insert(
            free_text,
            json!([
                "@email:replace",
                "@creditcard:replace",
                "@iban:replace",
                "@usssn:replace",
                "@bearer:replace"
            ]),
        );
        let cookies = SENSITIVE_COOKIES
            .iter()
            .flat_map(|name| {
                [
                    format!("*.cookies.{name}"),
                    format!("*.'http.request.header.cookie.{name}'"),
                    format!("*.'http.response.header.set-cookie.{name}'"),
                ]
            })
            .collect::<Vec<_>>()
            .join(" || ");
        applications.insert(cookies, json!(["@anything:filter"]));
        applications.insert(
            "*.'http.request.header.cookie'.* || *.'http.request.header.cookie' || \
             *.'http.response.header.set-cookie'.* || *.'http.response.header.set-cookie'"
                .to_owned(),
            json!(["@cookies:filter"]),
        );
    }
    let mut config = Map::new();
    if !rules.is_empty() {
        config.insert("rules".to_owned(), Value::Object(rules));
    }
    config.insert("applications".to_owned(), Value::Object(applications));
    Some(Value::Object(config))
}

fn trimmed(fields: &[String]) -> impl Iterator<Item = &str> {
    fields
        .iter()
        .map(|field| field.trim())
        .filter(|field| !field.is_empty())
}

/// A safe field as a selector: as written when it is one, else quoted as a key.
fn as_selector(field: &str) -> String {
    if Selector::parse(field).is_ok() {
        field.to_owned()
    } else {
        format!("'{}'", field.replace('\'', "''"))
    }
}

/// Escapes regex syntax as Rust's `regex::escape` does.
fn escape_regex(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(sensitive: &[&str], exclude: &[&str]) -> DataScrubbing {
        DataScrubbing {
            scrub_data: true,
            scrub_defaults: true,
            sensitive_fields: sensitive.iter().map(|s| (*s).to_owned()).collect(),
            exclude_fields: exclude.iter().map(|s| (*s).to_owned()).collect(),
            ..DataScrubbing::default()
        }
    }

    #[test]
    fn nothing_to_scrub_is_no_config() {
        assert_eq!(to_relay_config(&DataScrubbing::default()), None);
        let only_flag = DataScrubbing {
            scrub_data: true,
            ..DataScrubbing::default()
        };
        assert_eq!(to_relay_config(&only_flag), None);
    }

    #[test]
    fn sensitive_fields_become_one_escaped_key_pattern() {
        let config = to_relay_config(&settings(&["Foo", "b.a*r", " sp ", ""], &[])).unwrap();
        assert_eq!(
            config["rules"]["strip-fields"]["keyPattern"],
            r"Foo|b\.a\*r|sp"
        );
    }

    #[test]
    fn safe_fields_are_selectors_when_they_parse_and_quoted_keys_otherwise() {
        let config = to_relay_config(&settings(&[], &["a", "B.c", "a b", "$x", "x'y"])).unwrap();
        let main = config["applications"]
            .as_object()
            .unwrap()
            .keys()
            .find(|selector| selector.starts_with("($string"))
            .unwrap()
            .clone();
        assert!(
            main.ends_with(r"&& !a && !B.c && !'a b' && !'$x' && !'x''y'"),
            "{main}"
        );
        assert!(Selector::parse(&main).is_ok());
    }
}
