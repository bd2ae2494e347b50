//! Texts already searched and found clean, so that a string repeated
//! within an event, or from event to event, is searched once.
//!
//! Events repeat themselves: sentry-sdk's frame locals hold the same
//! request, headers and ASGI scope in frame after frame, breadcrumbs repeat
//! their messages and URLs, a transaction's spans repeat their queries and
//! origins. And a process sends the same errors again and again: the same
//! frames (file names, functions, source lines), the same breadcrumbs. In
//! the ordinary corpora 49 % of a Python error's string bytes repeat a
//! string met earlier in the same event, and 66–88 % one met earlier in the
//! corpus. A search is decided by the text, its scope and the policy alone,
//! so a text found clean once is clean again.
//!
//! Invariants:
//! - only texts whose search found nothing are remembered: a text holding a
//!   secret is searched and rewritten wherever it appears, and each place
//!   gets its own remark;
//! - a hit compares the whole text and its scope, and the memo names the
//!   rules it was filled under ([`Owner`]): a hash collision costs a
//!   search, never a secret, and another policy starts from empty;
//! - memory and time are bounded: at most `MAX_BYTES` of text and
//!   `MAX_SLOTS` entries a thread (about 160 KiB), emptied when full; a
//!   lookup probes at most `PROBES` slots (texts crafted to collide are
//!   searched, not remembered).
//!
//! What it keeps is what the policy lets leave the process unchanged: only
//! clean texts, and only as long as the thread lives.

use std::cell::RefCell;

use super::detect::Scope;
use crate::same_bytes::same_bytes;

/// Texts shorter than this are searched again: hashing and comparing them
/// costs about what the search does. From eight bytes up a search can cost
/// more than a lookup (a span's `thread.id`, fifteen digits, goes through
/// the number families before it is found clean), and the hash covers
/// the whole of such a text (its first and last eight bytes).
const SHORTEST_REMEMBERED: usize = 8;
/// Longer texts are rare and seldom repeated (a request body, a log).
const LONGEST_REMEMBERED: usize = 4096;
const MAX_BYTES: usize = 64 * 1024;
const MAX_SLOTS: usize = 4096;
const FIRST_SLOTS: usize = 256;
/// The arena's first allocation: most events' clean texts fit in it.
const FIRST_BYTES: usize = 16 * 1024;
const PROBES: usize = 8;

/// The rules a memo was filled under: the numbers of the policy's
/// detectors and key rules (the pairs finder classifies keys).
pub(crate) type Owner = (u64, u64);

thread_local! {
    /// The memo between two scrubs on this thread.
    static KEPT: RefCell<CleanTexts> = RefCell::new(CleanTexts::default());
}

/// A thread's memo, lent to one scrub and given back when it ends.
pub(crate) struct LentCleanTexts(CleanTexts);

impl LentCleanTexts {
    /// The thread's memo if it was filled under `owner`, else an empty one.
    /// A scrub begun while another holds the memo (a hook re-entered from
    /// Python code the walk ran) gets an empty one: the memo is out.
    pub(crate) fn borrow(owner: Owner) -> Self {
        let kept = KEPT
            .try_with(|kept| {
                kept.try_borrow_mut()
                    .map(|mut kept| std::mem::take(&mut *kept))
            })
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let mut texts = if kept.owner == owner {
            kept
        } else {
            CleanTexts::default()
        };
        texts.owner = owner;
        LentCleanTexts(texts)
    }

    pub(crate) fn texts(&mut self) -> &mut CleanTexts {
        &mut self.0
    }
}

impl Drop for LentCleanTexts {
    fn drop(&mut self) {
        let texts = std::mem::take(&mut self.0);
        // A thread ending drops it: nothing to keep.
        let _ = KEPT.try_with(|kept| {
            if let Ok(mut kept) = kept.try_borrow_mut() {
                *kept = texts;
            }
        });
    }
}

#[derive(Default)]
pub(crate) struct CleanTexts {
    owner: Owner,
    /// Open addressing, linear probing; a `len` of 0 is an empty slot
    /// (no text that short is remembered).
    slots: Vec<Slot>,
    used: usize,
    /// The remembered texts, one after another.
    arena: String,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    start: u32,
    len: u32,
    scope: Option<Scope>,
}

/// What a lookup learnt: the text is known clean, or where to remember it
/// if its search finds nothing.
pub(crate) enum Seen {
    Clean,
    New(Option<Fingerprint>),
}

/// A text's hash and scope, computed once for the lookup and the insert.
#[derive(Clone, Copy)]
pub(crate) struct Fingerprint {
    hash: u64,
    scope: Scope,
}

impl CleanTexts {
    pub(crate) fn look_up(&self, text: &str, scope: Scope) -> Seen {
        if !(SHORTEST_REMEMBERED..=LONGEST_REMEMBERED).contains(&text.len()) {
            return Seen::New(None);
        }
        let fingerprint = Fingerprint {
            hash: hash(text.as_bytes()),
            scope,
        };
        if self.slots.is_empty() {
            return Seen::New(Some(fingerprint));
        }
        let mask = self.slots.len() - 1;
        for probe in 0..PROBES {
            let slot = &self.slots[(fingerprint.hash as usize + probe) & mask];
            if slot.len == 0 {
                break;
            }
            if slot.hash == fingerprint.hash
                && slot.scope == Some(scope)
                && same_bytes(self.text_of(slot).as_bytes(), text.as_bytes())
            {
                return Seen::Clean;
            }
        }
        Seen::New(Some(fingerprint))
    }

    /// Remembers `text` as clean; a full memo is emptied first, keeping its
    /// allocations (what a process repeats comes back soon).
    pub(crate) fn remember(&mut self, fingerprint: Fingerprint, text: &str) {
        if self.arena.len() + text.len() > MAX_BYTES
            || (self.slots.len() >= MAX_SLOTS && (self.used + 1) * 2 > self.slots.len())
        {
            self.empty();
        }
        // Never more than half full: the table grows, or at `MAX_SLOTS` is
        // emptied (above). A text whose probes are all taken is not remembered.
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let slot = Slot {
            hash: fingerprint.hash,
            start: self.arena.len() as u32,
            len: text.len() as u32,
            scope: Some(fingerprint.scope),
        };
        if self.place(slot) {
            self.arena.push_str(text);
            self.used += 1;
        }
    }

    fn empty(&mut self) {
        self.slots.fill(Slot::default());
        self.used = 0;
        self.arena.clear();
    }

    fn text_of(&self, slot: &Slot) -> &str {
        let start = slot.start as usize;
        // Always a whole text pushed earlier; were it not, nothing matches.
        self.arena
            .get(start..start + slot.len as usize)
            .unwrap_or_default()
    }

    fn place(&mut self, slot: Slot) -> bool {
        let mask = self.slots.len() - 1;
        for probe in 0..PROBES {
            let free = &mut self.slots[(slot.hash as usize + probe) & mask];
            if free.len == 0 {
                *free = slot;
                return true;
            }
        }
        false
    }

    fn grow(&mut self) {
        if self.slots.is_empty() {
            self.arena.reserve(FIRST_BYTES);
        }
        let size = (self.slots.len() * 2).max(FIRST_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        self.used = 0;
        for slot in old.into_iter().filter(|slot| slot.len != 0) {
            if self.place(slot) {
                self.used += 1;
            }
        }
    }
}

/// A hash of the length and of 16 bytes at each end and in the middle (all
/// of a text up to 48 bytes; remembered texts have 8 or more): collisions
/// cost only a search, since every hit is compared whole, so it must be
/// cheap and constant-time, not strong. Texts that differ only elsewhere
/// share a hash; crafted to, they fill their probes and are searched, not
/// remembered.
fn hash(bytes: &[u8]) -> u64 {
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
    let length = bytes.len();
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|word| word.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let middle = length / 2;
    let mut hash = length as u64;
    let from_end = |back: usize| length.saturating_sub(back);
    for at in [
        0,
        8,
        middle.saturating_sub(8),
        middle,
        from_end(16),
        from_end(8),
    ] {
        hash = (hash ^ word(at)).wrapping_mul(MULTIPLIER).rotate_left(29);
    }
    // A multiplication carries a byte's change only upwards: MurmurHash3's
    // finaliser spreads it to the low bits, which pick the slot.
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remember(texts: &mut CleanTexts, text: &str, scope: Scope) {
        if let Seen::New(Some(fingerprint)) = texts.look_up(text, scope) {
            texts.remember(fingerprint, text);
        }
    }

    fn is_clean(texts: &CleanTexts, text: &str, scope: Scope) -> bool {
        matches!(texts.look_up(text, scope), Seen::Clean)
    }

    #[test]
    fn a_text_is_known_clean_only_in_the_scope_it_was_searched_in() {
        let mut texts = CleanTexts::default();
        let line = "    return render(request, template)";
        assert!(!is_clean(&texts, line, Scope::SourceCode));
        remember(&mut texts, line, Scope::SourceCode);
        assert!(is_clean(&texts, line, Scope::SourceCode));
        assert!(!is_clean(&texts, line, Scope::Everything));
        assert!(!is_clean(
            &texts,
            "    return render(request, templatf)",
            Scope::SourceCode
        ));
    }

    #[test]
    fn short_and_long_texts_are_not_remembered() {
        let mut texts = CleanTexts::default();
        let long = "x".repeat(LONGEST_REMEMBERED + 1);
        for text in ["a text", long.as_str()] {
            remember(&mut texts, text, Scope::Everything);
            assert!(!is_clean(&texts, text, Scope::Everything));
        }
    }

    #[test]
    fn texts_of_eight_to_fifteen_bytes_are_told_apart_whole() {
        let mut texts = CleanTexts::default();
        remember(&mut texts, "139976440060800", Scope::Everything);
        remember(&mut texts, "MainThread", Scope::Everything);
        assert!(is_clean(&texts, "139976440060800", Scope::Everything));
        assert!(is_clean(&texts, "MainThread", Scope::Everything));
        for other in [
            "139976440060801",
            "139976450060800",
            "MainThreae",
            "MainThrea",
        ] {
            assert!(!is_clean(&texts, other, Scope::Everything), "{other}");
        }
    }

    #[test]
    fn many_texts_stay_within_the_bounds_and_the_latest_are_found() {
        let mut texts = CleanTexts::default();
        let all: Vec<String> = (0..20_000)
            .map(|n| format!("GET /api/items/{n:08}"))
            .collect();
        for text in &all {
            remember(&mut texts, text, Scope::Everything);
            assert!(texts.slots.len() <= MAX_SLOTS);
            assert!(texts.arena.len() <= MAX_BYTES);
        }
        let latest = &all[all.len() - 100..];
        let found = latest
            .iter()
            .filter(|text| is_clean(&texts, text, Scope::Everything))
            .count();
        // A text whose probes are all taken is not remembered: rarely.
        assert!(found >= 99, "{found} of the latest 100 texts remembered");
        assert!(!is_clean(&texts, &all[0], Scope::Everything));
    }

    #[test]
    fn a_thread_keeps_its_memo_for_the_same_rules_only() {
        let text = "SELECT id, name FROM users WHERE id = $1";
        let (first, second) = ((901, 902), (903, 904));
        {
            let mut lent = LentCleanTexts::borrow(first);
            remember(lent.texts(), text, Scope::Everything);
            // A scrub inside the scrub: the thread's memo is out.
            let mut inner = LentCleanTexts::borrow(first);
            assert!(!is_clean(inner.texts(), text, Scope::Everything));
            std::mem::forget(inner);
        }
        let mut again = LentCleanTexts::borrow(first);
        assert!(is_clean(again.texts(), text, Scope::Everything));
        drop(again);
        let mut other = LentCleanTexts::borrow(second);
        assert!(!is_clean(other.texts(), text, Scope::Everything));
    }

    #[test]
    fn colliding_texts_are_compared_whole() {
        let mut texts = CleanTexts::default();
        let text = "exactly the same hash?";
        let Seen::New(Some(fingerprint)) = texts.look_up(text, Scope::Everything) else {
            panic!("a new text");
        };
        let other = "a different text, same fingerprint";
        texts.remember(fingerprint, other);
        assert!(!is_clean(&texts, text, Scope::Everything));
    }
}
