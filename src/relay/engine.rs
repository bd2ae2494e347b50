//! The Relay configs of one policy, compiled once and run over the tree:
//! the part of `relay/` a build without the feature `relay` leaves out
//! (the JS package's smaller module; see `absent.rs`).

use serde_json::Value;

use crate::meta::MetaLog;
use crate::policy::PolicyError;
use crate::tree::EventTree;

use super::config::{self, Program};
use super::legacy;
use super::regexes::Regexes;
use super::schema;
use super::walk::{AttributeMode, Walk};
use super::Telemetry;
use crate::policy::DataScrubbing;

/// The Relay configs of one policy, compiled once.
#[derive(Debug, Clone)]
pub(crate) struct Relay {
    programs: Vec<Program>,
    /// How each program's selectors see attributes: Relay runs the PII
    /// config's rules on attributes as objects and the legacy settings'
    /// on their values alone.
    attribute_modes: Vec<AttributeMode>,
    regexes: Regexes,
}

impl Relay {
    /// Compiles the policy's Relay config and legacy settings; `None` when neither scrubs.
    pub(crate) fn new(
        config: Option<&Value>,
        datascrubbing: Option<&DataScrubbing>,
    ) -> Result<Option<Relay>, PolicyError> {
        let (mut programs, mut attribute_modes) = (Vec::new(), Vec::new());
        if let Some(config) = config {
            programs.push(config::read(config, "scrub.relay")?);
            attribute_modes.push(AttributeMode::Object);
        }
        if let Some(converted) = datascrubbing.and_then(legacy::to_relay_config) {
            programs.push(config::read(&converted, "scrub.datascrubbing")?);
            attribute_modes.push(AttributeMode::ValueOnly);
        }
        if programs
            .iter()
            .all(|program| program.applications.is_empty())
        {
            return Ok(None);
        }
        Ok(Some(Relay {
            programs,
            attribute_modes,
            regexes: Regexes::new(),
        }))
    }

    /// Scrubs an event, recording remarks for `_meta`; containers nested
    /// deeper than `max_depth` are removed.
    pub(crate) fn event<T: EventTree>(&self, event: &mut T, log: &mut MetaLog, max_depth: usize) {
        Walk {
            programs: &self.programs,
            regexes: &self.regexes,
            log,
            existing_meta: None,
            max_depth,
            attributes: AttributeMode::Object,
        }
        .event(event);
    }

    /// Scrubs a log, trace metric or streamed span as Relay does (`relay_pii::eap`):
    /// the PII config's rules, then the legacy settings', each program on its own.
    /// These are sent without `_meta`: the remarks are not kept.
    pub(crate) fn telemetry<T: EventTree>(&self, item: &mut T, kind: Telemetry, max_depth: usize) {
        let schema = match kind {
            Telemetry::Log => &schema::LOG,
            Telemetry::TraceMetric => &schema::TRACE_METRIC,
            Telemetry::StreamedSpan => &schema::STREAMED_SPAN,
        };
        for (program, mode) in self.programs.iter().zip(&self.attribute_modes) {
            Walk {
                programs: std::slice::from_ref(program),
                regexes: &self.regexes,
                log: &mut MetaLog::default(),
                existing_meta: None,
                max_depth,
                attributes: *mode,
            }
            .telemetry(item, schema);
        }
    }
}
