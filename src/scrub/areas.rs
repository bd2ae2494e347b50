//! Where in an event user data lives: the selectors of the scrub.
//!
//! Sentry's protocol mixes fields the server relies on (`event_id`,
//! `timestamp`, frame `filename`/`function`/`lineno`, trace and span ids)
//! with fields that carry whatever the application had in hand (request
//! headers, locals, extra, messages). Only the second kind is walked; the
//! first is never touched, whatever a key list says. Each function here
//! names one area and says how its data is shaped; the rules applied are in
//! `walk`. Free-text fields (messages, exception values, span descriptions,
//! transaction names, URLs) are searched for secret values only.

use super::detect::Scope;
use super::encoded::PairSyntax;
use super::message::{scrub_message, Layout, Part};
use super::walk::Scrubber;
use crate::cut::ScrubValue;
use crate::meta::MetaLog;
use crate::path::Path;
use crate::tree::{EventTree, NodeKind};

/// What span-data cleaning (`params`) does with a span's members while the
/// walk holds them, so that a transaction's spans are walked once, not once
/// to scrub and again to clean.
///
/// Invariant: each member reaches the rules after the walk scrubbed it, in
/// the order the rules would have met them walking on their own (a span's
/// `data` and `attributes`, then its op read, then `description` and
/// `name`; the trace context before the spans), and what the walk scrubs on
/// their behalf is recorded in their own log, apart from the walk's remarks:
/// the output is what scrubbing first and cleaning after would give.
pub(crate) trait SpanRules<T> {
    /// Where the walk records what it scrubs for the rules (what they write anew).
    fn late_remarks(&mut self) -> &mut MetaLog;
    /// A member of `field` (`data`, `attributes`) of a span or of the trace
    /// context, scrubbed (when `field` is an object the walk can enter).
    fn data_member(&mut self, field: &str, key: &str, value: &mut T);
    /// `field` itself, scrubbed, after its members; `scrub` scrubs what the
    /// rules write anew.
    fn data(&mut self, field: &str, node: &mut T, path: &Path<'_>, scrub: &mut ScrubValue<'_>);
    /// A span whose data has been seen, before its descriptions are.
    fn before_descriptions(&mut self, span: &mut T);
    /// `field` (`description`, `name`) of a span, scrubbed.
    fn description(&mut self, field: &str, node: &mut T, path: &Path<'_>);
}

/// Hands a scrubbed data member to the rules, with the walk's scrubber
/// recording into the rules' own log meanwhile.
fn data_to_rules<T: EventTree>(
    scrub: &mut Scrubber<'_>,
    rules: &mut dyn SpanRules<T>,
    field: &str,
    node: &mut T,
    path: &Path<'_>,
) {
    std::mem::swap(&mut scrub.meta, rules.late_remarks());
    rules.data(field, node, path, &mut |key, value, place| {
        scrub.value(key, value, place)
    });
    std::mem::swap(&mut scrub.meta, rules.late_remarks());
}

/// Fields of the trace context that tracing needs intact.
const TRACE_PROTOCOL_FIELDS: &[&str] = &[
    "trace_id",
    "span_id",
    "parent_span_id",
    "op",
    "status",
    "origin",
    "sampled",
    "type",
];

/// Every area of an error or transaction event.
pub(crate) fn event<T: EventTree>(
    scrub: &mut Scrubber<'_>,
    event: &mut T,
    rules: &mut dyn SpanRules<T>,
) {
    let root = Path::root();
    for field in ["message", "transaction"] {
        event.with_field(field, |node| {
            scrub.text(node, &root.key(field), Scope::Everything)
        });
    }
    event.with_field("request", |node| request(scrub, node, &root.key("request")));
    event.with_field("extra", |node| scrub.databag(node, &root.key("extra")));
    // Security reports (a browser's CSP, HPKP, Expect-CT and Expect-Staple
    // reports, as Relay stores them): URIs, host names and certificates.
    for report in ["csp", "hpkp", "expectct", "expectstaple"] {
        event.with_field(report, |node| scrub.databag(node, &root.key(report)));
    }
    event.with_field("user", |node| scrub.user(node, &root.key("user")));
    event.with_field("contexts", |node| {
        contexts(scrub, node, &root.key("contexts"), rules)
    });
    event.with_field("tags", |node| scrub.pairs(node, &root.key("tags")));
    event.with_field("logentry", |node| {
        let layout = Layout {
            members: logentry_members,
            formatted: &["formatted"],
        };
        scrub_message(scrub, node, &root.key("logentry"), &layout);
    });
    event.with_field("breadcrumbs", |node| {
        each_value(node, &root.key("breadcrumbs"), &mut |crumb, path| {
            breadcrumb(scrub, crumb, path);
        });
    });
    for area in ["exception", "threads"] {
        event.with_field(area, |node| {
            each_value(node, &root.key(area), &mut |item, path| {
                item.with_field("value", |value| {
                    scrub.text(value, &path.key("value"), Scope::Everything)
                });
                stacktraces(scrub, item, path);
            });
        });
    }
    stacktraces(scrub, event, &root);
    event.with_field("spans", |node| {
        let path = root.key("spans");
        node.for_each_element(|index, span_node| span(scrub, span_node, &path.index(index), rules));
    });
}

/// An event's `logentry`: the template in `message` and the parameters in
/// `params`, a list (`%s`) or a map (`%(name)s`), formatted into
/// `formatted`.
fn logentry_members<T: EventTree>(
    logentry: &mut T,
    path: &Path<'_>,
    visit: &mut dyn FnMut(Part<'_>, &mut T, &Path<'_>),
) {
    logentry.with_field("message", |message| {
        visit(Part::Template, message, &path.key("message"))
    });
    logentry.with_field("params", |params| {
        let path = path.key("params");
        match params.kind() {
            NodeKind::Array => params.for_each_element(|index, param| {
                visit(Part::Parameter(None), param, &path.index(index))
            }),
            NodeKind::Object => params.for_each_field(|key, param| {
                visit(Part::Parameter(Some(key)), param, &path.key(key))
            }),
            _ => visit(Part::Parameter(None), params, &path),
        }
    });
}

/// A breadcrumb: its `message` and `data` are user data, the rest is protocol.
pub(crate) fn breadcrumb<T: EventTree>(scrub: &mut Scrubber<'_>, crumb: &mut T, path: &Path<'_>) {
    crumb.with_field("message", |message| {
        scrub.text(message, &path.key("message"), Scope::Everything)
    });
    crumb.with_field("data", |data| scrub.databag(data, &path.key("data")));
}

fn request<T: EventTree>(scrub: &mut Scrubber<'_>, request: &mut T, path: &Path<'_>) {
    request.with_field("url", |node| {
        scrub.text(node, &path.key("url"), Scope::Everything)
    });
    request.with_field("headers", |node| scrub.pairs(node, &path.key("headers")));
    request.with_field("cookies", |node| {
        scrub.encoded_pairs(node, PairSyntax::Cookie, &path.key("cookies"));
    });
    request.with_field("query_string", |node| {
        scrub.encoded_pairs(node, PairSyntax::QueryString, &path.key("query_string"));
    });
    for area in ["data", "env"] {
        request.with_field(area, |node| scrub.databag(node, &path.key(area)));
    }
}

/// Contexts are named by the SDK or the application (`trace`, `os`, `app`);
/// the name is protocol, the members are data, and a context's `type`
/// and the trace context's ids are never changed.
fn contexts<T: EventTree>(
    scrub: &mut Scrubber<'_>,
    contexts: &mut T,
    path: &Path<'_>,
    rules: &mut dyn SpanRules<T>,
) {
    contexts.for_each_field(|name, context| {
        let context_path = path.key(name);
        if context.kind() != NodeKind::Object {
            scrub.databag(context, &context_path);
            return;
        }
        let trace = name == "trace";
        context.for_each_field(|key, value| {
            let protected = key == "type" || (trace && TRACE_PROTOCOL_FIELDS.contains(&key));
            if !protected {
                let value_path = context_path.key(key);
                if trace && key == "data" {
                    scrub.observed_keyed(key, value, &value_path, &mut |member, member_value| {
                        rules.data_member(key, member, member_value)
                    });
                    data_to_rules(scrub, rules, key, value, &value_path);
                } else {
                    scrub.keyed(key, value, &value_path);
                }
            }
        });
    });
}

/// The stack traces of an exception, a thread, or the event itself.
fn stacktraces<T: EventTree>(scrub: &mut Scrubber<'_>, owner: &mut T, path: &Path<'_>) {
    for field in ["stacktrace", "raw_stacktrace"] {
        owner.with_field(field, |stacktrace| {
            let stacktrace_path = path.key(field);
            stacktrace.with_field("frames", |frames| {
                let frames_path = stacktrace_path.key("frames");
                frames.for_each_element(|index, frame| {
                    frame_data(scrub, frame, &frames_path.index(index));
                });
            });
        });
    }
}

/// A frame's user data: its local variables, and its source lines (a
/// key, a token or a password hard-coded in the code is sent with every
/// error raised near it), searched for credentials only (an email or an
/// address in code is rarely a person's). Looked up rather than visited
/// member by member: a frame has a dozen members and these are four.
fn frame_data<T: EventTree>(scrub: &mut Scrubber<'_>, frame: &mut T, path: &Path<'_>) {
    frame.with_field("vars", |vars| scrub.databag(vars, &path.key("vars")));
    frame.with_field("context_line", |line| {
        scrub.text(line, &path.key("context_line"), Scope::SourceCode)
    });
    for field in ["pre_context", "post_context"] {
        frame.with_field(field, |lines| {
            let lines_path = path.key(field);
            lines.for_each_element(|index, line| {
                scrub.text(line, &lines_path.index(index), Scope::SourceCode)
            });
        });
    }
}

/// A span, inside a transaction or on its own (span streaming): its
/// `description` (or streamed `name`), `data` (transaction spans),
/// `attributes` (streamed spans) and `tags` are user data.
pub(crate) fn span<T: EventTree>(
    scrub: &mut Scrubber<'_>,
    span: &mut T,
    path: &Path<'_>,
    rules: &mut dyn SpanRules<T>,
) {
    // Looked up rather than visited member by member: a span has a dozen
    // members (ids, timestamps, op, origin, status) and these are a few.
    for field in ["data", "attributes"] {
        span.with_field(field, |node| {
            let field_path = path.key(field);
            scrub.observed_databag(node, &field_path, &mut |key, value| {
                rules.data_member(field, key, value)
            });
            data_to_rules(scrub, rules, field, node, &field_path);
        });
    }
    rules.before_descriptions(span);
    for field in ["description", "name"] {
        span.with_field(field, |node| {
            let field_path = path.key(field);
            scrub.text(node, &field_path, Scope::Everything);
            rules.description(field, node, &field_path);
        });
    }
    span.with_field("tags", |node| scrub.pairs(node, &path.key("tags")));
}

/// Sentry accepts a list either bare or wrapped as `{"values": [...]}`.
fn each_value<T: EventTree>(
    node: &mut T,
    path: &Path<'_>,
    visit: &mut dyn FnMut(&mut T, &Path<'_>),
) {
    match node.kind() {
        NodeKind::Array => node.for_each_element(|index, item| visit(item, &path.index(index))),
        NodeKind::Object => node.with_field("values", |values| {
            let values_path = path.key("values");
            values.for_each_element(|index, item| visit(item, &values_path.index(index)));
        }),
        _ => {}
    }
}
