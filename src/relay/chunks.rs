//! Relay's view of a string being scrubbed: chunks of plain text and
//! redactions.
//!
//! Each redaction remembers its rule. A rule runs its regex over the text
//! with every earlier redaction stood in for by a NUL, so two rules never
//! redact the same characters twice; the chunks are then joined into the new
//! string and its remarks (byte ranges in the new string). Doing exactly
//! that, rather than something cleverer, is what makes the output equal to
//! Relay's, remark for remark.

use crate::meta::Remark;

/// Plain text, or a redaction with the remark it will get (its range is set when joined).
pub(crate) struct Chunk {
    pub(crate) text: String,
    pub(crate) redaction: Option<Remark>,
}

/// Text between matches goes back in, each NUL replaced by the redaction it stood for.
pub(crate) fn restore(text: &str, output: &mut Vec<Chunk>, pending: &mut Vec<Chunk>) {
    if text.is_empty() {
        return;
    }
    let mut pieces = text.split('\0');
    if let Some(first) = pieces.next() {
        output.push(plain(first));
    }
    for piece in pieces {
        if let Some(redaction) = pending.pop() {
            output.push(redaction);
        }
        output.push(plain(piece));
    }
}

pub(crate) fn plain(text: &str) -> Chunk {
    Chunk {
        text: text.to_owned(),
        redaction: None,
    }
}

/// Cuts a string into chunks along the ranges of earlier remarks.
pub(crate) fn split(text: &str, remarks: &[Remark]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut position = 0;
    for remark in remarks {
        let Some((start, end)) = remark.kind.range() else {
            continue;
        };
        let start = start.max(position);
        if start > position {
            let Some(piece) = text.get(position..start) else {
                break;
            };
            chunks.push(plain(piece));
        }
        let Some(piece) = text.get(start..end) else {
            break;
        };
        chunks.push(Chunk {
            text: piece.to_owned(),
            redaction: Some(remark.clone()),
        });
        position = end;
    }
    if let Some(rest) = text.get(position..).filter(|rest| !rest.is_empty()) {
        chunks.push(plain(rest));
    }
    chunks
}

/// Joins chunks into the new string and its remarks.
pub(crate) fn join(chunks: Vec<Chunk>) -> (String, Vec<Remark>) {
    let mut text = String::new();
    let mut remarks = Vec::new();
    for chunk in chunks {
        let start = text.len();
        text.push_str(&chunk.text);
        if let Some(remark) = chunk.redaction {
            remarks.push(Remark {
                kind: remark.kind.moved_to(start, text.len()),
                rule_id: remark.rule_id,
            });
        }
    }
    (text, remarks)
}
