//! A message sent with its parameters: wherever a secret shows, it goes
//! from every place that holds it.
//!
//! Two channels send a message twice, formatted and in parts:
//! `sentry_sdk.logger.info("card {card}", card=…)` sends a log whose body is
//! the formatted text and whose attributes hold the template
//! (`sentry.message.template`) and each parameter
//! (`sentry.message.parameter.card`); Python's `logging.error("password=%s",
//! "hunter2")` through sentry-python's logging integration sends an event
//! whose `logentry` holds `formatted`, `message` (the template) and `params`.
//! Each part alone can hide what the other shows: `hunter2` is no secret
//! alone but is the value of `password=` in the formatted text, and a card
//! number passed as a parameter may sit in the text where no key names it.
//! So a parameter taken out by its key or its value is also taken out of
//! the formatted text wherever it appears there, and a parameter the text's
//! search took out goes from the parameters too.
//!
//! Where the parts are differs by channel ([`Layout`]); the rule is one.

use super::detect::Scope;
use super::walk::Scrubber;
use crate::path::Path;
use crate::tree::EventTree;

/// Beyond this many parameters the formatted text is not searched for each
/// of them (that costs the text's length per parameter), nor beyond this
/// many places of one secret parameter in it (each is a span to rewrite):
/// the text and every parameter are taken out instead, as what could not
/// be checked.
const MAX_PARAMETERS: usize = 32;
const MAX_PLACES: usize = 1024;

/// What a member of a message is to the scrub.
pub(crate) enum Part<'k> {
    /// Where the parameters go: free text whose placeholders stay (see the
    /// pairs finder).
    Template,
    /// A parameter: data under its key, or an element of a list without one.
    Parameter(Option<&'k str>),
    /// Data beside the message (a log's other attributes), under its key.
    Data(&'k str),
}

/// Visits the members of a message, each once, in the same order on every call.
pub(crate) type Members<T> = fn(&mut T, &Path<'_>, &mut dyn FnMut(Part<'_>, &mut T, &Path<'_>));

/// Where one channel keeps a message's parts.
pub(crate) struct Layout<T> {
    /// The template, the parameters and the data beside them.
    pub(crate) members: Members<T>,
    /// The fields that hold the formatted text.
    pub(crate) formatted: &'static [&'static str],
}

/// A parameter as it was before the scrub.
struct Parameter {
    original: Option<String>,
    taken_out: bool,
}

/// Scrubs the message in `node` (at `root`) laid out as `layout` says.
pub(crate) fn scrub_message<T: EventTree>(
    scrub: &mut Scrubber<'_>,
    node: &mut T,
    root: &Path<'_>,
    layout: &Layout<T>,
) {
    let mut parameters = Vec::new();
    (layout.members)(node, root, &mut |part, value, place| match part {
        Part::Template => scrub.text(value, place, Scope::Everything),
        Part::Data(key) => scrub.keyed(key, value, place),
        Part::Parameter(key) => {
            let original = value.text().map(|text| text.into_owned());
            match key {
                Some(key) => scrub.keyed(key, value, place),
                None => scrub.databag(value, place),
            }
            let taken_out = original.is_some() && value.text().as_deref() != original.as_deref();
            parameters.push(Parameter {
                original,
                taken_out,
            });
        }
    });
    let secrets: Vec<&str> = parameters
        .iter()
        .filter(|parameter| parameter.taken_out)
        .filter_map(|parameter| parameter.original.as_deref())
        .filter(|secret| !secret.is_empty())
        .collect();
    let mut too_many = parameters.len() > MAX_PARAMETERS;
    for field in layout.formatted {
        node.with_field(field, |formatted| {
            let Some(text) = formatted.text() else { return };
            too_many |= secrets
                .iter()
                .any(|secret| text.match_indices(secret).nth(MAX_PLACES).is_some());
        });
    }
    let candidates: Vec<&str> = parameters
        .iter()
        .map(
            |parameter| match (&parameter.original, parameter.taken_out) {
                (Some(original), false) => original.as_str(),
                _ => "",
            },
        )
        .collect();
    let mut found_secret = vec![false; parameters.len()];
    for field in layout.formatted {
        node.with_field(field, |formatted| {
            let place = root.key(field);
            if too_many {
                scrub.take_out(formatted, Scrubber::PARAMETER_RULE, &place);
                return;
            }
            let found = scrub.formatted_message(formatted, &place, &secrets, &candidates);
            for (any, found) in found_secret.iter_mut().zip(found) {
                *any |= found;
            }
        });
    }
    let late: Vec<bool> = parameters
        .iter()
        .zip(found_secret)
        .map(|(parameter, found)| too_many || (found && !parameter.taken_out))
        .collect();
    if !late.contains(&true) {
        return;
    }
    let mut index = 0;
    (layout.members)(node, root, &mut |part, value, place| {
        if let Part::Parameter(_) = part {
            // A value already redacted is left as it is (`take_out` knows it).
            if late[index] {
                scrub.take_out(value, Scrubber::PARAMETER_RULE, place);
            }
            index += 1;
        }
    });
}
