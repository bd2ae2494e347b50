//! The `limits` section: bounds on the work one event may cost.

use super::reader::Member;
use super::PolicyError;

/// The `limits` section: bounds on the work one event may cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Containers nested deeper than this (counted from the event root) are
    /// removed, with a `!limit` remark, rather than walked.
    pub max_depth: usize,
}

/// Deepest `limits.max_depth` accepted: the walk recurses once per level, and
/// the smallest stack it runs on (WASM, 1 MiB) must hold that many frames.
const MAX_DEPTH_CEILING: u64 = 256;

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 64 }
    }
}

impl Limits {
    /// Limits a policy built in Rust may not exceed (JSON is read within them).
    pub(crate) fn check(&self) -> Result<(), PolicyError> {
        let ceiling = usize::try_from(MAX_DEPTH_CEILING).unwrap_or(usize::MAX);
        if (1..=ceiling).contains(&self.max_depth) {
            Ok(())
        } else {
            Err(PolicyError::new(
                "limits.max_depth",
                format!("must be between 1 and {ceiling}"),
            ))
        }
    }
}

pub(super) fn read_limits(member: &Member<'_>) -> Result<Limits, PolicyError> {
    let section = member.object(&["max_depth"])?;
    let mut limits = Limits::default();
    if let Some(max_depth) = section.get("max_depth") {
        let depth = max_depth.integer_in(1, MAX_DEPTH_CEILING)?;
        limits.max_depth = usize::try_from(depth).map_err(|_| max_depth.error("too large"))?;
    }
    Ok(limits)
}
