//! Why a policy cannot be loaded. A leaf: the policy's readers and every
//! capability's compile step report through it, and it needs neither.

use std::fmt;

/// A policy that cannot be loaded: where in the document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The JSON path of the offending member (`scrub.deny_keys[2]`); empty for the document itself.
    pub path: String,
    pub reason: String,
}

impl PolicyError {
    pub(crate) fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "policy: {}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}
