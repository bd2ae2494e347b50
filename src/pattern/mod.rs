//! The languages a policy writes its matches in, each compiled in one place
//! for every section that takes it: regexes (regex-lite), Sentry's globs
//! (`glob`: fingerprint rules, filters and sampling alike, as Relay reads
//! them), and the filters' patterns that are text, a glob or a regex
//! (`matcher`, which sampling's rules use too).
//!
//! A regex is compiled here and nowhere else, so that its error reads the
//! same in every section and a build without the regex engine refuses it
//! in one place (`left_out::REGEXES`).

mod glob;
mod matcher;

pub(crate) use glob::{Glob, GlobOptions};
pub(crate) use matcher::{Matcher, PlainAs};

/// Compiles a regex from a policy; the error is the reason a `PolicyError`
/// gives. regex-lite is linear-time, so no policy can make processing hang.
/// A build without the feature `regexes` refuses every one (`left_out`).
pub(crate) fn compile_regex(source: &str) -> Result<regex_lite::Regex, String> {
    #[cfg(test)]
    COMPILED.with(|compiled| compiled.set(compiled.get() + 1));
    if !crate::left_out::REGEXES {
        return Err(crate::left_out::refusal_reason("a regex engine"));
    }
    regex_lite::Regex::new(source).map_err(|error| {
        let message = error.to_string();
        format!(
            "invalid regex: {}",
            message.lines().next().unwrap_or_default()
        )
    })
}

#[cfg(test)]
thread_local! {
    /// How many regexes this thread compiled: a policy's load must compile
    /// each of its regexes once (`Preflight::new`, and nothing before it).
    pub(crate) static COMPILED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}
