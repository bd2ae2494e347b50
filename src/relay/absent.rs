//! `Relay` in a build without the feature `relay` (the JS package's smaller
//! module): a policy without `scrub.relay` and `scrub.datascrubbing` loads as
//! before, and one that asks for Relay's rules is refused at load time with
//! the member's path (see `crate::left_out`).

use serde_json::Value;

use crate::meta::MetaLog;
use crate::policy::PolicyError;
use crate::tree::EventTree;

use super::Telemetry;
use crate::policy::DataScrubbing;

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
        Err(crate::left_out::refusal(asked, "Relay's rules"))
    }

    pub(crate) fn event<T: EventTree>(&self, _: &mut T, _: &mut MetaLog, _: usize) {
        match *self {}
    }

    pub(crate) fn telemetry<T: EventTree>(&self, _: &mut T, _: Telemetry, _: usize) {
        match *self {}
    }
}
