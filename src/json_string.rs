//! JSON strings: the scan for the bytes a JSON string cannot hold as they
//! are, shared by the reader (where a string's text ends or needs unescaping)
//! and the writer (what must be escaped).
//!
//! Most of an event is the text of its strings, and most of that text needs
//! no escape, so both sides test eight bytes at a time and handle the byte
//! that stops the run on its own. The writer gives exactly serde_json's
//! bytes (`"`, `\\` and the control characters escaped, the short forms
//! where JSON has them, `\u00xx` in lower case for the rest; nothing else,
//! not `/`, not DEL, not non-ASCII): the tape's patches and `_meta` must be
//! byte for byte what the serde_json path writes.

/// Past the bytes from `pos` that need no look inside a string: all but
/// `"`, `\\` and control characters. Eight bytes are tested at once (most
/// of an event is the text of its strings, and this is where reading it
/// spends its time); the byte that stops the run is tested on its own after,
/// and the last few bytes of the text are the caller's (in a document they
/// are its end, not a string's).
pub(crate) fn plain_run_end(bytes: &[u8], mut pos: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // In each byte of the result, the high bit is set where the byte of
    // `word` is below `bound` (a byte below 0x80; may flag more bytes after
    // the first such byte, never one before it). The high-bit mask is left
    // to the caller, once for all three tests.
    let below = |word: u64, bound: u8| word.wrapping_sub(ONES * u64::from(bound)) & !word;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // A quote or backslash is a byte that is zero once xored with it.
        let special = (below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20))
            & HIGHS;
        if special != 0 {
            return pos + (special.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    pos
}

/// The first `"`, `\\` or control character at or after `pos`, or the end:
/// [`plain_run_end`] with the last few bytes too, for a string taken on its
/// own (written, or unescaped), which ends in them.
pub(crate) fn special_byte_from(bytes: &[u8], pos: usize) -> usize {
    let mut pos = plain_run_end(bytes, pos);
    while let Some(&byte) = bytes.get(pos) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        pos += 1;
    }
    pos
}

/// Appends `text` as a JSON string, quotes included.
pub(crate) fn push_string(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        at = special_byte_from(bytes, at);
        let Some(&byte) = bytes.get(at) else { break };
        let short: Option<&[u8]> = match byte {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0C => Some(b"\\f"),
            _ => None,
        };
        out.extend_from_slice(&bytes[copied..at]);
        match short {
            Some(escape) => out.extend_from_slice(escape),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
            }
        }
        at += 1;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_stops_where_a_byte_scan_does() {
        let stops = |byte: u8| byte == b'"' || byte == b'\\' || byte < 0x20;
        let by_byte = |bytes: &[u8]| bytes.iter().position(|&b| stops(b)).unwrap_or(bytes.len());
        // Fillers next to the bounds the word tests subtract from, and above 0x80.
        for filler in [b'a', b' ', b'!', b'#', b']', 0x80, 0xA2, 0xFF] {
            for first in 0..=255u8 {
                for at in 0..19 {
                    let mut bytes = vec![filler; 19];
                    bytes[at] = first;
                    // A second special after the first, where a borrow could reach it.
                    if at + 1 < bytes.len() {
                        bytes[at + 1] = 0x1F;
                    }
                    // Whole words only: the last three bytes are the caller's to test.
                    let expected = by_byte(&bytes).min(16);
                    assert_eq!(
                        plain_run_end(&bytes, 0),
                        expected,
                        "{filler:#x} {first:#x} at {at}"
                    );
                    assert_eq!(special_byte_from(&bytes, 0), by_byte(&bytes));
                }
            }
        }
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut texts: Vec<String> = (0..=0x7Fu8)
            .map(|byte| char::from(byte).to_string())
            .collect();
        texts.extend(
            [
                "",
                "plain text longer than one word",
                "caf\u{e9} \u{1F600} \u{7F}/<>&",
                "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{0}i\u{1f}",
                "\"\"\"\"\"\"\"\"\"\"\"",
                "0123456\n0123456\\",
            ]
            .map(str::to_owned),
        );
        // Every byte below 0x80 at each place of a word and its tail.
        for byte in 0..0x80u8 {
            for at in 0..19 {
                let mut text = vec![b'x'; 19];
                text[at] = byte;
                texts.push(String::from_utf8(text).unwrap());
            }
        }
        for text in texts {
            let mut written = Vec::new();
            push_string(&text, &mut written);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}
