//! What a build may leave out, and the refusal that says so.
//!
//! The JS package ships two modules, because a browser app pays for every
//! byte it fetches. The one every policy loads first is built without the
//! feature `relay` (Relay's rules: `scrub.relay`, `scrub.datascrubbing`),
//! without `policy-rules` (the policy's rule sections: `filters`,
//! `fingerprint.rules` and `parameterize_messages`, the rules of
//! `sampling.traces` and `sampling.errors`) and without `regexes` (a regex
//! engine, for custom `scrub.patterns` and a `params.redact_keys` that is
//! more than a list of words). A policy that uses what the build
//! leaves out is refused at load time, at the member's path, with a reason
//! ending in [`LEFT_OUT`]; the wasm binding marks such a refusal and the
//! wrapper loads the module that has everything. Refusing, not ignoring: a
//! policy must never do less than it says.
//!
//! The rule sections are left out by [`POLICY_RULES`], a constant the
//! capabilities test where their compiled rules are built and read: false,
//! the code behind it is unreachable and the compiler drops it (a sixth of
//! that module's gzipped bytes), with no second copy of any type. The regex
//! engine goes the same way, by [`REGEXES`]: `pattern::compile_regex` refuses
//! every regex without it, so regex-lite is never called (an eighth of that
//! module's gzipped bytes).

use crate::policy::error::PolicyError;

/// The end of every refusal of something this build leaves out.
pub(crate) const LEFT_OUT: &str =
    ", which this build leaves out (the JS package loads its module with them)";

/// Whether this build runs the policy's rule sections (the feature `policy-rules`).
pub(crate) const POLICY_RULES: bool = cfg!(feature = "policy-rules");

/// Whether this build has a regex engine (the feature `regexes`).
pub(crate) const REGEXES: bool = cfg!(feature = "regexes");

/// The refusal of the member at `path`, which needs `what`.
pub(crate) fn refusal(path: impl Into<String>, what: &str) -> PolicyError {
    PolicyError::new(path, refusal_reason(what))
}

/// The reason of such a refusal, for code that names the path itself.
pub(crate) fn refusal_reason(what: &str) -> String {
    format!("needs {what}{LEFT_OUT}")
}

/// The refusal of a rule section at `path` when this build leaves the
/// rules out and `used` says the policy has some.
pub(crate) fn rules_refused(path: &str, used: bool) -> Result<(), PolicyError> {
    if !POLICY_RULES && used {
        return Err(refusal(path, "the policy's rule sections"));
    }
    Ok(())
}

/// `rules` where this build runs them; else none, as a constant (so that
/// reading and compiling them is left out), or the refusal if there are some.
/// Inlined, so that the caller's compiler sees the constant.
#[inline(always)]
pub(crate) fn rules_in<'r, T>(path: &str, rules: &'r [T]) -> Result<&'r [T], PolicyError> {
    if POLICY_RULES {
        return Ok(rules);
    }
    rules_refused(path, !rules.is_empty())?;
    Ok(&[])
}

/// Compiled rules as the code that matches them should see them: none, as a
/// constant, in a build without them, so that that code is left out too.
pub(crate) fn compiled<T>(rules: &[T]) -> &[T] {
    in_build(POLICY_RULES, rules)
}

/// A policy's own compiled regexes as the code that runs them should see
/// them: none, as a constant, in a build without a regex engine.
pub(crate) fn with_regexes<T>(compiled: &[T]) -> &[T] {
    in_build(REGEXES, compiled)
}

/// `items` where the build has what they need (`present`, a constant), else
/// none. Inlined, so that the caller's compiler sees the constant.
#[inline(always)]
fn in_build<T>(present: bool, items: &[T]) -> &[T] {
    if present {
        items
    } else {
        &[]
    }
}

/// Whether the error is this build's refusal (not a mistake in the policy).
#[cfg(target_arch = "wasm32")]
pub(crate) fn is_refusal(error: &PolicyError) -> bool {
    error.reason.ends_with(LEFT_OUT)
}
