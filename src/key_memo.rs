//! Answers about keys, remembered on each thread.
//!
//! Events repeat their keys (every frame's `self` and `request`, every http
//! breadcrumb's `url` and `http.method`, every span's `thread.id` and
//! `db.system`): on the ordinary events of `samples/corpus/`, 264 key
//! classifications an event, 216 different keys in 54 events, and hooks
//! called one span or breadcrumb at a time repeat them from call to call.
//! Deciding a key (its words against the key rules, span data keys against
//! `params.redact_keys`) costs several hundred instructions; a remembered
//! answer is a hash and a comparison.
//!
//! Invariants: the slots are direct-mapped, so a collision only evicts; a
//! key longer than a slot is decided every time; each entry names its owner
//! (a `KeyRules`, a `KeyPattern`: see [`next_owner`]), so two policies never
//! share answers. Per thread, so no lock; the memory is bounded: `SLOTS`
//! entries of 64 bytes or so for each kind of answer, a thread.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::LocalKey;

use crate::same_bytes::same_bytes;

const KEY_BYTES: usize = 48;
const SLOTS: usize = 512;

/// One thread's remembered answers of one kind.
pub(crate) struct KeyMemo<T> {
    slots: Vec<Slot<T>>,
}

struct Slot<T> {
    /// 0 for a slot never written: owners are numbered from 1.
    owner: u64,
    length: u8,
    key: [u8; KEY_BYTES],
    answer: T,
}

impl<T> KeyMemo<T> {
    pub(crate) const fn new() -> Self {
        KeyMemo { slots: Vec::new() }
    }
}

/// A number no other owner of remembered answers has.
pub(crate) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `decide(key)`, remembered in `memo` under `owner`.
pub(crate) fn remembered<T: Copy + Default>(
    memo: &'static LocalKey<RefCell<KeyMemo<T>>>,
    owner: u64,
    key: &str,
    decide: impl Fn(&str) -> T,
) -> T {
    let bytes = key.as_bytes();
    if bytes.len() > KEY_BYTES {
        return decide(key);
    }
    // The owner is hashed in: two policies (or scrubbing and span data)
    // deciding the same keys must not evict each other.
    let index = (slot_of(bytes) ^ (owner as usize).wrapping_mul(97)) % SLOTS;
    let answer = memo.try_with(|memo| {
        let mut memo = memo.try_borrow_mut().ok()?;
        if memo.slots.is_empty() {
            memo.slots.resize_with(SLOTS, || Slot {
                owner: 0,
                length: 0,
                key: [0; KEY_BYTES],
                answer: T::default(),
            });
        }
        let slot = &mut memo.slots[index];
        let hit = slot.owner == owner
            && usize::from(slot.length) == bytes.len()
            && same_bytes(&slot.key[..bytes.len()], bytes);
        if !hit {
            slot.owner = owner;
            slot.length = bytes.len() as u8;
            slot.key[..bytes.len()].copy_from_slice(bytes);
            slot.answer = decide(key);
        }
        Some(slot.answer)
    });
    match answer {
        Ok(Some(answer)) => answer,
        // The thread is ending, or the memo is in use further up: decide.
        _ => decide(key),
    }
}

/// FxHash's multiply-rotate over the key's bytes, eight at a time (the
/// tail gathered byte by byte: a variable-length copy is a call to memcpy).
fn slot_of(key: &[u8]) -> usize {
    let mix =
        |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    let mut words = key.chunks_exact(8);
    let mut hash = key.len() as u64;
    for word in &mut words {
        hash = mix(hash, u64::from_le_bytes(std::array::from_fn(|at| word[at])));
    }
    let tail = words
        .remainder()
        .iter()
        .rev()
        .fold(0u64, |word, byte| word << 8 | u64::from(*byte));
    (mix(hash, tail) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENGTHS: RefCell<KeyMemo<usize>> = const { RefCell::new(KeyMemo::new()) };
    }

    #[test]
    fn answers_are_remembered_per_owner_and_long_keys_decided_each_time() {
        let calls = std::cell::Cell::new(0);
        let length = |key: &str| {
            calls.set(calls.get() + 1);
            key.len()
        };
        let (first, second) = (next_owner(), next_owner());
        assert_eq!(remembered(&LENGTHS, first, "thread.id", length), 9);
        assert_eq!(remembered(&LENGTHS, first, "thread.id", length), 9);
        assert_eq!(calls.get(), 1);
        assert_eq!(remembered(&LENGTHS, second, "thread.id", |_| 0), 0);
        let long = "k".repeat(KEY_BYTES + 1);
        remembered(&LENGTHS, first, &long, length);
        remembered(&LENGTHS, first, &long, length);
        assert_eq!(calls.get(), 3);
    }
}
