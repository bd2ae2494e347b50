//! One `key:value` condition of a fingerprint rule, compiled.
//!
//! Each key reads one kind of value (Sentry's match types): the message,
//! the log info, an exception, a frame, the tags, the SDK, the platform
//! family or the release. A rule's conditions of one kind must all hold for
//! the *same* exception or frame. How a value is compared is Sentry's, key
//! by key: types, modules, functions, loggers and tags by case-sensitive
//! glob; values, messages and levels case-insensitively; paths, packages and
//! releases as paths (case-insensitive, `**`, `\` as `/`, with or without a
//! leading `/`); `app` as a boolean; `family` and `sdk` as lists.

use super::facts::{EventData, Exception, Frame};
use super::grammar::MatcherText;
use crate::pattern::{Glob, GlobOptions};

/// The kind of value a condition reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Toplevel,
    LogInfo,
    Exceptions,
    Frames,
    Tags,
    Sdk,
    Family,
    Release,
}

#[derive(Debug, Clone)]
enum Field {
    Message,
    Logger,
    Level,
    Type,
    Value,
    Function,
    Module,
    Path,
    Package,
    App,
    Tag(String),
    Sdk,
    Family,
    Release,
}

#[derive(Debug, Clone)]
enum Test {
    Glob(Option<Glob>),
    Flags(Vec<String>),
    Bool(Option<bool>),
}

#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    field: Field,
    test: Test,
    negated: bool,
}

/// One of the values a kind of condition is tested against.
pub(crate) enum Candidate<'e> {
    Message(&'e str),
    Exception(&'e Exception),
    Frame(&'e Frame),
    Event(&'e EventData),
}

impl Matcher {
    /// Compiles a condition; an unknown key is the error.
    pub(crate) fn new(text: &MatcherText) -> Result<Matcher, String> {
        let field = match text.key.as_str() {
            "message" => Field::Message,
            "logger" => Field::Logger,
            "level" => Field::Level,
            "error.type" | "type" => Field::Type,
            "error.value" | "value" => Field::Value,
            "stack.function" | "function" => Field::Function,
            "stack.module" | "module" => Field::Module,
            "stack.abs_path" | "path" => Field::Path,
            "stack.package" | "package" => Field::Package,
            "app" => Field::App,
            "sdk" => Field::Sdk,
            "family" => Field::Family,
            "release" => Field::Release,
            key => match key.strip_prefix("tags.") {
                Some(tag) => Field::Tag(tag.to_owned()),
                None => return Err(format!("unknown matcher {key:?}")),
            },
        };
        let glob = |case_insensitive| {
            Test::Glob(Glob::new(
                &text.pattern,
                GlobOptions {
                    case_insensitive,
                    ..GlobOptions::default()
                },
            ))
        };
        let path = || {
            Test::Glob(Glob::new(
                &text.pattern,
                GlobOptions {
                    double_star: true,
                    case_insensitive: true,
                    path_normalize: true,
                },
            ))
        };
        let test = match field {
            Field::Message | Field::Level | Field::Value => glob(true),
            Field::Path | Field::Package | Field::Release => path(),
            Field::App => Test::Bool(bool_from_string(&text.pattern)),
            Field::Sdk | Field::Family => {
                Test::Flags(text.pattern.split(',').map(str::to_owned).collect())
            }
            Field::Logger | Field::Type | Field::Function | Field::Module | Field::Tag(_) => {
                glob(false)
            }
        };
        Ok(Matcher {
            field,
            test,
            negated: text.negated,
        })
    }

    pub(crate) fn kind(&self) -> Kind {
        match self.field {
            Field::Message => Kind::Toplevel,
            Field::Logger | Field::Level => Kind::LogInfo,
            Field::Type | Field::Value => Kind::Exceptions,
            Field::Tag(_) => Kind::Tags,
            Field::Sdk => Kind::Sdk,
            Field::Family => Kind::Family,
            Field::Release => Kind::Release,
            Field::Function | Field::Module | Field::Path | Field::Package | Field::App => {
                Kind::Frames
            }
        }
    }

    pub(crate) fn matches(&self, candidate: &Candidate<'_>) -> bool {
        self.positive(candidate) != self.negated
    }

    fn positive(&self, candidate: &Candidate<'_>) -> bool {
        match (&self.field, candidate) {
            (Field::Message, Candidate::Message(message)) => self.glob(Some(message)),
            (Field::Message, Candidate::Exception(exception)) => {
                self.glob(exception.value.as_deref())
            }
            (Field::Type, Candidate::Exception(exception)) => self.glob(exception.ty.as_deref()),
            (Field::Value, Candidate::Exception(exception)) => {
                self.glob(exception.value.as_deref())
            }
            (Field::Function, Candidate::Frame(frame)) => {
                self.glob(Some(frame.function.as_deref().unwrap_or("<unknown>")))
            }
            (Field::Module, Candidate::Frame(frame)) => self.glob(frame.module.as_deref()),
            (Field::Path, Candidate::Frame(frame)) => {
                self.path(frame.abs_path.as_deref()) || self.path(frame.filename.as_deref())
            }
            (Field::Package, Candidate::Frame(frame)) => self.path(frame.package.as_deref()),
            (Field::App, Candidate::Frame(frame)) => match (&self.test, frame.in_app) {
                (Test::Bool(Some(wanted)), Some(in_app)) => *wanted == in_app,
                _ => false,
            },
            (Field::Logger, Candidate::Event(event)) => self.glob(event.logger.as_deref()),
            (Field::Level, Candidate::Event(event)) => self.glob(event.level.as_deref()),
            (Field::Tag(name), Candidate::Event(event)) => self.glob(event.tag(name)),
            (Field::Sdk, Candidate::Event(event)) => self.flags(event.sdk.as_deref()),
            (Field::Family, Candidate::Event(event)) => self.flags(Some(event.family())),
            (Field::Release, Candidate::Event(event)) => self.path(event.release.as_deref()),
            _ => false,
        }
    }

    fn glob(&self, value: Option<&str>) -> bool {
        match (&self.test, value) {
            (Test::Glob(Some(glob)), Some(value)) => glob.is_match(value),
            _ => false,
        }
    }

    /// Sentry's path match: as written, or with a leading `/` added.
    fn path(&self, value: Option<&str>) -> bool {
        let Some(value) = value else {
            return false;
        };
        self.glob(Some(value)) || (!value.starts_with('/') && self.glob(Some(&format!("/{value}"))))
    }

    fn flags(&self, value: Option<&str>) -> bool {
        match (&self.test, value) {
            (Test::Flags(flags), Some(value)) => {
                flags.iter().any(|flag| flag == "all" || flag == value)
            }
            _ => false,
        }
    }
}

/// Sentry's `bool_from_string`.
fn bool_from_string(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Some(true),
        "no" | "false" | "0" | "off" => Some(false),
        _ => None,
    }
}
