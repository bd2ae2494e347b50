//! `Relay` in a build without the feature `relay` (the JS package's smaller
//! module): a policy without `scrub.relay` and `scrub.datascrubbing` loads as
//! before, and one that asks for Relay's rules is refused at load time with
//! the member's path and `LEFT_OUT`, which the JS wrapper reads as "load the
//! module that has them". Refusing, not ignoring: a policy must never scrub
//! less than it says.

use serde_json::Value;

use crate::meta::MetaLog;
use crate::policy::PolicyError;
use crate::tree::EventTree;

use super::{DataScrubbing, Telemetry};

/// The reason given for a policy this build cannot run.
pub(crate) const LEFT_OUT: &str =
    "needs Relay's rules, which this build leaves out (the JS package loads its module with them)";

/// No value exists: `new` never returns one, so the methods are never called.
#[derive(Debug, Clone)]
pub(crate) enum Relay {}

impl Relay {
    /// `None` when the policy names neither config; else the refusal.
    pub(crate) fn new(
        config: Option<&Value>,
        datascrubbing: Option<&DataScrubbing>,
    ) -> Result<Option<Relay>, PolicyError> {
        let asked = if config.is_some() {
            "scrub.relay"
        } else if datascrubbing.is_some_and(|settings| settings.scrub_data) {
            "scrub.datascrubbing"
        } else {
            return Ok(None);
        };
        Err(PolicyError {
            path: asked.to_owned(),
            reason: LEFT_OUT.to_owned(),
        })
    }

    pub(crate) fn event<T: EventTree>(&self, _: &mut T, _: &mut MetaLog, _: usize) {
        match *self {}
    }

    pub(crate) fn telemetry<T: EventTree>(&self, _: &mut T, _: Telemetry, _: usize) {
        match *self {}
    }
}
