//! Reading a few values out of an event by path.
//!
//! Filters and fingerprint rules look at a handful of fields (`exception`'s
//! last type, `logger`, frame files…) in an event that may be Python
//! objects; these helpers copy them out through the `EventTree` interface.

use crate::tree::{EventTree, NodeKind};

/// Visits the node at `path` (object keys), if there is one.
pub(crate) fn visit_at<T: EventTree>(node: &mut T, path: &[&str], visit: &mut dyn FnMut(&mut T)) {
    match path.split_first() {
        None => visit(node),
        Some((key, rest)) => node.with_field(key, |child| visit_at(child, rest, visit)),
    }
}

/// Whether an event's `type` makes it an error (not a transaction) event:
/// no `type`, or `error` / `default`.
pub(crate) fn is_error_type(ty: Option<&str>) -> bool {
    matches!(ty, None | Some("error") | Some("default"))
}

/// The string at `path`.
pub(crate) fn text_at<T: EventTree>(node: &mut T, path: &[&str]) -> Option<String> {
    let mut found = None;
    visit_at(node, path, &mut |leaf| {
        found = leaf.text().map(|t| t.into_owned())
    });
    found
}

/// The whole number at `path` (or a string holding one).
pub(crate) fn number_at<T: EventTree>(node: &mut T, path: &[&str]) -> Option<u64> {
    let mut found = None;
    visit_at(node, path, &mut |leaf| {
        found = match leaf.kind() {
            NodeKind::Number => leaf.to_json().as_u64(),
            _ => leaf.text().and_then(|t| t.parse().ok()),
        }
    });
    found
}

/// The boolean at `path`.
pub(crate) fn bool_at<T: EventTree>(node: &mut T, path: &[&str]) -> Option<bool> {
    let mut found = None;
    visit_at(node, path, &mut |leaf| {
        if leaf.kind() == NodeKind::Bool {
            found = leaf.to_json().as_bool();
        }
    });
    found
}

/// Visits each element of the list at `path`, or of its `values` (Sentry's
/// `{"values": […]}` interfaces come both ways).
pub(crate) fn each_value<T: EventTree>(node: &mut T, path: &[&str], visit: &mut dyn FnMut(&mut T)) {
    visit_at(node, path, &mut |list| match list.kind() {
        NodeKind::Array => list.for_each_element(|_, element| visit(element)),
        _ => list.with_field("values", |values| {
            values.for_each_element(|_, element| visit(element))
        }),
    });
}

/// The event's tags as (key, value) pairs, from either form Sentry accepts:
/// an object, or a list of `[key, value]` pairs. A value that is not a
/// string reads as `None`; a pair without a string key is skipped.
pub(crate) fn tags<T: EventTree>(event: &mut T) -> Vec<(String, Option<String>)> {
    let mut tags = Vec::new();
    event.with_field("tags", |node| {
        node.for_each_field(|key, value| {
            tags.push((key.to_owned(), value.text().map(|v| v.into_owned())))
        });
        node.for_each_element(|_, pair| {
            let (mut key, mut value) = (None, None);
            pair.for_each_element(|index, item| match index {
                0 => key = item.text().map(|k| k.into_owned()),
                1 => value = item.text().map(|v| v.into_owned()),
                _ => {}
            });
            if let Some(key) = key {
                tags.push((key, value));
            }
        });
    });
    tags
}
