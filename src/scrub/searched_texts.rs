//! Texts already searched, so that a string repeated within an event, or
//! from event to event, is searched once.
//!
//! Events repeat themselves: sentry-sdk's frame locals hold the same
//! request, headers and ASGI scope in frame after frame, breadcrumbs repeat
//! their messages and URLs, a transaction's spans repeat their queries and
//! origins. And a process sends the same errors again and again: the same
//! frames (file names, functions, source lines), the same breadcrumbs, the
//! same user. In the ordinary corpora 49 % of a Python error's string bytes
//! repeat a string met earlier in the same event, and 66–88 % one met
//! earlier in the corpus; of the secret-laden samples' changed strings, 89 %
//! of the bytes repeat one changed earlier (18 % in the same event). A
//! search is decided by the text, its scope and the policy alone, so a text
//! searched once has the same outcome again.
//!
//! Invariants:
//! - a clean text is remembered whole, and a hit compares it whole;
//! - a text the search changed is remembered by a hash of all its bytes
//!   (with its length, scope and a second hash of its ends and middle),
//!   beside what the search made of it: the memo never holds a secret, only
//!   what was sent in its place. A hit hands back that outcome whole, so
//!   even a collision (or a text crafted to collide) sends no byte of the
//!   text at hand: it sends again a value the same policy already let out,
//!   in the wrong place. Each place gets its own remarks;
//! - the memo names the rules it was filled under ([`Owner`]): another
//!   policy starts from empty;
//! - memory and time are bounded: at most `MAX_BYTES` of texts and outcomes
//!   and `MAX_SLOTS` entries a thread (about 200 KiB), emptied when full; a
//!   lookup probes at most `PROBES` slots (texts crafted to collide are
//!   searched, not remembered).
//!
//! What it keeps is what the policy lets leave the process: clean texts,
//! the outcomes of changed ones, and only as long as the thread lives.

use std::cell::RefCell;

use super::detect::Scope;
use super::redact::Rewritten;
use crate::meta::Remark;
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
    static KEPT: RefCell<SearchedTexts> = RefCell::new(SearchedTexts::default());
}

/// A thread's memo, lent to one scrub and given back when it ends.
pub(crate) struct LentSearchedTexts(SearchedTexts);

impl LentSearchedTexts {
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
            SearchedTexts::default()
        };
        texts.owner = owner;
        LentSearchedTexts(texts)
    }

    pub(crate) fn texts(&mut self) -> &mut SearchedTexts {
        &mut self.0
    }
}

impl Drop for LentSearchedTexts {
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
pub(crate) struct SearchedTexts {
    owner: Owner,
    /// Open addressing, linear probing; a `len` of 0 is an empty slot
    /// (no text that short is remembered).
    slots: Vec<Slot>,
    used: usize,
    /// The remembered clean texts, one after another.
    arena: String,
    /// What the search made of each remembered changed text.
    outcomes: Vec<Outcome>,
    /// The bytes `outcomes` hold, counted against `MAX_BYTES` with `arena`.
    outcome_bytes: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// A clean text: where it starts in the arena; a changed one: its outcome.
    start: u32,
    len: u32,
    scope: Option<Scope>,
    changed: bool,
}

/// A changed text's outcome, and the hash of all its bytes it is known by.
struct Outcome {
    whole_hash: u64,
    rewritten: Rewritten,
    original_length: usize,
}

/// What a lookup learnt: the text is known clean, known changed (which
/// outcome: see [`SearchedTexts::outcome`]), or where to remember it once
/// searched.
pub(crate) enum Seen {
    Clean,
    Changed(Known),
    New(Option<Fingerprint>),
}

/// A changed text's remembered outcome.
#[derive(Clone, Copy)]
pub(crate) struct Known(u32);

/// A text's hash and scope, computed once for the lookup and the insert.
#[derive(Clone, Copy)]
pub(crate) struct Fingerprint {
    hash: u64,
    scope: Scope,
}

impl SearchedTexts {
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
            if slot.hash != fingerprint.hash
                || slot.scope != Some(scope)
                || slot.len as usize != text.len()
            {
                continue;
            }
            if !slot.changed {
                if same_bytes(self.text_of(slot).as_bytes(), text.as_bytes()) {
                    return Seen::Clean;
                }
                continue;
            }
            if self.is_outcome_of(slot, text) {
                return Seen::Changed(Known(slot.start));
            }
        }
        Seen::New(Some(fingerprint))
    }

    /// Whether the changed `slot` is `text`'s, by the hash of all its bytes.
    /// Out of line: most lookups meet clean texts only, and this keeps
    /// their loop small.
    #[inline(never)]
    fn is_outcome_of(&self, slot: &Slot, text: &str) -> bool {
        self.outcomes
            .get(slot.start as usize)
            .is_some_and(|known| known.whole_hash == whole_hash(text.as_bytes()))
    }

    /// What the search made of a known changed text, and its length in characters.
    pub(crate) fn outcome(&self, known: Known) -> Option<(Rewritten, usize)> {
        let outcome = self.outcomes.get(known.0 as usize)?;
        Some((copy(&outcome.rewritten), outcome.original_length))
    }

    /// Remembers `text` as clean.
    pub(crate) fn remember(&mut self, fingerprint: Fingerprint, text: &str) {
        if self.take_slot(fingerprint, text, text.len(), false) {
            self.arena.push_str(text);
        }
    }

    /// Remembers what the search made of `text` (of `original_length`
    /// characters), by its hashes: the text itself is not kept.
    pub(crate) fn remember_changed(
        &mut self,
        fingerprint: Fingerprint,
        text: &str,
        rewritten: &Rewritten,
        original_length: usize,
    ) {
        let cost = outcome_cost(rewritten);
        if self.take_slot(fingerprint, text, cost, true) {
            self.outcomes.push(Outcome {
                whole_hash: whole_hash(text.as_bytes()),
                rewritten: copy(rewritten),
                original_length,
            });
            self.outcome_bytes += cost;
        }
    }

    /// Takes a slot for `text`, whose entry (pushed next to the arena or the
    /// outcomes) holds `cost` bytes; a full memo is emptied first, keeping
    /// its allocations (what a process repeats comes back soon). False when
    /// all its probes are taken.
    fn take_slot(
        &mut self,
        fingerprint: Fingerprint,
        text: &str,
        cost: usize,
        changed: bool,
    ) -> bool {
        if self.arena.len() + self.outcome_bytes + cost > MAX_BYTES
            || (self.slots.len() >= MAX_SLOTS && (self.used + 1) * 2 > self.slots.len())
        {
            self.empty();
        }
        // Never more than half full: the table grows, or at `MAX_SLOTS` is
        // emptied (above). A text whose probes are all taken is not remembered.
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let start = if changed {
            self.outcomes.len()
        } else {
            self.arena.len()
        };
        let slot = Slot {
            hash: fingerprint.hash,
            start: start as u32,
            len: text.len() as u32,
            scope: Some(fingerprint.scope),
            changed,
        };
        let placed = self.put(slot);
        if placed {
            self.used += 1;
        }
        placed
    }

    fn empty(&mut self) {
        self.slots.fill(Slot::default());
        self.used = 0;
        self.arena.clear();
        self.outcomes.clear();
        self.outcome_bytes = 0;
    }

    fn text_of(&self, slot: &Slot) -> &str {
        let start = slot.start as usize;
        // Always a whole text pushed earlier; were it not, nothing matches.
        self.arena
            .get(start..start + slot.len as usize)
            .unwrap_or_default()
    }

    fn put(&mut self, slot: Slot) -> bool {
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
            if self.put(slot) {
                self.used += 1;
            }
        }
    }
}

/// A copy of an outcome, out of line: the memo's writer and its reader
/// both make one, and the first WASM module pays for each inlined copy.
#[inline(never)]
fn copy(rewritten: &Rewritten) -> Rewritten {
    rewritten.clone()
}

/// The bytes an outcome holds: its text, and each remark's rule id with
/// the rest of the remark.
fn outcome_cost(rewritten: &Rewritten) -> usize {
    let remark_cost = |remark: &Remark| remark.rule_id.len() + std::mem::size_of::<Remark>();
    match rewritten {
        Rewritten::Text(text, remarks) => {
            text.len() + remarks.iter().map(remark_cost).sum::<usize>()
        }
        Rewritten::Removed(remark) => remark_cost(remark),
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

/// A hash of every byte of a text, which a changed text is known by (its
/// bytes are not kept to compare): eight bytes a step, each step a
/// bijection of the state, so texts of one length that differ in a single
/// word never share it, and others do with a chance of about 2⁻⁶⁴.
fn whole_hash(bytes: &[u8]) -> u64 {
    const MULTIPLIER: u64 = 0xD6E8_FEB8_6659_FD93;
    let mut hash = (bytes.len() as u64) ^ 0x243F_6A88_85A3_08D3;
    let mut mix = |word: u64| hash = (hash ^ word).wrapping_mul(MULTIPLIER).rotate_left(31);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        mix(u64::from_le_bytes(eight));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(u64::from_le_bytes(tail));
    hash = (hash ^ (hash >> 32)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    hash ^ (hash >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::RemarkKind;

    fn remember(texts: &mut SearchedTexts, text: &str, scope: Scope) {
        if let Seen::New(Some(fingerprint)) = texts.look_up(text, scope) {
            texts.remember(fingerprint, text);
        }
    }

    fn is_clean(texts: &SearchedTexts, text: &str, scope: Scope) -> bool {
        matches!(texts.look_up(text, scope), Seen::Clean)
    }

    fn filtered(text: &str, secret: &str) -> Rewritten {
        let start = text.find(secret).unwrap();
        let remark = Remark {
            rule_id: "@preflight:secret-pair".to_owned(),
            kind: RemarkKind::Substituted {
                start,
                end: start + "[Filtered]".len(),
            },
        };
        Rewritten::Text(text.replace(secret, "[Filtered]"), vec![remark])
    }

    fn remember_changed(texts: &mut SearchedTexts, text: &str, rewritten: &Rewritten) {
        if let Seen::New(Some(fingerprint)) = texts.look_up(text, Scope::Everything) {
            texts.remember_changed(fingerprint, text, rewritten, text.chars().count());
        }
    }

    fn known_outcome(texts: &SearchedTexts, text: &str) -> Option<(Rewritten, usize)> {
        match texts.look_up(text, Scope::Everything) {
            Seen::Changed(known) => texts.outcome(known),
            _ => None,
        }
    }

    #[test]
    fn a_text_is_known_clean_only_in_the_scope_it_was_searched_in() {
        let mut texts = SearchedTexts::default();
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
        let mut texts = SearchedTexts::default();
        let long = "x".repeat(LONGEST_REMEMBERED + 1);
        for text in ["a text", long.as_str()] {
            remember(&mut texts, text, Scope::Everything);
            assert!(!is_clean(&texts, text, Scope::Everything));
        }
    }

    #[test]
    fn texts_of_eight_to_fifteen_bytes_are_told_apart_whole() {
        let mut texts = SearchedTexts::default();
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
        let mut texts = SearchedTexts::default();
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
            let mut lent = LentSearchedTexts::borrow(first);
            remember(lent.texts(), text, Scope::Everything);
            // A scrub inside the scrub: the thread's memo is out.
            let mut inner = LentSearchedTexts::borrow(first);
            assert!(!is_clean(inner.texts(), text, Scope::Everything));
            std::mem::forget(inner);
        }
        let mut again = LentSearchedTexts::borrow(first);
        assert!(is_clean(again.texts(), text, Scope::Everything));
        drop(again);
        let mut other = LentSearchedTexts::borrow(second);
        assert!(!is_clean(other.texts(), text, Scope::Everything));
    }

    #[test]
    fn colliding_texts_are_compared_whole() {
        let mut texts = SearchedTexts::default();
        let text = "exactly the same hash?";
        let Seen::New(Some(fingerprint)) = texts.look_up(text, Scope::Everything) else {
            panic!("a new text");
        };
        let other = "a different text, same fingerprint";
        texts.remember(fingerprint, other);
        assert!(!is_clean(&texts, text, Scope::Everything));
    }

    #[test]
    fn a_changed_text_gives_its_outcome_and_is_not_kept() {
        let mut texts = SearchedTexts::default();
        let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        let text = format!("GET /v1/charges?api_key={secret}&page=2");
        let outcome = filtered(&text, secret);
        remember_changed(&mut texts, &text, &outcome);
        assert_eq!(
            known_outcome(&texts, &text),
            Some((outcome, text.chars().count()))
        );
        assert!(!is_clean(&texts, &text, Scope::Everything));
        let Seen::New(_) = texts.look_up(&text, Scope::SourceCode) else {
            panic!("another scope is another search");
        };
        // Nothing of the secret is held: only what was sent in its place.
        let held: String = texts
            .outcomes
            .iter()
            .map(|known| format!("{:?}", known.rewritten))
            .chain([texts.arena.clone()])
            .collect();
        assert!(!held.contains(&secret[8..]), "{held}");
    }

    #[test]
    fn a_changed_text_is_known_by_all_of_its_bytes() {
        let mut texts = SearchedTexts::default();
        // Long enough that the ends and the middle (what `hash` reads) are
        // the same in both, and the secret, between them, differs.
        let padding = "x".repeat(40);
        let text =
            format!("{padding} token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {padding}{padding}");
        let other = text.replace("ghp_aaaa", "ghp_aaab");
        assert_eq!(hash(text.as_bytes()), hash(other.as_bytes()));
        remember_changed(&mut texts, &text, &filtered(&text, "ghp_aaaa"));
        assert!(known_outcome(&texts, &text).is_some());
        assert!(known_outcome(&texts, &other).is_none());
    }

    #[test]
    fn changed_texts_stay_within_the_bounds() {
        let mut texts = SearchedTexts::default();
        for n in 0..20_000 {
            let text = format!("password={n:08} and some more text around it");
            let outcome = filtered(&text, &format!("{n:08}"));
            remember_changed(&mut texts, &text, &outcome);
            remember(
                &mut texts,
                &format!("clean text number {n}"),
                Scope::Everything,
            );
            assert!(texts.slots.len() <= MAX_SLOTS);
            assert!(texts.arena.len() + texts.outcome_bytes <= MAX_BYTES);
        }
        let latest = "password=00019999 and some more text around it";
        assert!(known_outcome(&texts, latest).is_some());
    }

    #[test]
    fn words_that_differ_change_the_whole_hash() {
        let base = vec![b'a'; 37];
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(whole_hash(&base)));
        for at in 0..base.len() {
            for byte in [b'b', 0, 0xFF] {
                let mut other = base.clone();
                other[at] = byte;
                assert!(seen.insert(whole_hash(&other)), "{at} {byte}");
            }
        }
        // The length is hashed too: a tail of zero bytes is not nothing.
        assert_ne!(whole_hash(b"abcdefgh"), whole_hash(b"abcdefgh\0"));
    }
}
