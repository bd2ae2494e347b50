//! The parts of Relay's event schema that PII rules can see.
//!
//! Relay walks a typed event: each field declares whether it may hold
//! personal data (`pii = true / maybe / false`) and some structures carry a
//! value type a selector can name (`$error`, `$frame`, `$http`, …). Free-form
//! data (`extra`, `request.data`, frame `vars`) passes its flag on to
//! everything inside it. Fields not listed here are `false` unless their
//! structure keeps unknown members with a flag of its own (`other`).
//!
//! The flags were read from `relay-event-schema` and checked field by field
//! against the `sentry-relay` wheel (a probe event with every field set,
//! scrubbed once with `$string` and once with each field's exact path).

use super::selector::{Pii, Types, ValueType};

/// How a value is laid out, as far as scrubbing cares.
#[derive(Debug)]
pub(crate) enum Shape {
    /// A structure with known fields.
    Struct(&'static Struct),
    /// A list of one shape.
    Array(&'static Shape),
    /// An object whose members are all of one shape.
    Map(&'static Shape),
    /// Pairs (cookies, query, tags): an object, or a list of `[key, value]`;
    /// selectors see each value under its key.
    Pairs,
    /// HTTP headers: pairs whose names Relay writes capitalised (`X-Api-Key`).
    Headers,
    /// Free-form JSON: children inherit the flag.
    Data,
    /// A string field.
    Text,
    /// A log message (`$message` as well as `$string`).
    Message,
    /// A file path whose base name Relay never scrubs.
    NativePath,
    /// The `contexts` object: each member is a context of a known or free-form type.
    Contexts,
    /// Nothing in it is ever scrubbed.
    Opaque,
    /// A query string or Cookie header: a string Relay reads as pairs.
    Encoded(Encoding),
    /// The top-level `message`, which Relay reads as the log entry.
    LegacyMessage,
    /// The attributes of a log, a trace metric or a streamed span: each a
    /// value under its key, typed (`{"type": …, "value": …}`, the wire form)
    /// or plain (what the SDKs hand their hooks); see `attribute_pii`.
    Attributes,
}

/// How a string of pairs is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Encoding {
    Query,
    Cookies,
}

#[derive(Debug)]
pub(crate) struct Struct {
    pub(crate) value_type: Option<ValueType>,
    pub(crate) fields: &'static [Field],
    /// The flag of members the structure does not know.
    pub(crate) other: Pii,
}

#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) pii: Pii,
    pub(crate) shape: Shape,
    /// The name selectors know the field by, where an SDK's hook names it
    /// otherwise (the JS SDKs hand a log's body to `beforeSendLog` as `message`).
    pub(crate) seen_as: Option<&'static str>,
}

impl Struct {
    /// The flag and shape of member `name`, and the name selectors see it by.
    pub(crate) fn field<'k>(&self, name: &'k str) -> (Pii, &'static Shape, &'k str) {
        match self.fields.iter().find(|field| field.name == name) {
            Some(field) => (field.pii, &field.shape, field.seen_as.unwrap_or(name)),
            None => (self.other, &Shape::Data, name),
        }
    }

    pub(crate) fn types(&self) -> Types {
        self.value_type.map_or(Types::NONE, Types::of)
    }
}

const fn field(name: &'static str, pii: Pii, shape: Shape) -> Field {
    Field {
        name,
        pii,
        shape,
        seen_as: None,
    }
}

/// A field whose value is never scrubbed.
const fn never(name: &'static str) -> Field {
    field(name, Pii::False, Shape::Opaque)
}

const fn text(name: &'static str, pii: Pii) -> Field {
    field(name, pii, Shape::Text)
}

/// A known attribute that only explicit selectors reach.
const fn maybe(name: &'static str) -> Field {
    field(name, Pii::Maybe, Shape::Data)
}

const fn data(name: &'static str) -> Field {
    field(name, Pii::True, Shape::Data)
}

const fn nested(name: &'static str, inner: &'static Struct) -> Field {
    field(name, Pii::False, Shape::Struct(inner))
}

use Pii::{False, Maybe, True};

pub(crate) static EVENT: Struct = Struct {
    value_type: Some(ValueType::Event),
    fields: &[
        never("event_id"),
        never("level"),
        never("version"),
        never("type"),
        never("fingerprint"),
        text("culprit", Maybe),
        never("transaction"),
        never("transaction_info"),
        never("time_spent"),
        nested("logentry", &LOGENTRY),
        never("logger"),
        never("modules"),
        never("platform"),
        never("timestamp"),
        never("start_timestamp"),
        never("received"),
        text("server_name", True),
        never("release"),
        never("dist"),
        never("environment"),
        never("site"),
        nested("user", &USER),
        nested("request", &REQUEST),
        field("contexts", False, Shape::Contexts),
        nested("breadcrumbs", &BREADCRUMBS),
        nested("exception", &EXCEPTIONS),
        nested("stacktrace", &STACKTRACE),
        nested("template", &TEMPLATE),
        nested("threads", &THREADS),
        field("tags", Maybe, Shape::Pairs),
        field("extra", True, Shape::Data),
        never("debug_meta"),
        nested("sdk", &SDK),
        never("ingest_path"),
        never("errors"),
        never("key_id"),
        never("project"),
        never("grouping_config"),
        never("checksum"),
        nested("csp", &CSP),
        data("hpkp"),
        data("expectct"),
        data("expectstaple"),
        field("spans", False, Shape::Array(&Shape::Struct(&SPAN))),
        never("measurements"),
        never("breakdowns"),
        never("scraping_attempts"),
        never("_metrics"),
        never("_dsc"),
        never("_performance_issues_spans"),
        never("_meta"),
    ],
    other: True,
};

pub(crate) static LOGENTRY: Struct = Struct {
    value_type: Some(ValueType::LogEntry),
    fields: &[
        never("message"),
        field("formatted", True, Shape::Message),
        data("params"),
    ],
    other: True,
};

static BREADCRUMBS: Struct = Struct {
    value_type: None,
    fields: &[field(
        "values",
        False,
        Shape::Array(&Shape::Struct(&BREADCRUMB)),
    )],
    other: False,
};

static BREADCRUMB: Struct = Struct {
    value_type: Some(ValueType::Breadcrumb),
    fields: &[text("message", True), data("data")],
    other: False,
};

static EXCEPTIONS: Struct = Struct {
    value_type: None,
    fields: &[field(
        "values",
        False,
        Shape::Array(&Shape::Struct(&EXCEPTION)),
    )],
    other: False,
};

static EXCEPTION: Struct = Struct {
    value_type: Some(ValueType::Exception),
    fields: &[
        text("value", True),
        nested("stacktrace", &STACKTRACE),
        nested("raw_stacktrace", &STACKTRACE),
        nested("mechanism", &MECHANISM),
    ],
    other: False,
};

static MECHANISM: Struct = Struct {
    value_type: None,
    fields: &[text("description", True), data("data")],
    other: False,
};

static THREADS: Struct = Struct {
    value_type: None,
    fields: &[field(
        "values",
        False,
        Shape::Array(&Shape::Struct(&THREAD)),
    )],
    other: False,
};

static THREAD: Struct = Struct {
    value_type: Some(ValueType::Thread),
    fields: &[
        nested("stacktrace", &STACKTRACE),
        nested("raw_stacktrace", &STACKTRACE),
    ],
    other: False,
};

static STACKTRACE: Struct = Struct {
    value_type: Some(ValueType::Stacktrace),
    fields: &[field("frames", False, Shape::Array(&Shape::Struct(&FRAME)))],
    other: False,
};

static FRAME: Struct = Struct {
    value_type: Some(ValueType::Frame),
    fields: &[
        text("module", Maybe),
        field("filename", Maybe, Shape::NativePath),
        field("abs_path", Maybe, Shape::NativePath),
        data("vars"),
    ],
    other: False,
};

static TEMPLATE: Struct = Struct {
    value_type: None,
    fields: &[text("filename", True), text("abs_path", True)],
    other: False,
};

static REQUEST: Struct = Struct {
    value_type: Some(ValueType::Request),
    fields: &[
        text("url", Maybe),
        never("method"),
        never("protocol"),
        data("data"),
        field("query_string", True, Shape::Encoded(Encoding::Query)),
        text("fragment", True),
        field("cookies", True, Shape::Encoded(Encoding::Cookies)),
        field("headers", True, Shape::Headers),
        never("body_size"),
        data("env"),
        never("inferred_content_type"),
        never("api_target"),
    ],
    other: True,
};

pub(crate) static USER: Struct = Struct {
    value_type: Some(ValueType::User),
    fields: &[
        text("id", True),
        text("email", True),
        text("ip_address", True),
        text("username", True),
        text("name", True),
        text("sentry_user", True),
        never("segment"),
        nested("geo", &GEO),
        data("data"),
    ],
    other: True,
};

static GEO: Struct = Struct {
    value_type: None,
    fields: &[
        text("city", True),
        text("country_code", True),
        text("region", True),
        text("subdivision", True),
    ],
    other: True,
};

/// A CSP report: the URIs and the directive may hold personal data, the
/// policy text and the sample do not (as the sentry-relay wheel scrubs them:
/// checked member by member with a card number in each).
static CSP: Struct = Struct {
    value_type: None,
    fields: &[
        text("effective_directive", True),
        text("blocked_uri", True),
        text("document_uri", True),
        text("referrer", True),
        never("original_policy"),
        never("violated_directive"),
        never("source_file"),
        never("script_sample"),
        never("disposition"),
        never("status_code"),
        never("line_number"),
        never("column_number"),
    ],
    other: True,
};

static SDK: Struct = Struct {
    value_type: Some(ValueType::ClientSdkInfo),
    fields: &[text("client_ip", True)],
    other: False,
};

static SPAN: Struct = Struct {
    value_type: Some(ValueType::Span),
    fields: &[
        never("span_id"),
        never("trace_id"),
        never("parent_span_id"),
        never("op"),
        never("status"),
        never("origin"),
        never("start_timestamp"),
        never("timestamp"),
        never("exclusive_time"),
        never("same_process_as_parent"),
        never("segment_id"),
        never("is_segment"),
        never("measurements"),
        never("sentry_tags"),
        text("description", Maybe),
        field("data", True, Shape::Struct(&SPAN_DATA)),
        field("tags", Maybe, Shape::Map(&Shape::Text)),
    ],
    other: Maybe,
};

/// A log (`$log`), as Relay's `OurLog`: the body and the attributes are
/// `maybe` (the default rules reach the body by its own selector, `$log.body`,
/// which Relay's legacy settings name). The JS SDKs hand their hook the
/// body as `message`.
pub(crate) static LOG: Struct = Struct {
    value_type: Some(ValueType::Log),
    fields: &[
        never("timestamp"),
        never("time_unix_nano"),
        never("trace_id"),
        never("span_id"),
        never("level"),
        never("severity_text"),
        never("severity_number"),
        never("severityNumber"),
        text("body", Maybe),
        Field {
            seen_as: Some("body"),
            ..text("message", Maybe)
        },
        field("attributes", Maybe, Shape::Attributes),
    ],
    other: Maybe,
};

/// A trace metric (`$trace_metric`): its attributes; name, type, unit and
/// the number are protocol to preflight (Relay's `value` is `maybe`, and a
/// number is only ever removed: preflight keeps it).
pub(crate) static TRACE_METRIC: Struct = Struct {
    value_type: Some(ValueType::TraceMetric),
    fields: &[
        never("timestamp"),
        never("trace_id"),
        never("span_id"),
        never("name"),
        never("type"),
        never("unit"),
        never("value"),
        field("attributes", Maybe, Shape::Attributes),
    ],
    other: Maybe,
};

/// A streamed span (`$span`), as Relay's `SpanV2`: its attributes are
/// `true`, its links `maybe`; ids, name, status and times are protocol.
pub(crate) static STREAMED_SPAN: Struct = Struct {
    value_type: Some(ValueType::Span),
    fields: &[
        never("trace_id"),
        never("span_id"),
        never("parent_span_id"),
        never("name"),
        never("status"),
        never("is_segment"),
        never("start_timestamp"),
        never("end_timestamp"),
        never("kind"),
        field("attributes", True, Shape::Attributes),
        maybe("links"),
    ],
    other: Maybe,
};

/// The flag of an attribute's value. Relay reads it from its conventions
/// table (an attribute it does not know is `true`; `sentry.release` is
/// `false`, `url.domain` `maybe`); preflight holds the attributes the SDK
/// sets for Sentry itself (`sentry.*`, except the message template and
/// parameters, which are the user's) to be `false` and every other one
/// `true`, the rule its own scrub follows for attributes.
pub(crate) fn attribute_pii(key: &str) -> Pii {
    if crate::sdk_attributes::is_sdk_protocol(key) {
        False
    } else {
        True
    }
}

/// Span data: attributes Relay knows by name are `maybe`, everything else `true`.
static SPAN_DATA: Struct = Struct {
    value_type: None,
    fields: &[
        maybe("ai.completion_tokens.used"),
        maybe("ai.input_messages"),
        maybe("ai.model_id"),
        maybe("ai.pipeline.name"),
        maybe("ai.prompt_tokens.used"),
        maybe("ai.responses"),
        maybe("ai.total_tokens.used"),
        maybe("app_start_type"),
        maybe("browser.name"),
        maybe("cache.hit"),
        maybe("cache.item_size"),
        maybe("cache.key"),
        maybe("code.filepath"),
        maybe("code.function"),
        maybe("code.lineno"),
        maybe("code.namespace"),
        maybe("db.collection.name"),
        maybe("db.name"),
        maybe("db.operation"),
        maybe("db.operation.name"),
        maybe("db.system"),
        maybe("db.user"),
        maybe("environment"),
        maybe("faas.trigger"),
        maybe("frames.delay"),
        maybe("frames.frozen"),
        maybe("frames.slow"),
        maybe("frames.total"),
        maybe("gen_ai.agent.name"),
        maybe("gen_ai.cost.total_tokens"),
        maybe("gen_ai.input.messages"),
        maybe("gen_ai.operation.name"),
        maybe("gen_ai.prompt"),
        maybe("gen_ai.request.messages"),
        maybe("gen_ai.request.model"),
        maybe("gen_ai.response.model"),
        maybe("gen_ai.response.text"),
        maybe("gen_ai.system"),
        maybe("gen_ai.tool.name"),
        maybe("gen_ai.usage.input_tokens"),
        maybe("gen_ai.usage.output_tokens"),
        maybe("gen_ai.usage.total_tokens"),
        maybe("http.decoded_response_content_length"),
        maybe("http.method"),
        maybe("http.request.method"),
        maybe("http.request_method"),
        maybe("http.response.status_code"),
        maybe("http.response_content_length"),
        maybe("http.response_transfer_size"),
        maybe("http.route"),
        maybe("http.status_code"),
        maybe("lcp.element"),
        maybe("lcp.id"),
        maybe("lcp.size"),
        maybe("mcp.method.name"),
        maybe("mcp.session.id"),
        maybe("mcp.tool.name"),
        maybe("mcp.transport"),
        maybe("messaging.destination.name"),
        maybe("messaging.message.body.size"),
        maybe("messaging.message.id"),
        maybe("messaging.message.receive.latency"),
        maybe("messaging.message.retry.count"),
        maybe("messaging.operation.name"),
        maybe("messaging.operation.type"),
        maybe("messaging.system"),
        maybe("net.peer.port"),
        maybe("network.protocol.name"),
        maybe("os.name"),
        maybe("os.type"),
        maybe("previous_route"),
        maybe("process.executable.name"),
        maybe("process.pid"),
        maybe("resource.render_blocking_status"),
        maybe("route"),
        maybe("rpc.grpc.status_code"),
        maybe("rpc.method"),
        maybe("rpc.service"),
        maybe("sentry.segment.name"),
        maybe("server.address"),
        maybe("thread.id"),
        maybe("thread.name"),
        maybe("ui.component_name"),
        maybe("url.scheme"),
        maybe("user.geo.city"),
        maybe("user.geo.country_code"),
        maybe("user.geo.region"),
        maybe("user.geo.subdivision"),
        maybe("user_agent.original"),
    ],
    other: True,
};

static TRACE_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[
        never("trace_id"),
        never("span_id"),
        never("parent_span_id"),
        never("op"),
        never("status"),
        never("origin"),
        never("exclusive_time"),
        never("client_sample_rate"),
        never("sampled"),
        never("type"),
        text("description", Maybe),
        nested("data", &SPAN_DATA),
    ],
    other: Maybe,
};

static OS_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[
        never("name"),
        never("version"),
        never("type"),
        never("rooted"),
        text("build", Maybe),
        text("kernel_version", Maybe),
        text("raw_description", Maybe),
    ],
    other: Maybe,
};

static RUNTIME_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[
        never("name"),
        never("version"),
        never("type"),
        text("build", Maybe),
        text("raw_description", Maybe),
    ],
    other: Maybe,
};

static DEVICE_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[text("name", Maybe)],
    other: Maybe,
};

static APP_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[text("device_app_hash", Maybe)],
    other: Maybe,
};

static RESPONSE_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[
        never("status_code"),
        never("body_size"),
        never("type"),
        field("headers", True, Shape::Headers),
        field("cookies", True, Shape::Pairs),
        data("data"),
    ],
    other: Maybe,
};

/// A context Relay knows but whose fields are not listed here: unknown members are `maybe`.
static TYPED_CONTEXT: Struct = Struct {
    value_type: None,
    fields: &[never("type")],
    other: Maybe,
};

/// The structure of a context, from its `type` (or, without one, its key).
pub(crate) fn context(ty: &str) -> Option<&'static Struct> {
    Some(match ty {
        "trace" => &TRACE_CONTEXT,
        "os" => &OS_CONTEXT,
        "runtime" => &RUNTIME_CONTEXT,
        "device" => &DEVICE_CONTEXT,
        "app" => &APP_CONTEXT,
        "response" => &RESPONSE_CONTEXT,
        "browser"
        | "gpu"
        | "monitor"
        | "profile"
        | "replay"
        | "otel"
        | "cloud_resource"
        | "culture"
        | "nel"
        | "performance_score"
        | "spring"
        | "user_report_v2"
        | "flags"
        | "chromium_stability_report" => &TYPED_CONTEXT,
        _ => return None,
    })
}
