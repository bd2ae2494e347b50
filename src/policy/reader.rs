//! A JSON reader that knows where it is.
//!
//! Every policy error must name the JSON path of the offending member
//! (`scrub.deny_keys[2]: expected a string, found number`). Serde's derive
//! cannot say where a type mismatch happened, so the policy is read by hand
//! through this small cursor, which carries its path and turns every mismatch
//! into a [`PolicyError`] at that path.

use serde_json::{Map, Value};

use super::PolicyError;
use crate::float::json_text;

/// One value of the policy document together with its JSON path.
pub(crate) struct Member<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> Member<'a> {
    pub(crate) fn root(value: &'a Value) -> Self {
        Member {
            value,
            path: String::new(),
        }
    }

    pub(crate) fn error(&self, reason: impl Into<String>) -> PolicyError {
        PolicyError::new(self.path.clone(), reason)
    }

    fn expected(&self, what: &str) -> PolicyError {
        self.error(format!("expected {what}, found {}", type_name(self.value)))
    }

    /// The value as an object whose members must all be in `known`.
    pub(crate) fn object(&self, known: &'static [&'static str]) -> Result<Object<'a>, PolicyError> {
        let map = self
            .value
            .as_object()
            .ok_or_else(|| self.expected("an object"))?;
        if let Some(unknown) = map.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(PolicyError::new(
                child_path(&self.path, unknown),
                format!("unknown member; expected one of: {}", known.join(", ")),
            ));
        }
        Ok(Object {
            map,
            path: self.path.clone(),
        })
    }

    /// The value as it is (for sections read by their own module).
    pub(crate) fn value(&self) -> &'a Value {
        self.value
    }

    pub(crate) fn string(&self) -> Result<&'a str, PolicyError> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    pub(crate) fn non_empty_string(&self) -> Result<&'a str, PolicyError> {
        let text = self.string()?;
        if text.is_empty() {
            return Err(self.error("must not be empty"));
        }
        Ok(text)
    }

    pub(crate) fn bool(&self) -> Result<bool, PolicyError> {
        self.value
            .as_bool()
            .ok_or_else(|| self.expected("true or false"))
    }

    /// A whole number within `min..=max`.
    pub(crate) fn integer_in(&self, min: u64, max: u64) -> Result<u64, PolicyError> {
        let number = self
            .value
            .as_u64()
            .ok_or_else(|| self.expected("a whole number"))?;
        if number < min || number > max {
            return Err(self.error(format!("must be between {min} and {max}, got {number}")));
        }
        Ok(number)
    }

    fn number(&self) -> Result<f64, PolicyError> {
        self.value.as_f64().ok_or_else(|| self.expected("a number"))
    }

    /// A finite number ≥ 0 (a factor, a duration).
    pub(crate) fn non_negative_number(&self) -> Result<f64, PolicyError> {
        let number = self.number()?;
        if number < 0.0 {
            return Err(self.error(format!(
                "must not be negative, got {}",
                json_text(self.value)
            )));
        }
        Ok(number)
    }

    /// A number in [0, 1] (a rate).
    pub(crate) fn fraction(&self) -> Result<f64, PolicyError> {
        let number = self.number()?;
        if !(0.0..=1.0).contains(&number) {
            return Err(self.error(format!(
                "must be between 0 and 1, got {}",
                json_text(self.value)
            )));
        }
        Ok(number)
    }

    /// The members of an object whose members may be anything.
    pub(crate) fn members(&self) -> Result<Vec<(String, Member<'a>)>, PolicyError> {
        let map = self
            .value
            .as_object()
            .ok_or_else(|| self.expected("an object"))?;
        Ok(map
            .iter()
            .map(|(key, value)| {
                (
                    key.clone(),
                    Member {
                        value,
                        path: child_path(&self.path, key),
                    },
                )
            })
            .collect())
    }

    /// One of a fixed set of strings.
    pub(crate) fn one_of(&self, choices: &[&'static str]) -> Result<&'static str, PolicyError> {
        let text = self.string()?;
        choices
            .iter()
            .copied()
            .find(|choice| *choice == text)
            .ok_or_else(|| {
                self.error(format!(
                    "unknown value {text:?}; expected one of: {}",
                    choices.join(", ")
                ))
            })
    }

    pub(crate) fn array(&self) -> Result<Vec<Member<'a>>, PolicyError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| self.expected("an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(index, value)| Member {
                value,
                path: format!("{}[{index}]", self.path),
            })
            .collect())
    }

    /// An array of non-empty strings.
    pub(crate) fn strings(&self) -> Result<Vec<String>, PolicyError> {
        self.array()?
            .iter()
            .map(|item| item.non_empty_string().map(str::to_owned))
            .collect()
    }
}

/// An object member of the policy whose keys were checked against a known list.
pub(crate) struct Object<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Object<'a> {
    pub(crate) fn get(&self, key: &str) -> Option<Member<'a>> {
        self.map.get(key).map(|value| Member {
            value,
            path: child_path(&self.path, key),
        })
    }

    /// A member that must be there; its absence is an error at this object.
    pub(crate) fn required(&self, key: &str) -> Result<Member<'a>, PolicyError> {
        self.get(key)
            .ok_or_else(|| PolicyError::new(self.path.clone(), format!("missing member \"{key}\"")))
    }

    /// An optional string member.
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, PolicyError> {
        self.get(key)
            .map(|member| member.string().map(str::to_owned))
            .transpose()
    }

    /// An optional object member whose values are all strings, as pairs.
    pub(crate) fn string_map(&self, key: &str) -> Result<Vec<(String, String)>, PolicyError> {
        let Some(member) = self.get(key) else {
            return Ok(Vec::new());
        };
        member
            .members()?
            .into_iter()
            .map(|(name, value)| Ok((name, value.string()?.to_owned())))
            .collect()
    }
}

fn child_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{}]", json_text(key)),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_members_and_indices() {
        let doc = json!({"scrub": {"deny_keys": ["a", 3]}});
        let root = Member::root(&doc);
        let scrub = root.object(&["scrub"]).unwrap().get("scrub").unwrap();
        let keys = scrub
            .object(&["deny_keys"])
            .unwrap()
            .get("deny_keys")
            .unwrap();
        let error = keys.strings().unwrap_err();
        assert_eq!(error.path, "scrub.deny_keys[1]");
        assert_eq!(error.reason, "expected a string, found a number");
    }

    #[test]
    fn odd_keys_are_quoted_in_paths() {
        let doc = json!({"a b": 1});
        let error = Member::root(&doc).object(&["x"]).err().unwrap();
        assert_eq!(error.path, "[\"a b\"]");
    }
}
